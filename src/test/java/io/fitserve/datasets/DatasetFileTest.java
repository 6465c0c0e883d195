package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fitserve.storage.CorruptFileException;
import io.fitserve.storage.StorageCodec;
import io.fitserve.storage.StorageKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DatasetFileTest {

	private static final StorageKey KEY = StorageKey.parse(java.util.Base64.getEncoder().encodeToString(new byte[32]));

	@TempDir
	Path dir;

	@Test
	void roundTripKeepsEverything() throws IOException {
		String csv = "x,color,flag,empty,label\n1.5,red,yes,,1\nNA,blue,no,NA,2\n-0,red,,,1\n1e300,\"gr\"\"een\",true,,3\n";
		DatasetFrame frame = CsvIngest
			.ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), new IngestLimits(100, 100))
			.frame();
		Path file = this.dir.resolve("sub/d.bin");
		DatasetFile.write(file, frame);
		DatasetFrame back = DatasetFile.read(file);
		assertSameFrame(back, frame);
		assertThat(back.column("color").levels()).containsExactly("red", "blue", "gr\"een");
		assertThat(back.column("x").values()[1]).isNaN();
		assertThat(Double.doubleToRawLongBits(back.column("x").values()[2]))
			.isEqualTo(Double.doubleToRawLongBits(-0.0));
		assertThat(back.column("label").levels()).containsExactly("1", "2", "3");
		assertThat(back.column("label").codes()).containsExactly(0, 1, 0, 2);
		assertThat(back.column("x").codes()).containsExactly(0, -1, 1, 2);
		try (var files = Files.list(file.getParent())) {
			assertThat(files.map(p -> p.getFileName().toString())).containsExactly("d.bin");
		}
	}

	@Test
	void largeColumnsSpanManyBuffers() throws IOException {
		int rows = 300_000;
		double[] v = new double[rows];
		int[] codes = new int[rows];
		for (int i = 0; i < rows; i++) {
			v[i] = i % 7 == 0 ? Double.NaN : i * 0.25;
			codes[i] = i % 5 - 1;
		}
		DatasetFrame frame = new DatasetFrame(rows,
				List.of(new ColumnData("v", ColumnType.NUMERIC, v, null, null), new ColumnData("c",
						ColumnType.CATEGORICAL, null, codes, List.of("a", "b", "c", "d".repeat(3_000_000)))));
		Path file = this.dir.resolve("big.bin");
		DatasetFile.write(file, frame);
		DatasetFile.write(file, frame);
		assertSameFrame(DatasetFile.read(file), frame);
	}

	@Test
	void corruptionIsDetected() throws IOException {
		DatasetFrame frame = new DatasetFrame(3,
				List.of(new ColumnData("v", ColumnType.NUMERIC, new double[] { 1, 2, 3 }, null, null)));
		Path file = this.dir.resolve("d.bin");
		DatasetFile.write(file, frame);
		byte[] bytes = Files.readAllBytes(file);

		byte[] flipped = bytes.clone();
		flipped[30] ^= 1;
		Files.write(file, flipped);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> DatasetFile.read(file))
			.withMessageContaining("corrupt dataset file");

		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> DatasetFile.read(file))
			.withMessageContaining("corrupt dataset file");

		Files.write(file, "not a dataset".getBytes(StandardCharsets.UTF_8));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> DatasetFile.read(file))
			.withMessageContaining("bad magic");
	}

	@Test
	void versionOneFilesStayReadable() throws IOException {
		DatasetFrame frame = new DatasetFrame(3,
				List.of(new ColumnData("v", ColumnType.NUMERIC, new double[] { 1.5, Double.NaN, -3 }, null, null),
						new ColumnData("c", ColumnType.CATEGORICAL, null, new int[] { 0, -1, 1 }, List.of("a", "b"))));
		Path file = this.dir.resolve("v1.fsd");
		DatasetFile.writeVersion1(file, frame);
		assertThat(Files.readAllBytes(file)[4]).isEqualTo((byte) 1);
		assertSameFrame(DatasetFile.read(file), frame);
		assertSameFrame(DatasetFile.read(file, StorageCodec.DEFAULT.withKey(KEY)), frame);
	}

	@Test
	void encryptedCompressedRoundTripAndTamperDetection() throws IOException {
		int rows = 300_000; // several 1 MB segments
		double[] values = new double[rows];
		int[] codes = new int[rows];
		for (int r = 0; r < rows; r++) {
			values[r] = r % 1000 * 0.25;
			codes[r] = r % 3;
		}
		DatasetFrame frame = new DatasetFrame(rows, List.of(new ColumnData("v", ColumnType.NUMERIC, values, null, null),
				new ColumnData("c", ColumnType.CATEGORICAL, null, codes, List.of("secret-level-a", "b", "c"))));
		StorageCodec codec = StorageCodec.DEFAULT.withKey(KEY);
		Path file = this.dir.resolve("enc.fsd");
		DatasetFile.write(file, frame, codec);
		assertThat(Files.size(file)).isLessThan((long) rows * 12 / 4);
		assertSameFrame(DatasetFile.read(file, codec), frame);
		assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("secret-level-a");

		byte[] bytes = Files.readAllBytes(file);
		for (int at : new int[] { 20, 60, bytes.length / 2, bytes.length - 3 }) {
			byte[] flipped = bytes.clone();
			flipped[at] ^= 1;
			Files.write(file, flipped);
			assertThatExceptionOfType(CorruptFileException.class).as("byte %d", at)
				.isThrownBy(() -> DatasetFile.read(file, codec))
				.withMessageStartingWith("corrupt dataset file")
				.withMessageNotContaining(file.toString());
		}
		Files.write(file, bytes);
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> DatasetFile.read(file))
			.withMessageContaining("no encryption key");
	}

	@Test
	void unencryptedFilesAreCheckedPerSegment() throws IOException {
		DatasetFrame frame = new DatasetFrame(3,
				List.of(new ColumnData("v", ColumnType.NUMERIC, new double[] { 1, 2, 3 }, null, null)));
		Path file = this.dir.resolve("p.fsd");
		DatasetFile.write(file, frame, StorageCodec.PLAIN);
		byte[] bytes = Files.readAllBytes(file);
		for (int at = 0; at < bytes.length; at++) {
			byte[] flipped = bytes.clone();
			flipped[at] ^= 4;
			Files.write(file, flipped);
			assertThatExceptionOfType(IOException.class).as("byte %d", at).isThrownBy(() -> DatasetFile.read(file));
		}
	}

	@Test
	void anUploadIsStoredStraightFromItsParsedColumnsByteForByte() throws Exception {
		// past half a block of rows, so the parallel parse moves its columns into blocks
		int rows = DoubleChunks.BLOCK / 2 + 1000;
		StringBuilder csv = new StringBuilder(rows * 24).append("x,label,color\n");
		java.util.Random random = new java.util.Random(5);
		for (int i = 0; i < rows; i++) {
			csv.append(i % 97 == 0 ? "" : Double.toString(random.nextGaussian()))
				.append(',')
				.append(i % 3)
				.append(',')
				.append(i % 2 == 0 ? "red" : "blue")
				.append('\n');
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			CsvIngest.Parallelism parallel = new CsvIngest.Parallelism(pool, 2, 1 << 16, false);
			IngestLimits limits = new IngestLimits(10, 10_000_000);
			IngestResult parsed = CsvIngest.ingest(new ByteArrayInputStream(bytes), limits, parallel);
			IngestResult framed = CsvIngest.ingest(new ByteArrayInputStream(bytes), limits, parallel);
			Path fromColumns = this.dir.resolve("columns.fsd");
			Path fromFrame = this.dir.resolve("frame.fsd");
			parsed.write(fromColumns, StorageCodec.DEFAULT);
			DatasetFile.write(fromFrame, framed.frame(), StorageCodec.DEFAULT);
			assertThat(Files.readAllBytes(fromColumns)).isEqualTo(Files.readAllBytes(fromFrame));
			DatasetFrame back = DatasetFile.read(fromColumns);
			assertSameFrame(back, framed.frame());
			assertThat(back.rows()).isEqualTo(rows);
			assertThat(back.column("x").values()[0]).isNaN();
			assertThat(back.column("label").codes()).startsWith(0, 1, 2, 0);
			// stored: the parsed columns can go, and are not asked for again
			parsed.release();
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(parsed::frame)
				.withMessage("the parsed columns were released");
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> parsed.write(this.dir.resolve("again.fsd"), StorageCodec.DEFAULT))
				.withMessage("the parsed columns were released");
			assertThat(this.dir.resolve("again.fsd")).doesNotExist();
			assertThat(parsed.rows()).isEqualTo(rows);
		}
		finally {
			pool.shutdownNow();
		}
	}

	static void assertSameFrame(DatasetFrame actual, DatasetFrame expected) {
		assertThat(actual.rows()).isEqualTo(expected.rows());
		assertThat(actual.columns()).hasSameSizeAs(expected.columns());
		for (int i = 0; i < expected.columns().size(); i++) {
			ColumnData a = actual.columns().get(i);
			ColumnData e = expected.columns().get(i);
			assertThat(a.name()).isEqualTo(e.name());
			assertThat(a.type()).isEqualTo(e.type());
			assertThat(a.levels()).isEqualTo(e.levels());
			assertThat(a.codes()).isEqualTo(e.codes());
			if (e.values() == null) {
				assertThat(a.values()).isNull();
			}
			else {
				assertThat(a.values()).hasSameSizeAs(e.values());
				for (int r = 0; r < e.values().length; r++) {
					if (Double.doubleToRawLongBits(a.values()[r]) != Double.doubleToRawLongBits(e.values()[r])) {
						assertThat(a.values()[r]).as("row %d of %s", r, e.name()).isEqualTo(e.values()[r]);
					}
				}
			}
		}
	}

}
