package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Differential test of the parallel parse ({@link CsvIngest.Parallelism}) against the
 * sequential one: for every input, with chunks so small that their boundaries fall
 * everywhere (inside quoted fields, between CR and LF, inside a multi-byte character),
 * both give the same dataset (values, types, level order, profiles, hash) or the same
 * error (message, line, column).
 */
class CsvParallelTest {

	private static final IngestLimits LIMITS = new IngestLimits(64, 10_000, 4096);

	private static final int[] CHUNK_BYTES = { 1, 2, 3, 5, 8, 13, 31, 64, 257, 4096 };

	private static ExecutorService pool;

	@BeforeAll
	static void startPool() {
		pool = Executors.newFixedThreadPool(3);
	}

	@AfterAll
	static void stopPool() {
		pool.shutdownNow();
	}

	/** What an ingest gave: the result, or the error's message, line and column. */
	private record Outcome(IngestResult result, String error) {
	}

	private static Outcome run(byte[] csv, IngestLimits limits, CsvIngest.Parallelism parallel, int readSize) {
		InputStream in = new ByteArrayInputStream(csv);
		if (readSize > 0) {
			in = new TinyReads(in, readSize);
		}
		try {
			return new Outcome(CsvIngest.ingest(in, limits, parallel), null);
		}
		catch (CsvFormatException ex) {
			return new Outcome(null, ex.getMessage() + " @" + ex.line() + ":" + ex.column());
		}
	}

	private static void assertSameEverywhere(String csv) {
		assertSameEverywhere(csv.getBytes(StandardCharsets.UTF_8), LIMITS);
	}

	private static void assertSameEverywhere(byte[] csv, IngestLimits limits) {
		Outcome expected = run(csv, limits, null, 0);
		for (int chunk : CHUNK_BYTES) {
			for (int threads : new int[] { 2, 3 }) {
				Outcome actual = run(csv, limits, new CsvIngest.Parallelism(pool, threads, chunk, true),
						chunk % 2 == 1 ? 7 : 0);
				assertSame(expected, actual, "chunks of " + chunk + " bytes, " + threads + " threads");
			}
		}
	}

	private static void assertSame(Outcome expected, Outcome actual, String how) {
		if (expected.error() != null) {
			assertThat(actual.error()).as(how).isEqualTo(expected.error());
			return;
		}
		assertThat(actual.error()).as(how).isNull();
		IngestResult e = expected.result();
		IngestResult a = actual.result();
		assertThat(a.delimiter()).as(how).isEqualTo(e.delimiter());
		assertThat(a.sha256()).as(how).isEqualTo(e.sha256());
		assertThat(a.bytes()).as(how).isEqualTo(e.bytes());
		assertThat(a.schema()).as(how).isEqualTo(e.schema());
		assertThat(a.frame().rows()).as(how).isEqualTo(e.frame().rows());
		assertThat(a.frame().columns()).as(how).hasSameSizeAs(e.frame().columns());
		for (int i = 0; i < e.frame().columns().size(); i++) {
			ColumnData ec = e.frame().columns().get(i);
			ColumnData ac = a.frame().columns().get(i);
			String col = how + ", column " + ec.name();
			assertThat(ac.name()).as(col).isEqualTo(ec.name());
			assertThat(ac.type()).as(col).isEqualTo(ec.type());
			assertThat(Arrays.equals(ac.values(), ec.values())).as(col + " values").isTrue();
			assertThat(ac.codes()).as(col + " codes").isEqualTo(ec.codes());
			assertThat(ac.levels()).as(col + " levels").isEqualTo(ec.levels());
		}
	}

	@Test
	void quotedFieldsWithNewlinesAndQuotesAcrossBoundaries() {
		assertSameEverywhere("id,text,x\n1,\"a,b\",1\n2,\"say \"\"hi\"\"\n\n\",2\n3,\"two\nlines\",3\n"
				+ "4,  \"  padded \"  ,4\n5,\"\"\"\",5\n6,plain,6\n7,\"\n\n\n\",7\n");
	}

