package io.fitserve.datasets;

import java.util.ArrayList;
import java.util.List;

/**
 * Append-only int storage in fixed chunks, so growth never copies and never doubles the
 * peak footprint.
 */
final class IntChunks {

	private static final int SHIFT = 16;

	// Large chunks keep the list short and are allocated outside the young generation, so
	// GC never copies them.
	static final int CHUNK = 1 << SHIFT;

	/** Shift of the chunk size of a parallel parse's chunk columns (32 KB). */
	static final int SMALL_SHIFT = 13;

	private final int shift;

	private final int chunkSize;

	private final List<int[]> chunks = new ArrayList<>();

	private int[] current;

	private int used;

	private int size;

	IntChunks() {
		this(SHIFT);
	}

	IntChunks(int shift) {
		this.shift = shift;
		this.chunkSize = 1 << shift;
		this.used = this.chunkSize;
	}

	void add(int v) {
		if (this.used == this.chunkSize) {
			this.current = new int[this.chunkSize];
			this.chunks.add(this.current);
			this.used = 0;
		}
		this.current[this.used++] = v;
		this.size++;
	}

	/**
	 * Appends the first n values of other, each mapped through map (negative values are
	 * appended as -1).
	 */
	void addAllMapped(IntChunks other, int n, int[] map) {
		int off = 0;
		for (int c = 0; off < n; c++) {
			int[] src = other.chunks.get(c);
			int len = Math.min(other.chunkSize, n - off);
			for (int i = 0; i < len; i++) {
				int v = src[i];
				add(v < 0 ? -1 : map[v]);
			}
			off += len;
		}
	}

	/** Appends n times -1. */
	void addMissing(int n) {
		for (int i = 0; i < n; i++) {
			add(-1);
		}
	}

	int get(int i) {
		return this.chunks.get(i >>> this.shift)[i & (this.chunkSize - 1)];
	}

	int size() {
		return this.size;
	}

	/**
	 * Copies into one exact-length array, releasing chunks as it goes to keep the peak
	 * low.
	 */
	int[] drain() {
		int[] out = new int[this.size];
		int off = 0;
		for (int c = 0; c < this.chunks.size(); c++) {
			int n = Math.min(this.chunkSize, this.size - off);
			System.arraycopy(this.chunks.get(c), 0, out, off, n);
			this.chunks.set(c, null);
			off += n;
		}
		this.chunks.clear();
		this.current = null;
		this.used = this.chunkSize;
		this.size = 0;
		return out;
	}

}
