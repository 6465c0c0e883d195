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

	/** Per sampled value: its index in KINDS, or UNDECIDED. */
	private final byte[] kinds = new byte[SIZE];

	/**
	 * An undecided value's bytes until {@link #suspected()} decides its kind: each chunk
	 * of a parallel parse samples its own first values, and only the first SIZE of the
	 * whole column, once appended, are worth the detector's regular expressions.
	 */
	private final byte[][] undecided = new byte[SIZE][];

	private static final byte UNDECIDED = -1;

	private int size;

	boolean full() {
		return this.size == SIZE;
	}

	/** Samples one non-missing, trimmed cell (while the sample is not full). */
	void offer(byte[] b, int from, int to) {
		if (this.size < SIZE) {
			if (mayBePersonal(b, from, to)) {
				this.undecided[this.size] = Arrays.copyOfRange(b, from, to);
				this.kinds[this.size++] = UNDECIDED;
			}
			else {
				this.kinds[this.size++] = 0;
			}
		}
	}

	/** Appends a later chunk's sample, as if its cells had been offered here. */
	void append(PiiSample later) {
		int n = Math.min(SIZE - this.size, later.size);
		System.arraycopy(later.kinds, 0, this.kinds, this.size, n);
		System.arraycopy(later.undecided, 0, this.undecided, this.size, n);
		this.size += n;
	}

	/** The suspected kind, or null. */
	String suspected() {
		if (this.size == 0) {
			return null;
		}
		int[] counts = new int[KINDS.length];
		for (int i = 0; i < this.size; i++) {
			if (this.kinds[i] == UNDECIDED) {
				byte[] value = this.undecided[i];
				this.kinds[i] = kind(value);
				this.undecided[i] = null;
			}
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
	 * Whether the cell needs the detector; the common case (a number, a short word: no
	 * '@' and fewer than 7 digits) is answered from the bytes without decoding them.
	 */
	private static boolean mayBePersonal(byte[] b, int from, int to) {
		int digits = 0;
		for (int i = from; i < to; i++) {
			byte c = b[i];
			if (c >= '0' && c <= '9') {
				digits++;
			}
			else if (c == '@') {
				return true;
			}
		}
		return digits >= 7;
	}

	private static byte kind(byte[] value) {
		String kind = PiiDetector.kindOf(new String(value, StandardCharsets.UTF_8));
		return (byte) Math.max(0, Arrays.asList(KINDS).indexOf(kind));
	}

}
