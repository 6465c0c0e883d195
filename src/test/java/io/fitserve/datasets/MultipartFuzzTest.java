package io.fitserve.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Any bytes given to {@link MultipartReader} either read as parts or are refused with a
 * {@link MultipartReader.MalformedException} (the upload's 400): never another exception,
 * never a hang. Read in single bytes and whole, a body gives the same parts or the same
 * refusal, and no part's content holds the delimiter.
 * <p>
 * In {@code ./mvnw verify} this runs only over the seed corpus in
 * {@code src/test/resources/io/fitserve/datasets/MultipartFuzzTestInputs/anyBytes/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzzing").
 */
class MultipartFuzzTest {

	/**
	 * The boundary is a prefix of this, as long as the input's first byte says (1 to 16).
	 */
	private static final String BOUNDARIES = "zz-fuzz_b0undary";

	@FuzzTest(maxDuration = "5m")
	void anyBytes(byte[] input) throws Exception {
		if (input.length == 0 || input.length > 64 << 10) {
			return;
		}
		String boundary = BOUNDARIES.substring(0, 1 + (input[0] & 0x0f));
		String body = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.ISO_8859_1);
		List<MultipartReaderTest.Read> whole;
		try {
			whole = readAll(body, boundary, 0);
		}
		catch (MultipartReader.MalformedException refused) {
			assertThat(refused.getMessage()).isNotBlank();
			assertThatExceptionOfType(MultipartReader.MalformedException.class)
				.isThrownBy(() -> readAll(body, boundary, 1))
				.withMessage(refused.getMessage());
			return;
		}
		assertThat(readAll(body, boundary, 1)).isEqualTo(whole);
		assertThat(whole).hasSizeLessThanOrEqualTo(MultipartReader.MAX_PARTS);
		for (MultipartReaderTest.Read part : whole) {
			assertThat(part.content()).doesNotContain("\r\n--" + boundary);
			assertThat(part.content().length()).isLessThan(input.length);
		}
	}

	/** As MultipartReaderTest.readAll, on bytes that are not UTF-8 text. */
	private static List<MultipartReaderTest.Read> readAll(String body, String boundary, int chunk) throws Exception {
		return MultipartReaderTest.readAll(body, boundary, chunk, StandardCharsets.ISO_8859_1);
	}

}
