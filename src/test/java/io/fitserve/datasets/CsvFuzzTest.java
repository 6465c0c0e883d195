package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Any bytes given to {@link CsvIngest} either parse into a consistent frame or are
 * refused with a {@link CsvFormatException} (the upload's 400): never another exception,
 * never a hang. The parallel parse ({@link CsvIngest.Parallelism}, in chunks of a few
 * bytes) gives the same result or the same error.
 * <p>
 * In {@code ./mvnw verify} this runs only over the seed corpus in
 * {@code src/test/resources/io/fitserve/datasets/CsvFuzzTestInputs/anyBytes/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, "Fuzzing").
 */
class CsvFuzzTest {

	/** Small limits, so the fuzzer reaches the limit paths with small inputs. */
	private static final IngestLimits LIMITS = new IngestLimits(64, 1000, 4096);

	/** Daemon threads: the class has no hook to stop them when fuzzing ends. */
	private static final ExecutorService POOL = Executors.newFixedThreadPool(3, (task) -> {
		Thread t = new Thread(task, "fuzz-csv-parse");
		t.setDaemon(true);
		return t;
	});

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
		CsvIngest.Parallelism parallel = new CsvIngest.Parallelism(POOL, 3, 1 + input.length % 29, true);
		try {
			result = CsvIngest.ingest(new ByteArrayInputStream(input), LIMITS);
		}
		catch (CsvFormatException refused) {
			assertThat(refused.getMessage()).isNotBlank();
			assertThat(refused.line()).isNotNegative();
			assertThatExceptionOfType(CsvFormatException.class)
				.isThrownBy(() -> CsvIngest.ingest(new ByteArrayInputStream(input), LIMITS, parallel))
				.satisfies((e) -> {
					assertThat(e.getMessage()).isEqualTo(refused.getMessage());
					assertThat(e.line()).isEqualTo(refused.line());
					assertThat(e.column()).isEqualTo(refused.column());
				});
			return;
		}
		assertSameAs(result, CsvIngest.ingest(new ByteArrayInputStream(input), LIMITS, parallel));
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

	private static void assertSameAs(IngestResult expected, IngestResult actual) {
		assertThat(actual.schema()).isEqualTo(expected.schema());
		assertThat(actual.sha256()).isEqualTo(expected.sha256());
		assertThat(actual.frame().rows()).isEqualTo(expected.frame().rows());
		for (int i = 0; i < expected.frame().columns().size(); i++) {
			ColumnData e = expected.frame().columns().get(i);
			ColumnData a = actual.frame().columns().get(i);
			assertThat(a.type()).isEqualTo(e.type());
			assertThat(Arrays.equals(a.values(), e.values())).isTrue();
			assertThat(a.codes()).isEqualTo(e.codes());
			assertThat(a.levels()).isEqualTo(e.levels());
		}
	}

}