	@Test
	void crlfBomBlankLinesAndNoTrailingNewline() {
		assertSameEverywhere("\uFEFFa,b\r\n1,x\r\n\r\n   \r\n2,\"y\r\nz\"\r\n3,w");
		assertSameEverywhere("\n\n a ; b \n1;2\n\n3;4\n   \n");
		assertSameEverywhere("a\tb\n1\t\t\n2\tx\n");
	}

	@Test
	void categoriesKeepFirstAppearanceOrderAcrossChunks() {
		StringBuilder csv = new StringBuilder("c,n\n");
		String[] words = { "pear", "apple", "fig", "kiwi", "plum", "apple", "date", "fig", "lime" };
		for (int i = 0; i < 300; i++) {
			csv.append(words[(i * 7 + i / 13) % words.length]).append(i % 3 == 0 ? "-" + (i % 17) : "").append(',');
			csv.append(i % 5).append('\n');
		}
		assertSameEverywhere(csv.toString());
	}

	@Test
	void aNumericColumnTurnsTextInALateChunk() {
		StringBuilder csv = new StringBuilder("a,b,c\n");
		for (int i = 0; i < 400; i++) {
			// b: the same numbers written differently, turning text near the end; c:
			// over DISTINCT_CAP distinct values before it turns
			csv.append(i % 2 == 0 ? "1" : "1.0").append(',');
			csv.append(i == 350 ? "late" : (i % 3 == 0 ? "2.50" : i % 3 == 1 ? "+2.5" : "-0")).append(',');
			csv.append(i == 390 ? "x" : String.valueOf(i * 1.5)).append('\n');
		}
		assertSameEverywhere(csv.toString());
		StringBuilder many = new StringBuilder("v\n");
		for (int i = 0; i < 2500; i++) {
			many.append(i == 2400 ? "text" : (i % 4) + "." + i).append('\n');
		}
		assertSameEverywhere(many.toString().getBytes(StandardCharsets.UTF_8), new IngestLimits(4, 10_000, 4096));
	}

	/**
	 * Personal data is judged on a column's first 256 non-missing values in file order,
	 * whichever chunks they come from: 210 e-mail addresses then phone numbers (82%
	 * e-mail), 200 then others (78%: not suspected), phone numbers after a missing
	 * prefix.
	 */
	@Test
	void personalDataIsJudgedOnTheFirstValuesOfTheWholeColumn() {
		StringBuilder csv = new StringBuilder("mostly,fewer,phone\n");
		for (int i = 0; i < 400; i++) {
			String email = "user" + i + "@example.org";
			String phone = "+44 20 7946 " + (1000 + i);
			csv.append(i < 210 ? email : phone).append(',');
			csv.append(i < 200 ? email : phone).append(',');
			csv.append(i < 30 ? "" : phone).append('\n');
		}
		assertSameEverywhere(csv.toString());
		List<ColumnSchema> schema = run(csv.toString().getBytes(StandardCharsets.UTF_8), LIMITS,
				new CsvIngest.Parallelism(pool, 2, 64, true), 0)
			.result()
			.schema();
		assertThat(schema).extracting(c -> c.profile().piiKind()).containsExactly("email", null, "phone");
	}

	@Test
	void anErrorInALateChunkIsTheSameError() {
		String rows = "1,a\n2,\"b\nc\"\n3,c\n".repeat(40);
		assertSameEverywhere("x,y\n" + rows + "4,d,extra\n" + rows);
		assertSameEverywhere("x,y\n" + rows + "4,\"d\" e\n" + rows);
		assertSameEverywhere("x,y\n" + rows + "4,\"never closed\n" + rows);
		assertSameEverywhere("x,y\n" + rows + "5,\"" + "long ".repeat(1000) + "\"\n" + rows);
		assertSameEverywhere("x,y\n" + rows + "6,\"" + "long ".repeat(200) + "\"\n" + rows);
		assertSameEverywhere("x,y\n" + rows + "7,\"a\" ,\"b\"\n" + rows);
		byte[] invalid = ("x,y\n" + rows + "8,\u00ff\n" + rows).getBytes(StandardCharsets.ISO_8859_1);
		assertSameEverywhere(invalid, LIMITS);
		assertSameEverywhere(("x,y\n" + rows).getBytes(StandardCharsets.UTF_8), new IngestLimits(64, 77, 4096));
		assertSameEverywhere("x,y\n" + rows + rows.replace("\n", "\r\n") + "9,\"unterminated");
	}

