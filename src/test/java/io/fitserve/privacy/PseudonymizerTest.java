package io.fitserve.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens against an independent HMAC-SHA256 (Python's hmac module). */
class PseudonymizerTest {

	private static byte[] key() {
		byte[] key = new byte[32];
		for (int i = 0; i < key.length; i++) {
			key[i] = (byte) i;
		}
		return key;
	}

	@Test
	void tokensAreTheKeyedHmacsFirst128Bits() {
		// python3: 'tok_' + hmac.new(bytes(range(32)), v.encode(), hashlib.sha256)
		// .hexdigest()[:32]
		Pseudonymizer p = Pseudonymizer.withKey(key());
		assertThat(p.token("alice@example.com")).isEqualTo("tok_a59fc578d4cb46faab1d6eb348e7c74b");
		assertThat(p.token("bob@example.org")).isEqualTo("tok_9e5ae95e98e9f63e933e15b70041d0e4");
		byte[] row = "x,alice@example.com,y".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(p.token(row, 2, 19)).isEqualTo("tok_a59fc578d4cb46faab1d6eb348e7c74b");
	}

	@Test
	void anotherKeyGivesOtherTokens() {
		byte[] other = key();
		other[0] = 1;
		assertThat(Pseudonymizer.withKey(other).token("alice@example.com"))
			.isNotEqualTo("tok_a59fc578d4cb46faab1d6eb348e7c74b")
			.matches("tok_[0-9a-f]{32}");
	}

	@Test
	void applyMasksRawValuesAndKeepsTokensAndShapes() {
		Pseudonymizer p = Pseudonymizer.withKey(key());
		assertThat(p.apply(MaskMode.PSEUDONYMIZE, "alice@example.com"))
			.isEqualTo("tok_a59fc578d4cb46faab1d6eb348e7c74b");
		assertThat(p.apply(MaskMode.PSEUDONYMIZE, "tok_a59fc578d4cb46faab1d6eb348e7c74b"))
			.isEqualTo("tok_a59fc578d4cb46faab1d6eb348e7c74b");
		// not quite a token (uppercase hex, one digit short): hashed like any value
		assertThat(p.apply(MaskMode.PSEUDONYMIZE, "tok_A59FC578D4CB46FAAB1D6EB348E7C74B")).startsWith("tok_")
			.isNotEqualTo("tok_A59FC578D4CB46FAAB1D6EB348E7C74B");
		assertThat(Pseudonymizer.isToken("tok_a59fc578d4cb46faab1d6eb348e7c74")).isFalse();
		assertThat(p.apply(MaskMode.REDACT, "alice@example.com")).isEqualTo("xxxxx@xxxxxxx.xxx");
		assertThat(p.apply(MaskMode.PSEUDONYMIZE, null)).isNull();
		assertThat(p.apply(null, "alice")).isEqualTo("alice");
	}

	@Test
	void refusesShortOrMalformedKeysWithoutRepeatingThem() {
		assertThatThrownBy(() -> Pseudonymizer.decode("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes")
			.hasMessageNotContaining("c2hvcnQ=");
		assertThatThrownBy(() -> Pseudonymizer.decode("not*base64")).hasMessageContaining("not valid base64")
			.hasMessageNotContaining("not*base64");
		assertThat(Pseudonymizer.decode("  ")).isNull();
		assertThat(Pseudonymizer.withKey(key()).keyId()).hasSize(16);
	}

}
