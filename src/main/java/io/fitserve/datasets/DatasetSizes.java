package io.fitserve.datasets;

/** The stored datasets' total size, for {@link DatasetRepository}. */
interface DatasetSizes {

	/** The uploaded bytes of all stored datasets (0 when none). */
	long sumSizeBytes();

}