	@Test
	void strayQuotesInUnquotedCellsMisleadTheCutterButNotTheResult() {
		String rows = "1,ab\"c,2\n2,x,3\n3,d\"\"e\"f,4\n".repeat(30);
		assertSameEverywhere("p,q,r\n" + rows);
		assertSameEverywhere("p,q,r\n1,it's 5\" long,1\n" + "2,plain,2\n".repeat(100));
	}

	@Test
	void randomInputs() {
		Random random = new Random(12);
		String[] cells = { "1", "2.5", "-0", "0.0", "1e3", "NA", "", " ", "?", "true", "no", "x", "\"q\"", "\"a,b\"",
				"\"l1\nl2\"", "\"\"\"\"", "\"\r\n\"", "é", "null", "3", "4", "5", "1.0", "N/A" };
		for (int n = 0; n < 100; n++) {
			int columns = 1 + random.nextInt(4);
			StringBuilder csv = new StringBuilder();
			for (int c = 0; c < columns; c++) {
				csv.append(c == 0 ? "" : ",").append("c").append(c);
			}
			csv.append(random.nextBoolean() ? "\n" : "\r\n");
			int rows = random.nextInt(60);
			for (int r = 0; r < rows; r++) {
				int width = random.nextInt(50) == 0 ? columns + 1 : columns;
				for (int c = 0; c < width; c++) {
					csv.append(c == 0 ? "" : ",").append(cells[random.nextInt(cells.length)]);
				}
				if (random.nextInt(20) == 0) {
					csv.append("\n");
				}
				if (r < rows - 1 || random.nextBoolean()) {
					csv.append(random.nextBoolean() ? "\n" : "\r\n");
				}
			}
			assertSameEverywhere(csv.toString());
		}
	}

