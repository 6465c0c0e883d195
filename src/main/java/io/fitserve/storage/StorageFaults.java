package io.fitserve.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.fitserve.errors.DomainException;

import org.apache.commons.logging.Log;
import org.springframework.util.unit.DataSize;

/**
 * Recognising a full disk, refusing writes before it is full, and clearing what a crash
 * left behind.
 */
public final class StorageFaults {

	public static final String INSUFFICIENT_STORAGE = "insufficient-storage";

	private StorageFaults() {
	}

	/**
	 * Whether the failure (or one of its causes) is the file system being full (ENOSPC,
	 * EDQUOT).
	 */
	public static boolean isOutOfSpace(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			String message = t.getMessage();
			if (message != null && (message.contains("No space left on device")
					|| message.contains("Disk quota exceeded") || message.contains("not enough space on the disk"))) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * 507 problem, type insufficient-storage; the detail names neither paths nor sizes of
	 * the file system.
	 */
	public static DomainException insufficientStorage(String what) {
		return new DomainException(DomainException.Kind.OUT_OF_SPACE, INSUFFICIENT_STORAGE, "Insufficient storage",
				"There is not enough free disk space to store " + what
						+ "; nothing was stored. Free some space (e.g. delete unused datasets or models) and retry.",
				null, null);
	}

	/**
	 * Refuses (507) when the file system holding {@code dir} has less than
	 * {@code reserve} usable space.
	 */
	public static void requireFreeSpace(Path dir, DataSize reserve, String what, Log log) {
		if (reserve == null || reserve.toBytes() <= 0) {
			return;
		}
		long usable;
		try {
			usable = Files.getFileStore(dir).getUsableSpace();
		}
		catch (IOException ex) {
			return; // cannot tell: let the write itself find out
		}
		if (usable < reserve.toBytes()) {
			log.warn("Refusing to store " + what + ": " + usable + " bytes free in " + dir
					+ ", below fitserve.storage.min-free-space (" + reserve + ")");
			throw insufficientStorage(what);
		}
	}

	/**
	 * Deletes the files matching {@code glob} in {@code dir} whose name (before the first
	 * '.') is a UUID that {@code known} does not know, and that were last modified before
	 * {@code before}: complete files whose database row never committed because the
	 * process was killed in between. Files of this process (newer) are left alone.
	 */
	public static int removeOrphanFiles(Path dir, String glob, java.util.function.Predicate<java.util.UUID> known,
			java.time.Instant before, String what, Log log) {
		int removed = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
			for (Path file : files) {
				String name = file.getFileName().toString();
				java.util.UUID id;
				try {
					id = java.util.UUID.fromString(name.substring(0, name.indexOf('.')));
				}
				catch (RuntimeException ex) {
					continue;
				}
				try {
					if (Files.getLastModifiedTime(file).toInstant().isBefore(before) && !known.test(id)) {
						Files.delete(file);
						removed++;
					}
				}
				catch (IOException ex) {
					log.warn("Could not remove orphaned " + what + " file " + file + ": " + ex.getMessage());
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not list " + dir + " for orphaned files: " + ex.getMessage());
		}
		if (removed > 0) {
			log.warn("Removed " + removed + " orphaned " + what + " file(s) with no database record from " + dir
					+ " (left by a process killed while storing them)");
		}
		return removed;
	}

	/**
	 * Deletes the {@code *.tmp} files a killed process left in {@code dir} (complete
	 * files are only ever moved into place, so a temp file is never part of a stored
	 * dataset or model); returns how many.
	 */
	public static int removeOrphanTempFiles(Path dir, Log log) {
		return removeOrphanTempFiles(dir, java.time.Duration.ZERO, log);
	}

	/**
	 * As {@link #removeOrphanTempFiles(Path, Log)}, but only files not modified for
	 * minAge: on a data directory shared by several replicas, a newer temporary file may
	 * be another replica's upload or model save in progress.
	 */
	public static int removeOrphanTempFiles(Path dir, java.time.Duration minAge, Log log) {
		int removed = 0;
		java.time.Instant cutoff = java.time.Instant.now().minus(minAge);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tmp")) {
			for (Path file : files) {
				try {
					if (!minAge.isZero() && !Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
						continue;
					}
					if (Files.deleteIfExists(file)) {
						removed++;
					}
				}
				catch (IOException ex) {
					log.warn("Could not remove orphaned temporary file " + file + ": " + ex.getMessage());
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not list " + dir + " for orphaned temporary files: " + ex.getMessage());
		}
		if (removed > 0) {
			log.warn("Removed " + removed + " orphaned temporary file(s) from " + dir
					+ " (left by an interrupted upload or model save)");
		}
		return removed;
	}

}
