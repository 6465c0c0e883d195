package io.fitserve.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns cell text by its UTF-8 bytes, so repeated categories cost a hash probe and no
 * String; Strings are made once per distinct value at the end. Codes are dense and in
 * first-seen order; each intern counts an occurrence.
 */
final class TextDictionary {

	private byte[] arena = new byte[4096];

	private int arenaSize;

	/** offsets[code] .. offsets[code + 1] is the code's text in the arena. */
	private int[] offsets = new int[65];

	private int[] hashes = new int[64];

	private int[] counts = new int[64];

	private int size;

	/** code + 1 per slot; 0 marks an empty slot. */
	private int[] table = new int[128];

	int size() {
		return this.size;
	}

	int count(int code) {
		return this.counts[code];
	}

	int intern(byte[] b, int from, int to) {
		int h = hash(b, from, to);
		int mask = this.table.length - 1;
		int slot = h & mask;
		while (true) {
			int e = this.table[slot];
			if (e == 0) {
				break;
			}
			int code = e - 1;
			if (this.hashes[code] == h && sameBytes(code, b, from, to)) {
				this.counts[code]++;
				return code;
			}
			slot = (slot + 1) & mask;
		}
		return add(b, from, to, h, slot);
	}

	/**
	 * Interns every code of other in its code order (so first-seen order carries over),
	 * adding its counts; returns other's codes mapped to this dictionary's.
	 */
	int[] internAll(TextDictionary other) {
		int[] map = new int[other.size];
		for (int c = 0; c < other.size; c++) {
			int code = intern(other.arena, other.offsets[c], other.offsets[c + 1]);
			// intern counted one occurrence; other counted them all
			this.counts[code] += other.counts[c] - 1;
			map[c] = code;
		}
		return map;
	}

	private int add(byte[] b, int from, int to, int h, int slot) {
		int len = to - from;
		int code = this.size;
		if (this.arenaSize + len > this.arena.length) {
			long wanted = Math.max((long) this.arena.length * 2, (long) this.arenaSize + len);
			if (wanted > Integer.MAX_VALUE - 16) {
				throw new IllegalStateException("too much distinct text in one column");
			}
			this.arena = Arrays.copyOf(this.arena, (int) wanted);
		}
		System.arraycopy(b, from, this.arena, this.arenaSize, len);
		this.arenaSize += len;
		if (code + 1 >= this.hashes.length) {
			int n = this.hashes.length * 2;
			this.hashes = Arrays.copyOf(this.hashes, n);
			this.counts = Arrays.copyOf(this.counts, n);
			this.offsets = Arrays.copyOf(this.offsets, n + 1);
		}
		this.hashes[code] = h;
		this.counts[code] = 1;
		this.offsets[code + 1] = this.arenaSize;
		this.table[slot] = code + 1;
		this.size++;
		if (this.size * 2 > this.table.length) {
			rehash();
		}
		return code;
	}

	private void rehash() {
		int[] t = new int[this.table.length * 2];
		int mask = t.length - 1;
		for (int code = 0; code < this.size; code++) {
			int slot = this.hashes[code] & mask;
			while (t[slot] != 0) {
				slot = (slot + 1) & mask;
			}
			t[slot] = code + 1;
		}
		this.table = t;
	}

	private boolean sameBytes(int code, byte[] b, int from, int to) {
		int start = this.offsets[code];
		int end = this.offsets[code + 1];
		return Arrays.equals(this.arena, start, end, b, from, to);
	}

	/** Raw bytes of a code's text (copied). */
	byte[] bytes(int code) {
		return Arrays.copyOfRange(this.arena, this.offsets[code], this.offsets[code + 1]);
	}

	/**
	 * Decodes leniently: malformed UTF-8 becomes U+FFFD instead of failing the upload.
	 */
	String text(int code) {
		int start = this.offsets[code];
		return new String(this.arena, start, this.offsets[code + 1] - start, StandardCharsets.UTF_8);
	}

	/**
	 * Whether a code's bytes are valid UTF-8, given its {@link #text} already decoded.
	 * Only text holding a U+FFFD can come from malformed bytes, and it did exactly when
	 * it does not encode back to the same bytes (valid UTF-8 round trips; a replaced
	 * malformed sequence comes back as EF BF BD), so a genuine U+FFFD costs one
	 * re-encoding.
	 */
	boolean isValidUtf8(int code, String text) {
		if (text.indexOf('\uFFFD') < 0) {
			return true;
		}
		byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
		return Arrays.equals(encoded, 0, encoded.length, this.arena, this.offsets[code], this.offsets[code + 1]);
	}

	private static int hash(byte[] b, int from, int to) {
		int h = 0;
		for (int i = from; i < to; i++) {
			h = 31 * h + b[i];
		}
		// Spread low-entropy polynomial hashes (e.g. short numeric-ish strings) across
		// the table.
		h *= 0x9E3779B9;
		return h ^ (h >>> 15);
	}

}
