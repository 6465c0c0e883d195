package io.fitserve.datasets;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Column storage: values appended one by one and chunk by chunk come back in order,
 * whether the column stayed in small chunks or moved into blocks on the way.
 */
class DoubleChunksTest {

	/** Small blocks (10 values) so that a few dozen values cross every boundary. */
	private static final int BLOCK = 10;

	private static DoubleChunks chunkOf(int from, int n) {
		DoubleChunks c = new DoubleChunks(3, BLOCK);
		for (int i = 0; i < n; i++) {
			c.add(from + i);
		}
		return c;
	}

	private static void assertHolds(DoubleChunks column, int n) {
		assertThat(column.size()).isEqualTo(n);
		for (int i = 0; i < n; i++) {
			assertThat(column.get(i)).as("value %d", i).isEqualTo(i);
		}
		double[] all = column.drain();
		assertThat(all).hasSize(n);
		for (int i = 0; i < n; i++) {
			assertThat(all[i]).as("drained value %d", i).isEqualTo(i);
		}
	}

	@Test
	void chunksAppendedAcrossTheMoveIntoBlocksKeepTheirOrder() {
		DoubleChunks column = new DoubleChunks(3, BLOCK);
		// 2 + 2 values stay adopted (under half a block), the third chunk (partly filled
		// chunks of 3) moves everything into blocks, later ones straddle block ends
		int[] sizes = { 2, 2, 7, 1, 0, 13, 4, 9 };
		int at = 0;
		for (int n : sizes) {
			column.addAll(chunkOf(at, n));
			at += n;
			assertThat(column.size()).isEqualTo(at);
		}
		assertHolds(column, at);
	}

	@Test
	void valuesAddedOneByOneMoveIntoBlocksAndStayInOrder() {
		DoubleChunks column = new DoubleChunks(3, BLOCK);
		for (int i = 0; i < 47; i++) {
			column.add(i);
			if (i == 20) {
				// reads in between use the chunk index built so far
				assertThat(column.get(17)).isEqualTo(17);
			}
		}
		column.addAll(chunkOf(47, 5));
		column.add(52);
		assertHolds(column, 53);
	}

	@Test
	void aSmallColumnAdoptsChunksWithoutBlocks() {
		DoubleChunks column = new DoubleChunks(3, 1000);
		column.addAll(chunkOf(0, 4));
		column.addAll(chunkOf(4, 5));
		assertHolds(column, 9);
	}

	@Test
	void blocksLiveOffTheHeapUntilReleased() {
		long before = directBytes();
		DoubleChunks column = new DoubleChunks(DoubleChunks.CHUNK);
		int n = DoubleChunks.BLOCK * 2 + 5;
		for (int i = 0; i < n; i++) {
			column.add(i);
		}
		assertThat(column.offHeap()).isTrue();
		// two full blocks; the last 5 values wait on the heap
		assertThat(directBytes() - before).isEqualTo(2L * DoubleChunks.BLOCK * Double.BYTES);
		assertThat(column.get(n - 1)).isEqualTo(n - 1);
		// reads move them into a third block; chunk reads cross the block ends
		long sum = 0;
		int seen = 0;
		for (int c = 0; c < column.chunkCount(); c++) {
			double[] a = column.chunk(c);
			for (int i = 0; i < column.chunkLength(c); i++) {
				assertThat(a[i]).isEqualTo(seen++);
				sum += (long) a[i];
			}
		}
		assertThat(seen).isEqualTo(n);
		assertThat(sum).isEqualTo((long) n * (n - 1) / 2);
		assertThat(directBytes() - before).isEqualTo(3L * DoubleChunks.BLOCK * Double.BYTES);
		assertThat(column.get(n - 1)).isEqualTo(n - 1);
		assertThat(column.get(DoubleChunks.BLOCK)).isEqualTo(DoubleChunks.BLOCK);
		// the blocks kept ready while the column grew are freed with it
		assertThat(DoubleChunks.readyBytes()).isPositive();
		column.release();
		assertThat(DoubleChunks.readyBytes()).isZero();
		assertThat(directBytes()).isEqualTo(before);
		assertThat(column.size()).isZero();
		assertThat(column.chunkCount()).isZero();
	}

