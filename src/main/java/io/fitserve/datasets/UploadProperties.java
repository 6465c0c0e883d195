package io.fitserve.datasets;

import java.lang.management.ManagementFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on dataset uploads.
 *
 * @param maxSize largest accepted CSV upload; larger ones get 413
 * @param maxColumns most columns a CSV may have
 * @param maxRows most data rows a CSV may have
 * @param maxLineLength longest record (line) of a CSV; longer ones are refused with their
 * line number
 * @param parseThreads threads that parse one upload's CSV (in chunks of 4 MB, for inputs
 * over 1 MB); 0 means one per available processor, 1 parses on the request's thread alone
 * @param maxOffHeap most memory outside the Java heap that the numeric columns of the
 * uploads being parsed may take together (an upload over it gets 503 and nothing is
 * stored); 0 means the machine's (or container's) memory less the maximum heap and a
 * quarter of the memory (at least 512 MB) kept for everything else, and at least 128 MB
 */
@ConfigurationProperties("fitserve.upload")
public record UploadProperties(@DefaultValue("500MB") DataSize maxSize, @DefaultValue("10000") int maxColumns,
		@DefaultValue("50000000") long maxRows, @DefaultValue("1MB") DataSize maxLineLength,
		@DefaultValue("0") int parseThreads, @DefaultValue("0") DataSize maxOffHeap) {

	/** parseThreads with 0 resolved to the available processors. */
	public int resolvedParseThreads() {
		return this.parseThreads > 0 ? this.parseThreads : Runtime.getRuntime().availableProcessors();
	}

	/** maxOffHeap in bytes, with 0 resolved against this JVM's memory. */
	public long resolvedMaxOffHeap() {
		if (this.maxOffHeap.toBytes() > 0) {
			return this.maxOffHeap.toBytes();
		}
		long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getTotalMemorySize();
		return autoOffHeap(total, Runtime.getRuntime().maxMemory());
	}

	static long autoOffHeap(long totalMemory, long maxHeap) {
		long reserve = Math.max(totalMemory / 4, 512L << 20);
		return Math.max(totalMemory - maxHeap - reserve, 128L << 20);
	}
}
