package io.fitserve.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.fitserve.privacy.PiiDetector;

/**
 * The kinds of personal data ({@link PiiDetector}) among a column's first {@link #SIZE}
 * non-missing values, in file order, read from the raw cells before any mask: only the
 * kinds are kept, never a value. A column is suspected when at least 80% of the sample is
 * of one kind.
 */
final class PiiSample {

	/**
	 * Non-missing values looked at per column: enough to tell, bounded for wide files.
	 */
	static final int SIZE = 256;

	/** The share of the sample one kind must reach. */
	static final double THRESHOLD = 0.8;

	private static final String[] KINDS = { null, PiiDetector.EMAIL, PiiDetector.PHONE, PiiDetector.CARD,
			PiiDetector.IBAN };

	/** Per sampled value: its index in KINDS. */
	private final byte[] kinds = new byte[SIZE];

	private int size;

	boolean full() {
		return this.size == SIZE;
	}

	/** Samples one non-missing, trimmed cell (while the sample is not full). */
	void offer(byte[] b, int from, int to) {
		if (this.size < SIZE) {
			this.kinds[this.size++] = kind(b, from, to);
		}
	}

	/** Appends a later chunk's sample, as if its cells had been offered here. */
	void append(PiiSample later) {
		int n = Math.min(SIZE - this.size, later.size);
		System.arraycopy(later.kinds, 0, this.kinds, this.size, n);
		this.size += n;
	}

	/** The suspected kind, or null. */
	String suspected() {
		if (this.size == 0) {
			return null;
		}
		int[] counts = new int[KINDS.length];
		for (int i = 0; i < this.size; i++) {
			counts[this.kinds[i]]++;
		}
		int best = 1;
		for (int k = 2; k < KINDS.length; k++) {
			if (counts[k] > counts[best]) {
				best = k;
			}
		}
		return counts[best] >= THRESHOLD * this.size ? KINDS[best] : null;
	}

	/**
	 * The cell's kind; the common case (a number, a short word: no '@' and fewer than 7
	 * digits) is answered from the bytes without decoding them.
	 */
	private static byte kind(byte[] b, int from, int to) {
		int digits = 0;
		boolean at = false;
		for (int i = from; i < to; i++) {
			byte c = b[i];
			if (c >= '0' && c <= '9') {
				digits++;
			}
			else if (c == '@') {
				at = true;
			}
		}
		if (!at && digits < 7) {
			return 0;
		}
		String kind = PiiDetector.kindOf(new String(b, from, to - from, StandardCharsets.UTF_8));
		return (byte) Math.max(0, Arrays.asList(KINDS).indexOf(kind));
	}

}
