package io.fitserve.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Append-only double storage in fixed chunks, so growth never copies and never doubles
 * the peak footprint.
 */
final class DoubleChunks {

	private static final int SHIFT = 15;

	// 256 KB: under half of G1's smallest region (1 MB, used for heaps up to 2 GB), so a
	// chunk is never a humongous object. At 1 << 16 a chunk was 512 KB plus the array
	// header, just over half a region: every chunk took a whole 1 MB region, doubling the
	// footprint of parsed values, and a 1M x 21 ingest ran out of memory at -Xmx400m
	// (fine at -Xmx300m now).
	static final int CHUNK = 1 << SHIFT;

	private final List<double[]> chunks = new ArrayList<>();

	private double[] current;

	private int used = CHUNK;

	private int size;

	void add(double v) {
		if (this.used == CHUNK) {
			this.current = new double[CHUNK];
			this.chunks.add(this.current);
			this.used = 0;
		}
		this.current[this.used++] = v;
		this.size++;
	}

	/** Appends the first n values of other (copied). */
	void addAll(DoubleChunks other, int n) {
		int off = 0;
		for (int c = 0; off < n; c++) {
			double[] src = other.chunks.get(c);
			int len = Math.min(CHUNK, n - off);
			int done = 0;
			while (done < len) {
				if (this.used == CHUNK) {
					this.current = new double[CHUNK];
					this.chunks.add(this.current);
					this.used = 0;
				}
				int k = Math.min(len - done, CHUNK - this.used);
				System.arraycopy(src, done, this.current, this.used, k);
				this.used += k;
				done += k;
			}
			off += len;
		}
		this.size += n;
	}

	double get(int i) {
		return this.chunks.get(i >>> SHIFT)[i & (CHUNK - 1)];
	}

	int size() {
		return this.size;
	}

	/**
	 * Copies into one exact-length array, releasing chunks as it goes to keep the peak
	 * low.
	 */
	double[] drain() {
		double[] out = new double[this.size];
		int off = 0;
		for (int c = 0; c < this.chunks.size(); c++) {
			int n = Math.min(CHUNK, this.size - off);
			System.arraycopy(this.chunks.get(c), 0, out, off, n);
			this.chunks.set(c, null);
			off += n;
		}
		this.chunks.clear();
		this.current = null;
		this.used = CHUNK;
		this.size = 0;
		return out;
	}

}
