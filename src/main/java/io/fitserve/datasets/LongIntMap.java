package io.fitserve.datasets;

/**
 * Open-addressing map from double bits to a dense code, avoiding boxing on the per-cell
 * numeric path.
 */
final class LongIntMap {

	private long[] keys;

	/** code + 1; 0 marks an empty slot. */
	private int[] values;

	private int shift;

	private int size;

	LongIntMap() {
		this.keys = new long[64];
		this.values = new int[64];
		this.shift = 64 - 6;
	}

	int size() {
		return this.size;
	}

	/**
	 * Returns the existing code for key, or inserts key with code {@link #size()} and
	 * returns -1.
	 */
	int getOrAdd(long key) {
		int mask = this.keys.length - 1;
		int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> this.shift);
		while (true) {
			int v = this.values[slot];
			if (v == 0) {
				this.keys[slot] = key;
				this.values[slot] = ++this.size;
				if (this.size * 2 > this.keys.length) {
					grow();
				}
				return -1;
			}
			if (this.keys[slot] == key) {
				return v - 1;
			}
			slot = (slot + 1) & mask;
		}
	}

	private void grow() {
		long[] oldKeys = this.keys;
		int[] oldValues = this.values;
		this.keys = new long[oldKeys.length * 2];
		this.values = new int[oldKeys.length * 2];
		this.shift--;
		int mask = this.keys.length - 1;
		for (int i = 0; i < oldKeys.length; i++) {
			if (oldValues[i] != 0) {
				int slot = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> this.shift);
				while (this.values[slot] != 0) {
					slot = (slot + 1) & mask;
				}
				this.keys[slot] = oldKeys[i];
				this.values[slot] = oldValues[i];
			}
		}
	}

}
