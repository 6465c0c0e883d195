package io.fitserve.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigitsTest {

	@Test
	void eightDigitsReadAsTheirDecimalValue() {
		Random random = new Random(7);
		String[] fixed = { "00000000", "99999999", "12345678", "00000001", "10000000", "09876543" };
		for (String s : fixed) {
			assertThat(Digits.eight(ascii(s), 0)).as(s).isEqualTo(Integer.parseInt(s));
		}
		for (int n = 0; n < 100_000; n++) {
			String s = String.format("%08d", random.nextInt(100_000_000));
			byte[] b = ascii("x" + s + "y");
			assertThat(Digits.eight(b, 1)).as(s).isEqualTo(Integer.parseInt(s));
		}
	}

	@Test
	void anyOtherByteInAnyPlaceGivesMinusOne() {
		for (int at = 0; at < 8; at++) {
			for (int other = 0; other < 256; other++) {
				if (other >= '0' && other <= '9') {
					continue;
				}
				byte[] b = ascii("12345678");
				b[at] = (byte) other;
				assertThat(Digits.eight(b, 0)).as("byte %d at %d", other, at).isEqualTo(-1);
				// the bytes around a digit that carries when 6 is added
				byte[] c = ascii("99999999");
				c[at] = (byte) other;
				assertThat(Digits.eight(c, 0)).as("byte %d at %d among nines", other, at).isEqualTo(-1);
			}
		}
	}

	@Test
	void readsOnlyInsideTheArray() {
		assertThatThrownBy(() -> Digits.eight(ascii("1234567"), 0)).isInstanceOf(IndexOutOfBoundsException.class);
		assertThatThrownBy(() -> Digits.eight(ascii("123456789"), 2)).isInstanceOf(IndexOutOfBoundsException.class);
		assertThat(Digits.eight(ascii("123456789"), 1)).isEqualTo(23456789);
	}

	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

}