	@Test
	void anInputOverTheFirstBufferWithDefaultChunks() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write("n,c,m,q\n".getBytes(StandardCharsets.UTF_8));
		Random random = new Random(3);
		for (int i = 0; i < 120_000; i++) {
			String row = random.nextGaussian() + "," + "k" + random.nextInt(40) + "," + (i == 100_000 ? "late" : "7")
					+ "," + (i % 1000 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "plain") + "\n";
			out.write(row.getBytes(StandardCharsets.UTF_8));
		}
		byte[] csv = out.toByteArray();
		assertThat(csv.length).isGreaterThan(3 << 20);
		IngestLimits limits = new IngestLimits(10, 1_000_000);
		Outcome expected = run(csv, limits, null, 0);
		assertThat(expected.error()).isNull();
		for (int chunk : new int[] { 1 << 16, 1 << 20, CsvIngest.Parallelism.DEFAULT_CHUNK_BYTES }) {
			assertSame(expected, run(csv, limits, new CsvIngest.Parallelism(pool, 2, chunk, false), 0),
					"chunks of " + chunk);
			assertSame(expected, run(csv, limits, new CsvIngest.Parallelism(pool, 3, chunk, false), 4093),
					"chunks of " + chunk + ", reads of 4093 bytes");
		}
		List<String> errors = new ArrayList<>();
		byte[] bad = Arrays.copyOf(csv, csv.length + 9);
		System.arraycopy("1,2,3,4,5".getBytes(StandardCharsets.UTF_8), 0, bad, csv.length, 9);
		for (CsvIngest.Parallelism p : new CsvIngest.Parallelism[] { null,
				new CsvIngest.Parallelism(pool, 2, 1 << 16, false) }) {
			errors.add(run(bad, limits, p, 0).error());
		}
		// 1 header line, 120000 rows, 120 of them over two lines
		assertThat(errors.get(0)).isEqualTo("line 120122 has 5 cells, expected 4 @120122:null");
		assertThat(errors.get(1)).isEqualTo(errors.get(0));
	}

	@Test
	void buffersKeptFromOneUploadCarryNothingIntoTheNext() {
		// three 4 MB chunks and more of long rows, then a file of short rows with other
		// columns: the second parse reads through the first one's input buffers and chunk
		// arrays, whose stale bytes and values lie past what it fills
		IngestLimits limits = new IngestLimits(10, 10_000_000);
		byte[] wide = csv(400_000, 4, 1e9);
		byte[] narrow = csv(600_000, 2, 10);
		assertThat(wide.length).isGreaterThan(3 * CsvIngest.Parallelism.DEFAULT_CHUNK_BYTES);
		CsvIngest.Parallelism parallel = CsvIngest.Parallelism.of(pool, 2);
		Outcome first = run(wide, limits, parallel, 0);
		assertThat(first.error()).isNull();
		first.result().release();
		assertThat(CsvIngest.spareBuffers()).as("input buffers kept").isPositive();
		assertThat(DoubleChunks.SPARE_SMALL_CHUNKS).as("chunk arrays kept").isNotEmpty();
		assertSame(run(narrow, limits, null, 0), run(narrow, limits, parallel, 0), "after a wide upload");
		assertSame(run(wide, limits, null, 0), run(wide, limits, parallel, 0), "wide again");
	}

	/** A header and rows of columns numbers rounded to 1 / scale (c0 ascending). */
	private static byte[] csv(int rows, int columns, double scale) {
		Random random = new Random(rows);
		StringBuilder b = new StringBuilder(rows * columns * 14);
		for (int c = 0; c < columns; c++) {
			b.append(c == 0 ? "" : ",").append('c').append(c);
		}
		b.append('\n');
		for (int i = 0; i < rows; i++) {
			b.append(i);
			for (int c = 1; c < columns; c++) {
				b.append(',').append(Math.round(random.nextGaussian() * scale) / scale);
			}
			b.append('\n');
		}
		return b.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void aColumnLongerThanABlockKeepsEveryValueInOrder() {
		// past one and a half blocks (one heap region of values each): the sequential
		// parse moves its chunks into blocks, the parallel one copies chunk columns in
		int rows = DoubleChunks.BLOCK * 3 / 2 + 17;
		StringBuilder csv = new StringBuilder(rows * 16).append("i,half\n");
		for (int i = 0; i < rows; i++) {
			csv.append(i).append(',').append(i).append(".5\n");
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		IngestLimits limits = new IngestLimits(10, 10_000_000);
		Outcome expected = run(bytes, limits, null, 0);
		Outcome parallel = run(bytes, limits, new CsvIngest.Parallelism(pool, 2, 1 << 20, false), 0);
		assertSame(expected, parallel, "chunks of 1 MB");
		List<ColumnData> columns = parallel.result().frame().columns();
		double[] ints = columns.get(0).values();
		double[] halves = columns.get(1).values();
		assertThat(ints).hasSize(rows);
		for (int i = 0; i < rows; i++) {
			if (ints[i] != i || halves[i] != i + 0.5) {
				throw new AssertionError("row " + i + ": " + ints[i] + ", " + halves[i]);
			}
		}
	}

	/** At most n bytes per read. */
	private static final class TinyReads extends InputStream {

		private final InputStream in;

		private final int n;

		TinyReads(InputStream in, int n) {
			this.in = in;
			this.n = n;
		}

		@Override
		public int read() throws java.io.IOException {
			return this.in.read();
		}

		@Override
		public int read(byte[] b, int off, int len) throws java.io.IOException {
			return this.in.read(b, off, Math.min(len, this.n));
		}

	}

	@Test
	void aParseThatFailsNearTheEndFreesItsOffHeapValuesAtOnce() {
		// 200,000 rows (columns move off the heap at half a block) and a short last row
		StringBuilder csv = new StringBuilder("a,b\n");
		for (int i = 0; i < 200_000; i++) {
			csv.append(i).append(',').append(i * 0.5).append('\n');
		}
		csv.append("7\n");
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		long before = DoubleChunksTest.directBytes();
		for (CsvIngest.Parallelism parallel : new CsvIngest.Parallelism[] { null, CsvIngest.Parallelism.of(pool, 3) }) {
			assertThatExceptionOfType(CsvFormatException.class).isThrownBy(
					() -> CsvIngest.ingest(new ByteArrayInputStream(bytes), new IngestLimits(10, 1_000_000), parallel))
				.satisfies(ex -> assertThat(ex.line()).isEqualTo(200_002));
			assertThat(DoubleChunksTest.directBytes()).as("direct memory after a failed parse, %s", parallel)
				.isEqualTo(before);
		}
		// and a parse that succeeds holds its values there until released
		IngestResult ok = CsvIngest.ingest(
				new ByteArrayInputStream(csv.substring(0, csv.length() - 2).getBytes(StandardCharsets.UTF_8)),
				new IngestLimits(10, 1_000_000), CsvIngest.Parallelism.of(pool, 3));
		assertThat(DoubleChunksTest.directBytes() - before).isGreaterThanOrEqualTo(2L * 200_000 * Double.BYTES);
		ok.release();
		assertThat(DoubleChunksTest.directBytes()).isEqualTo(before);
	}

	@Test
	void uploadsOverTheOffHeapLimitRunOutOfMemoryAndFreeWhatTheyHeld() {
		// 400,000 rows of two numeric columns: 6.4 MB of values, over a limit of 4 MB
		// more than what is alive now
		StringBuilder csv = new StringBuilder("a,b\n");
		for (int i = 0; i < 400_000; i++) {
			csv.append(i).append(',').append(i * 0.25).append('\n');
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		long limit = DoubleChunks.limit();
		try {
			for (CsvIngest.Parallelism parallel : new CsvIngest.Parallelism[] { null,
					CsvIngest.Parallelism.of(pool, 3) }) {
				DoubleChunks.readyBytes();
				long live = DoubleChunks.liveBytes();
				DoubleChunks.limit(live + (4L << 20));
				assertThatExceptionOfType(OutOfMemoryError.class)
					.isThrownBy(() -> CsvIngest.ingest(new ByteArrayInputStream(bytes), new IngestLimits(10, 1_000_000),
							parallel))
					.withMessageContaining("fitserve.upload.max-off-heap");
				DoubleChunks.readyBytes();
				assertThat(DoubleChunks.liveBytes()).as("alive after the refused parse, %s", parallel)
					.isLessThanOrEqualTo(live);
			}
			// under the limit, the same file parses
			DoubleChunks.limit(DoubleChunks.liveBytes() + (16L << 20));
			IngestResult ok = CsvIngest.ingest(new ByteArrayInputStream(bytes), new IngestLimits(10, 1_000_000),
					CsvIngest.Parallelism.of(pool, 3));
			assertThat(ok.rows()).isEqualTo(400_000);
			ok.release();
		}
		finally {
			DoubleChunks.limit(limit);
		}
	}

	@Test
	void theAutomaticOffHeapLimitLeavesTheHeapAndAQuarterOfTheMemory() {
		long gb = 1L << 30;
		assertThat(UploadProperties.autoOffHeap(4 * gb, 2 * gb)).isEqualTo(gb);
		assertThat(UploadProperties.autoOffHeap(24 * gb, 6 * gb)).isEqualTo(12 * gb);
		// at least 512 MB for the rest, and at least 128 MB for columns
		assertThat(UploadProperties.autoOffHeap(2 * gb, gb)).isEqualTo(gb / 2);
		assertThat(UploadProperties.autoOffHeap(gb, gb / 2)).isEqualTo(128L << 20);
	}

}
