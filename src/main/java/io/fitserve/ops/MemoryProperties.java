package io.fitserve.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much free heap the JVM keeps after a collection cycle: lower ratios give memory a
 * large upload or job used back to the system sooner; too low, and training slows down
 * (the heap is committed and collected again for each job). See {@link HeapSizing}.
 *
 * @param minHeapFreeRatio the JVM's {@code MinHeapFreeRatio} (percent of the heap kept
 * free after a collection cycle; less free and the heap grows), applied at start-up
 * unless set on the java command line; -1 leaves the JVM's own (40)
 * @param maxHeapFreeRatio the JVM's {@code MaxHeapFreeRatio} (more free than this and the
 * heap shrinks), applied the same way; -1 leaves the JVM's own (70)
 */
@ConfigurationProperties("fitserve.memory")
public record MemoryProperties(@DefaultValue("20") int minHeapFreeRatio, @DefaultValue("50") int maxHeapFreeRatio) {

	public MemoryProperties {
		if (minHeapFreeRatio < -1 || minHeapFreeRatio > 100 || maxHeapFreeRatio < -1 || maxHeapFreeRatio > 100) {
			throw new IllegalArgumentException(
					"fitserve.memory.min-heap-free-ratio and max-heap-free-ratio must be percentages (0 to 100), or -1");
		}
		if (minHeapFreeRatio >= 0 && maxHeapFreeRatio >= 0 && minHeapFreeRatio > maxHeapFreeRatio) {
			throw new IllegalArgumentException(
					"fitserve.memory.min-heap-free-ratio must not exceed fitserve.memory.max-heap-free-ratio");
		}
	}

}
