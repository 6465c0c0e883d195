package io.fitserve.datasets;

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
	void aBlockFillsOneHeapRegion() {
		// 4 MB region: 524,285 values of 8 bytes and a header of up to 24 bytes
		int values = DoubleChunks.blockLength(4 << 20);
		assertThat(values).isEqualTo(524_285);
		assertThat(values * 8L + 24).isLessThanOrEqualTo(4 << 20);
		// humongous: more than half a region
		assertThat(values * 8L).isGreaterThan(2 << 20);
	}

}
