package io.fitserve.datasets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight ASCII digits read at once from one 64-bit load (the SWAR method of fast_float's
 * {@code parse_eight_digits_unrolled}): a long number's digits in a few operations per
 * eight instead of a compare, multiply and add per digit.
 */
public final class Digits {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private Digits() {
	}

	/**
	 * The value of the eight bytes b[k..k+7] read as decimal digits, the first the most
	 * significant; -1 when any of them is not '0'..'9'.
	 * @throws IndexOutOfBoundsException unless 0 <= k and k + 8 <= b.length
	 */
	public static int eight(byte[] b, int k) {
		long v = (long) LONGS.get(b, k);
		// each byte's high nibble must be 3, and stay 3 when 6 is added (so the low one
		// is at most 9); a byte of 0xFA or more, whose carry could reach the next byte,
		// already fails the first test
		if (((v & 0xF0F0F0F0F0F0F0F0L)
				| (((v + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) != 0x3333333333333333L) {
			return -1;
		}
		v -= 0x3030303030303030L;
		// pairs of digits into bytes, then pairs of pairs, then the two halves
		v = (v * 10) + (v >>> 8);
		return (int) ((((v & 0x000000FF000000FFL) * 0x000F424000000064L)
				+ (((v >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L)) >>> 32);
	}

}
