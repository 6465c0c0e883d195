package io.fitserve.datasets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.fitserve.errors.DomainException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The off-heap values of an upload that is given up after its parse: freed at once on the
 * paths that know, and uncounted (see {@code fitserve.upload.max-off-heap}) by the
 * collector on any other.
 */
class UploadMemoryTest {

	/** 200,000 rows of two numeric columns: 3.2 MB of values, in blocks. */
	static final String CSV = csv();

	private static String csv() {
		StringBuilder b = new StringBuilder("a,b\n");
		for (int i = 0; i < 200_000; i++) {
			b.append(i).append(',').append(i * 0.5).append('\n');
		}
		return b.toString();
	}

	@Test
	void aMultipartUploadRefusedAfterItsFileFreesTheParsedValues() {
		String body = "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + CSV
				+ "\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\n\r\n1,2\r\n--zz--\r\n";
		DoubleChunks.readyBytes();
		long live = DoubleChunks.liveBytes();
		long[] parsedLive = new long[1];
		assertThatExceptionOfType(DomainException.class)
			.isThrownBy(() -> MultipartUpload.read("multipart/form-data; boundary=zz",
					new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), null, null,
					(csv, filename, name, mask) -> {
						IngestResult parsed = CsvIngest.ingest(csv, new IngestLimits(10, 1_000_000), null);
						parsedLive[0] = DoubleChunks.liveBytes();
						return new DatasetService.ParsedUpload(parsed, 0, 0);
					}))
			.withMessageContaining("more than one part named file");
		assertThat(parsedLive[0] - live).as("the parse held its values off the heap")
			.isGreaterThanOrEqualTo(2L * 200_000 * Double.BYTES);
		DoubleChunks.readyBytes();
		assertThat(DoubleChunks.liveBytes()).isLessThanOrEqualTo(live);
	}

	@Test
	void valuesDroppedWithoutAReleaseAreUncountedOnceCollected() throws InterruptedException {
		DoubleChunks.readyBytes();
		long live = DoubleChunks.liveBytes();
		IngestResult dropped = CsvIngest.ingest(new ByteArrayInputStream(CSV.getBytes(StandardCharsets.UTF_8)),
				new IngestLimits(10, 1_000_000), null);
		assertThat(dropped.rows()).isEqualTo(200_000);
		long held = DoubleChunks.liveBytes() - live;
		assertThat(held).isGreaterThanOrEqualTo(2L * 200_000 * Double.BYTES);
		dropped = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (DoubleChunks.liveBytes() - live >= held && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(20);
		}
		// the blocks kept ready may have been topped up meanwhile; the column's are gone
		assertThat(DoubleChunks.liveBytes() - live).isLessThan(held - 2L * 100_000 * Double.BYTES);
	}

}
