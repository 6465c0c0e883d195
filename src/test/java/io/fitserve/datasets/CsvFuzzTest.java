package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.ByteArrayInputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes given to {@link CsvIngest} either parse into a consistent frame or are
 * refused with a {@link CsvFormatException} (the upload's 400): never another exception,
 * never a hang.
 * <p>
 * In {@code ./mvnw verify} this runs only over the seed corpus in
 * {@code src/test/resources/io/fitserve/datasets/CsvFuzzTestInputs/anyBytes/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzzing").
 */
class CsvFuzzTest {

	/** Small limits, so the fuzzer reaches the limit paths with small inputs. */
	private static final IngestLimits LIMITS = new IngestLimits(64, 1000, 4096);

	/**
	 * No JUnit {@code @Timeout}: when fuzzing it would bound the whole run, not one
	 * input; the per-input limit is libFuzzer's {@code -timeout} (see README, "Fuzzing").
	 */
	@FuzzTest(maxDuration = "5m")
	void anyBytes(byte[] input) {
		if (input.length > 64 << 10) {
			return;
		}
		IngestResult result;
		try {
			result = CsvIngest.ingest(new ByteArrayInputStream(input), LIMITS);
		}
		catch (CsvFormatException refused) {
			assertThat(refused.getMessage()).isNotBlank();
			assertThat(refused.line()).isNotNegative();
			return;
		}
		DatasetFrame frame = result.frame();
		assertThat(frame.rows()).isPositive();
		assertThat(frame.columns()).isNotEmpty().hasSameSizeAs(result.schema()).hasSizeLessThanOrEqualTo(64);
		assertThat(result.bytes()).isEqualTo(input.length);
		for (int i = 0; i < frame.columns().size(); i++) {
			ColumnData column = frame.columns().get(i);
			assertThat(column.name()).isNotEmpty().isEqualTo(result.schema().get(i).name());
			assertThat(column.type()).isEqualTo(result.schema().get(i).type());
			assertThat(column.rows()).isEqualTo(frame.rows());
			if (column.values() != null) {
				assertThat(column.values()).hasSize(frame.rows());
			}
			if (column.codes() != null) {
				assertThat(column.codes()).hasSize(frame.rows());
				assertThat(column.levels()).isNotNull();
				for (int code : column.codes()) {
					assertThat(code).isBetween(-1, column.levels().size() - 1);
				}
			}
			ColumnProfile profile = result.schema().get(i).profile();
			assertThat(profile.count() + profile.missing()).isEqualTo(frame.rows());
		}
	}

}
