package io.fitserve.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much free heap the JVM keeps after a collection cycle, so that memory a large
 * upload or job used goes back to the system instead of staying with the process.
 *
 * @param minHeapFreeRatio the JVM's {@code MinHeapFreeRatio} (percent of the heap kept
 * free after a collection cycle; less free and the heap grows), applied at start-up
 * unless set on the java command line; -1 leaves the JVM's own default
 * @param maxHeapFreeRatio the JVM's {@code MaxHeapFreeRatio} (more free than this and the
 * heap shrinks), applied the same way
 */
@ConfigurationProperties("fitserve.memory")
public record MemoryProperties(@DefaultValue("10") int minHeapFreeRatio, @DefaultValue("30") int maxHeapFreeRatio) {

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