	@Test
	void releasingAnUploadsWorthOfBlocksTrimsTheNativeHeapOnce() {
		// malloc keeps freed blocks of this size in its free lists: the trim gives them
		// back to the system (glibc; the JVM reports what it trimmed)
		assertThat(NativeHeap.trim()).startsWith("Trim native heap: RSS+Swap:");
		int blocks = (int) (DoubleChunks.TRIM_AFTER / (DoubleChunks.BLOCK * Double.BYTES)) + 1;
		List<DoubleChunks> columns = new ArrayList<>();
		for (int c = 0; c < 3; c++) {
			DoubleChunks column = new DoubleChunks();
			for (int i = 0; i < blocks * DoubleChunks.BLOCK / 3 + 1; i++) {
				column.add(i);
			}
			columns.add(column);
		}
		int trims = DoubleChunks.TRIMS.get();
		// each column frees a third of the threshold and more: one trim for the three,
		// whatever earlier releases left counted
		for (DoubleChunks column : columns) {
			column.release();
			DoubleChunks.readyBytes();
		}
		assertThat(DoubleChunks.TRIMS.get()).isEqualTo(trims + 1);
	}

	@Test
	void aChunkColumnThatMovedOffTheHeapIsCopiedAndFreedWhenAppended() {
		long before = directBytes();
		DoubleChunks column = new DoubleChunks(3, BLOCK);
		column.addAll(chunkOf(0, 4));
		DoubleChunks big = chunkOf(4, 23);
		assertThat(big.offHeap()).isTrue();
		column.addAll(big);
		assertThat(big.size()).isZero();
		assertThat(big.offHeap()).isFalse();
		assertThat(directBytes() - before).isEqualTo(3L * BLOCK * Double.BYTES);
		assertHolds(column, 27);
		// drained: the blocks are freed
		assertThat(directBytes()).isEqualTo(before);
	}

	/**
	 * Direct memory in use, less the blocks the allocator thread keeps ready (once it has
	 * done what it was asked).
	 */
	static long directBytes() {
		long ready = DoubleChunks.readyBytes();
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter(p -> p.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum() - ready;
	}

	@Test
	void chunksCopiedIntoBlocksAreReusedAndTheirOldValuesNeverShow() {
		Queue<double[]> spent = new ArrayDeque<>();
		DoubleChunks column = new DoubleChunks(4, BLOCK, spent);
		DoubleChunks first = new DoubleChunks(3, BLOCK, spent);
		for (int i = 0; i < 4; i++) {
			first.add(i);
		}
		double[] firstChunk = first.chunk(0);
		// under half a block: adopted, nothing to give back yet
		column.addAll(first);
		assertThat(spent).isEmpty();
		int at = 4;
		for (int round = 0; round < 20; round++) {
			DoubleChunks next = new DoubleChunks(3, BLOCK, spent);
			if (round == 1) {
				// the move into blocks (in round 0) gave the adopted chunks back
				assertThat(spent).anyMatch(c -> c == firstChunk);
			}
			// partly filled chunks over reused ones: the stale values past each
			// chunk's length must not show
			int n = round % 4 + 1;
			for (int i = 0; i < n; i++) {
				next.add(at + i);
			}
			column.addAll(next);
			at += n;
		}
		assertThat(spent).isNotEmpty().allMatch(c -> c.length == 3);
		assertHolds(column, at);
	}

	@Test
	void chunkByChunkReadsGiveEveryValueOnceInOrder() {
		DoubleChunks column = new DoubleChunks(3, BLOCK);
		for (int i = 0; i < 4; i++) {
			column.add(i);
		}
		column.addAll(chunkOf(4, 2));
		for (int i = 6; i < 31; i++) {
			column.add(i);
		}
		double[] seen = new double[31];
		int n = 0;
		for (int c = 0; c < column.chunkCount(); c++) {
			for (int i = 0; i < column.chunkLength(c); i++) {
				seen[n++] = column.chunk(c)[i];
			}
		}
		assertThat(n).isEqualTo(31);
		for (int i = 0; i < 31; i++) {
			assertThat(seen[i]).isEqualTo(i);
		}
		column.release();
		assertThat(column.size()).isZero();
		assertThat(column.chunkCount()).isZero();
	}

	@Test
	void aWrappedArrayIsDrainedWithoutACopy() {
		double[] v = { 3, 1, 2 };
		DoubleChunks wrapped = DoubleChunks.wrap(v);
		assertThat(wrapped.size()).isEqualTo(3);
		assertThat(wrapped.get(2)).isEqualTo(2);
		assertThat(wrapped.drain()).isSameAs(v);
		// a partly filled chunk is copied to its exact length
		DoubleChunks partly = chunkOf(0, 2);
		double[] drained = partly.drain();
		assertThat(drained).containsExactly(0, 1);
		assertThat(Arrays.equals(drained, new double[] { 0, 1 })).isTrue();
	}

}
