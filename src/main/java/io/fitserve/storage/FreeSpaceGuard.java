package io.fitserve.storage;

import io.fitserve.StorageProperties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Refuses new work (507) while the data directory's file system is below
 * {@code fitserve.storage.min-free-space}, so that a job is never acknowledged that the
 * database or the model save could not then record.
 */
@Component
public class FreeSpaceGuard {

	private static final Log log = LogFactory.getLog(FreeSpaceGuard.class);

	private final StorageProperties storage;

	FreeSpaceGuard(StorageProperties storage) {
		this.storage = storage;
	}

	/**
	 * 507 insufficient-storage naming what could not be stored, when free space is below
	 * the reserve.
	 */
	public void require(String what) {
		StorageFaults.requireFreeSpace(storage.dataDir(), storage.minFreeSpace(), what, log);
	}

}
