package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CsvIngestTest {

	private static final IngestLimits LIMITS = new IngestLimits(10_000, 10_000_000);

	private static IngestResult ingest(String csv) {
		return ingest(csv.getBytes(StandardCharsets.UTF_8));
	}

	private static IngestResult ingest(byte[] csv) {
		return CsvIngest.ingest(new ByteArrayInputStream(csv), LIMITS);
	}

	private static ColumnSchema schema(IngestResult r, String name) {
		return r.schema().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
	}

	private static String[] texts(ColumnData c) {
		String[] out = new String[c.codes().length];
		for (int i = 0; i < out.length; i++) {
			out[i] = c.codes()[i] < 0 ? null : c.levels().get(c.codes()[i]);
		}
		return out;
	}

	@Test
	void quotedFieldsWithDelimitersEscapesAndNewlines() {
		IngestResult r = ingest("id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n");
		assertThat(r.delimiter()).isEqualTo(',');
		assertThat(r.frame().rows()).isEqualTo(4);
		assertThat(texts(r.frame().column("text"))).containsExactly("a,b", "say \"hi\"", "two\nlines", "plain");
		assertThat(r.frame().column("id").values()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void semicolonDelimiter() {
		IngestResult r = ingest("a;b;\"c,d\"\n1,5;x;2\n");
		assertThat(r.delimiter()).isEqualTo(';');
		assertThat(r.frame().columns()).extracting(ColumnData::name).containsExactly("a", "b", "c,d");
		assertThat(texts(r.frame().column("a"))).containsExactly("1,5");
		assertThat(r.frame().column("a").type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(r.frame().column("c,d").values()).containsExactly(2.0);
	}

	@Test
	void tabDelimiterKeepsSpacesInsideCells() {
		IngestResult r = ingest("name\tscore\n  new york \t 3.5 \nparis\t4\n");
		assertThat(r.delimiter()).isEqualTo('\t');
		assertThat(texts(r.frame().column("name"))).containsExactly("new york", "paris");
		assertThat(r.frame().column("score").values()).containsExactly(3.5, 4.0);
	}

	@Test
	void bomIsStrippedAndCrlfHandled() {
		byte[] body = "\"x\",y\r\n1,a\r\n2,\"b\"\r\n".getBytes(StandardCharsets.UTF_8);
		byte[] csv = new byte[body.length + 3];
		csv[0] = (byte) 0xEF;
		csv[1] = (byte) 0xBB;
		csv[2] = (byte) 0xBF;
		System.arraycopy(body, 0, csv, 3, body.length);
		IngestResult r = ingest(csv);
		assertThat(r.frame().columns()).extracting(ColumnData::name).containsExactly("x", "y");
		assertThat(r.frame().column("x").values()).containsExactly(1, 2);
		assertThat(texts(r.frame().column("y"))).containsExactly("a", "b");
		assertThat(r.bytes()).isEqualTo(csv.length);
	}

	@Test
	void everyMissingToken() {
		IngestResult r = ingest("v,w\n1,a\nNA,NA\nn/a,n/a\nNaN,NaN\nnull,null\n?,?\n,\n   ,  \n\"\",\"\"\n2,b\n");
		ColumnData v = r.frame().column("v");
		assertThat(v.type()).isEqualTo(ColumnType.NUMERIC);
		assertThat(v.values()).hasSize(10);
		assertThat(v.values()[0]).isEqualTo(1.0);
		assertThat(v.values()[9]).isEqualTo(2.0);
		for (int i = 1; i < 9; i++) {
			assertThat(v.values()[i]).as("row %d", i).isNaN();
		}
		assertThat(v.codes()).containsExactly(0, -1, -1, -1, -1, -1, -1, -1, -1, 1);
		ColumnData w = r.frame().column("w");
		assertThat(w.type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(w.levels()).containsExactly("a", "b");
		assertThat(w.codes()).containsExactly(0, -1, -1, -1, -1, -1, -1, -1, -1, 1);
		assertThat(schema(r, "w").profile().missing()).isEqualTo(8);
		assertThat(schema(r, "w").profile().count()).isEqualTo(2);
	}

	@Test
	void typeInference() {
		IngestResult r = ingest("n,b,c,m,mixed\n1,yes,x,,1\n2.5,NO,y,NA,true\n-3,True,x,,2\n");
		assertThat(r.schema()).extracting(ColumnSchema::type)
			.containsExactly(ColumnType.NUMERIC, ColumnType.BOOLEAN, ColumnType.CATEGORICAL, ColumnType.CATEGORICAL,
					ColumnType.CATEGORICAL);
		ColumnData b = r.frame().column("b");
		assertThat(b.levels()).containsExactly("false", "true");
		assertThat(b.codes()).containsExactly(1, 0, 1);
		assertThat(b.values()).isNull();
		ColumnProfile bp = schema(r, "b").profile();
		assertThat(bp.topValues()).containsExactly(new ValueCount("true", 2), new ValueCount("false", 1));
		assertThat(bp.distinct()).isEqualTo(2);
		assertThat(bp.mean()).isNull();

		ColumnData m = r.frame().column("m");
		assertThat(m.levels()).isEmpty();
		assertThat(m.codes()).containsExactly(-1, -1, -1);
		ColumnProfile mp = schema(r, "m").profile();
		assertThat(mp.count()).isZero();
		assertThat(mp.missing()).isEqualTo(3);
		assertThat(mp.distinct()).isZero();
		assertThat(mp.topValues()).isEmpty();

		assertThat(r.frame().column("mixed").levels()).containsExactly("1", "true", "2");
		assertThat(r.frame().column("n").values()).containsExactly(1, 2.5, -3);
		assertThat(r.frame().column("n").levels()).containsExactly("1", "2.5", "-3");
	}

	@Test
	void numericProfileByHand() {
		IngestResult r = ingest("v\n1\n2\nNA\n3\n4\n2.0\n");
		ColumnProfile p = schema(r, "v").profile();
		// Values 1,2,3,4,2: mean 12/5 = 2.4; squared deviations 1.96+0.16+0.36+2.56+0.16
		// = 5.2; 5.2/4 = 1.3.
		assertThat(p.count()).isEqualTo(5);
		assertThat(p.missing()).isEqualTo(1);
		assertThat(p.distinct()).isEqualTo(4);
		assertThat(p.distinctExact()).isTrue();
		assertThat(p.min()).isEqualTo(1.0);
		assertThat(p.max()).isEqualTo(4.0);
		assertThat(p.mean()).isCloseTo(2.4, within(1e-15));
		assertThat(p.stddev()).isCloseTo(Math.sqrt(1.3), within(1e-15));
		assertThat(p.topValues()).isNull();
		// "2.0" is the same value as "2": it shares the code and the text first written.
		assertThat(r.frame().column("v").levels()).containsExactly("1", "2", "3", "4");
		assertThat(r.frame().column("v").codes()).containsExactly(0, 1, -1, 2, 3, 1);
	}

	@Test
	void simpleStddev() {
		ColumnProfile p = schema(ingest("v\n1\n2\n3\n4\n"), "v").profile();
		assertThat(p.mean()).isEqualTo(2.5);
		assertThat(p.stddev()).isEqualTo(1.2909944487358056);
		assertThat(schema(ingest("v\n7\n"), "v").profile().stddev()).isNull();
	}

	@Test
	void topValuesOrderedByCountThenFirstSeen() {
		StringBuilder csv = new StringBuilder("c\n");
		// d:3, b:3, a:2, e:1 ... b is seen before d, so b wins the tie.
		for (String s : "b,a,d,b,d,a,e,d,b".split(",")) {
			csv.append(s).append('\n');
		}
		for (int i = 0; i < 12; i++) {
			csv.append("u").append(i).append('\n');
		}
		ColumnProfile p = schema(ingest(csv.toString()), "c").profile();
		assertThat(p.distinct()).isEqualTo(16);
		assertThat(p.topValues()).hasSize(10);
		assertThat(p.topValues().subList(0, 5)).containsExactly(new ValueCount("b", 3), new ValueCount("d", 3),
				new ValueCount("a", 2), new ValueCount("e", 1), new ValueCount("u0", 1));
		assertThat(p.topValues().get(9)).isEqualTo(new ValueCount("u5", 1));
		assertThat(p.min()).isNull();
		assertThat(p.stddev()).isNull();
	}

	@Test
	void numericColumnTurnsCategoricalLate() {
		StringBuilder csv = new StringBuilder("v,w\n");
		for (int i = 0; i < 5000; i++) {
			csv.append(i % 3 == 0 ? "1.50" : Integer.toString(i % 3)).append(',').append(i).append('\n');
		}
		csv.append("oops,x\n");
		IngestResult r = ingest(csv.toString());
		ColumnData v = r.frame().column("v");
		assertThat(v.type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(v.levels()).containsExactly("1.50", "1", "2", "oops");
		assertThat(v.codes()[0]).isZero();
		assertThat(v.codes()[4]).isEqualTo(1);
		assertThat(v.codes()[5000]).isEqualTo(3);
		// Beyond DISTINCT_CAP the raw text is gone, so integers are re-printed the way
		// they were written.
		ColumnData w = r.frame().column("w");
		assertThat(w.type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(w.levels()).hasSize(5001);
		assertThat(w.levels().get(1234)).isEqualTo("1234");
		assertThat(w.levels().get(5000)).isEqualTo("x");
		ColumnProfile wp = schema(r, "w").profile();
		assertThat(wp.count()).isEqualTo(5001);
		assertThat(wp.topValues().get(0)).isEqualTo(new ValueCount("0", 1));
	}

	@Test
	void highCardinalityNumericDropsCodes() {
		StringBuilder csv = new StringBuilder("v\n");
		for (int i = 0; i < 1001; i++) {
			csv.append(i).append('\n');
		}
		ColumnData v = ingest(csv.toString()).frame().column("v");
		assertThat(v.type()).isEqualTo(ColumnType.NUMERIC);
		assertThat(v.codes()).isNull();
		assertThat(v.levels()).isNull();
		csv.setLength(csv.length() - "1000\n".length());
		ColumnData atCap = ingest(csv.toString()).frame().column("v");
		assertThat(atCap.codes()).hasSize(1000);
		assertThat(atCap.levels()).hasSize(1000);
	}

	@Test
	void profileDistinctStopsBeingExactPastItsCap() {
		StringBuilder csv = new StringBuilder("v\n");
		for (int i = 0; i < 100_500; i++) {
			csv.append(i).append('\n');
		}
		ColumnProfile p = schema(ingest(csv.toString()), "v").profile();
		assertThat(p.distinctExact()).isFalse();
		assertThat(p.distinct()).isEqualTo(100_000);
		assertThat(p.count()).isEqualTo(100_500);
		assertThat(p.mean()).isEqualTo(50_249.5);
	}

	@Test
	void wrongCellCountNamesTheLine() {
		assertThatExceptionOfType(CsvFormatException.class)
			.isThrownBy(() -> ingest("a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,3\n"))
			.withMessage("line 4 has 3 cells, expected 5")
			.satisfies(e -> assertThat(e.line()).isEqualTo(4));
		// The quoted field spans lines 3-5, so the short record starts on physical line
		// 7.
		assertThatExceptionOfType(CsvFormatException.class)
			.isThrownBy(() -> ingest("a,b\n1,x\n2,\"multi\nline\nfield\"\n3,y\n4\n"))
			.withMessage("line 7 has 1 cells, expected 2")
			.satisfies(e -> assertThat(e.line()).isEqualTo(7));
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("a,b\r\n1,2\r\n1,2,3\r\n"))
			.withMessage("line 3 has 3 cells, expected 2");
	}

	@Test
	void blankLinesAreSkippedButCounted() {
		IngestResult r = ingest("a,b\n\n1,2\n\n\n3,4\n\n");
		assertThat(r.frame().rows()).isEqualTo(2);
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("a,b\n\n1,2\n\n5\n"))
			.withMessage("line 5 has 1 cells, expected 2");
	}

	@Test
	void headerProblems() {
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("x,y,x\n1,2,3\n"))
			.withMessage("header has duplicate column 'x'")
			.satisfies(e -> assertThat(e.column()).isEqualTo(3));
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("x, ,z\n1,2,3\n"))
			.withMessageContaining("blank");
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest(""))
			.withMessage("the file is empty");
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("\n \r\n"))
			.withMessage("the file is empty");
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("a,b\n"))
			.withMessage("the file has a header but no data rows");
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(
				() -> CsvIngest.ingest(new ByteArrayInputStream("a,b,c\n1,2,3\n".getBytes()), new IngestLimits(2, 10)))
			.withMessage("too many columns: 3 (limit 2)");
		assertThatExceptionOfType(CsvFormatException.class)
			.isThrownBy(
					() -> CsvIngest.ingest(new ByteArrayInputStream("a\n1\n2\n3\n".getBytes()), new IngestLimits(2, 2)))
			.withMessageStartingWith("too many rows")
			.satisfies(e -> assertThat(e.line()).isEqualTo(4));
	}

	@Test
	void unterminatedQuote() {
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("a,b\n1,2\n3,\"open\n4,5\n"))
			.withMessage("unterminated quoted field starting on line 3")
			.satisfies(e -> assertThat(e.column()).isEqualTo(2));
		assertThatExceptionOfType(CsvFormatException.class).isThrownBy(() -> ingest("a,b\n1,\"x\"y\n"))
			.withMessageContaining("after the closing quote");
	}

	@Test
	void noTrailingNewlineAndTrailingEmptyCell() {
		IngestResult r = ingest("a,b\n1,\n2,z");
		assertThat(r.frame().column("a").values()).containsExactly(1, 2);
		assertThat(texts(r.frame().column("b"))).containsExactly(null, "z");
	}

	@Test
	void invalidUtf8IsRefusedNamingTheColumn() {
		byte[] csv = { 'n', ',', 'c', '\n', '1', ',', (byte) 0xC3, '\n', '2', ',', (byte) 0xFF, '\n', '3', ',', 'o',
				'k', '\n', '4', ',', (byte) 0xC3, (byte) 0xA9, '\n' };
		assertThatThrownBy(() -> ingest(csv)).isInstanceOf(CsvFormatException.class)
			.hasMessageContaining("column 2 'c' holds bytes that are not valid UTF-8")
			.satisfies(ex -> assertThat(((CsvFormatException) ex).column()).isEqualTo(2));
		// valid multi-byte text is fine
		assertThat(ingest("c\nok\né\n".getBytes(StandardCharsets.UTF_8)).frame().column("c").levels())
			.containsExactly("ok", "é");
	}

	@Test
	void aGenuineReplacementCharacterIsValidUtf8() {
		// U+FFFD written as its own UTF-8 bytes EF BF BD: valid text, in a header, a
		// category, quoted or not
		IngestResult r = ingest("n,c\uFFFDd,q\n1,caf\uFFFD,\"x\"\"\uFFFD\"\n2,\uFFFD,y\n3,caf\uFFFD,y\n"
			.getBytes(StandardCharsets.UTF_8));
		assertThat(r.frame().column("c\uFFFDd").levels()).containsExactly("caf\uFFFD", "\uFFFD");
		assertThat(r.frame().column("c\uFFFDd").codes()).containsExactly(0, 1, 0);
		assertThat(r.frame().column("q").levels()).containsExactly("x\"\uFFFD", "y");
		assertThat(schema(r, "c\uFFFDd").profile().distinct()).isEqualTo(2);
	}

	@Test
	void malformedBytesNextToAGenuineReplacementCharacterAreStillRefused() {
		byte[] fffd = { (byte) 0xEF, (byte) 0xBF, (byte) 0xBD };
		// row 1 holds a genuine U+FFFD, row 2 a lone continuation byte that decodes to
		// one
		ByteArrayOutputStream csv = new ByteArrayOutputStream();
		csv.writeBytes("n,c\n1,".getBytes(StandardCharsets.UTF_8));
		csv.writeBytes(fffd);
		csv.writeBytes("\n2,".getBytes(StandardCharsets.UTF_8));
		csv.write(0xBF);
		csv.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
		assertThatThrownBy(() -> ingest(csv.toByteArray())).isInstanceOf(CsvFormatException.class)
			.hasMessageContaining("column 2 'c' holds bytes that are not valid UTF-8")
			.hasMessageContaining("first in data row 2")
			.satisfies(ex -> assertThat(((CsvFormatException) ex).column()).isEqualTo(2));
		// an over-long encoding or a surrogate decodes to U+FFFD too, and is not valid
		// UTF-8
		for (byte[] bad : new byte[][] { { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				{ (byte) 0xEF, (byte) 0xBF } }) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes("c\n".getBytes(StandardCharsets.UTF_8));
			out.writeBytes(fffd);
			out.write('\n');
			out.writeBytes(bad);
			out.write('\n');
			assertThatThrownBy(() -> ingest(out.toByteArray())).isInstanceOf(CsvFormatException.class)
				.hasMessageContaining("not valid UTF-8");
		}
		// in the header: a genuine U+FFFD is a name, a malformed byte is refused naming
		// line and column
		byte[] header = { 'a', ',', 'b', (byte) 0xFF, '\n', '1', ',', '2', '\n' };
		assertThatThrownBy(() -> ingest(header)).isInstanceOf(CsvFormatException.class)
			.hasMessageContaining("header column 2 has a name that is not valid UTF-8")
			.satisfies(ex -> assertThat(((CsvFormatException) ex).line()).isEqualTo(1))
			.satisfies(ex -> assertThat(((CsvFormatException) ex).column()).isEqualTo(2));
	}

	@Test
	void binaryInputIsRefusedUpFront() {
		assertThatThrownBy(() -> ingest(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 'a', '\n' }))
			.hasMessageContaining("gzip-compressed");
		assertThatThrownBy(() -> ingest("PK\u0003\u0004a,b\n1,2\n".getBytes(StandardCharsets.ISO_8859_1)))
			.hasMessageContaining("zip archive");
		assertThatThrownBy(() -> ingest("a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE)))
			.hasMessageContaining("NUL byte");
		assertThatThrownBy(() -> ingest("a,b\n1,2\n3,x\u0000y\n".getBytes(StandardCharsets.UTF_8)))
			.hasMessageContaining("line 3 holds a NUL byte")
			.satisfies(ex -> assertThat(((CsvFormatException) ex).line()).isEqualTo(3));
	}

	@Test
	void longRecordsAndColumnNamesAreRefused() {
		IngestLimits small = new IngestLimits(10, 100, 100);
		assertThatThrownBy(() -> CsvIngest.ingest(
				new ByteArrayInputStream(("a,b\n1,2\n3," + "x".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8)),
				small))
			.hasMessageContaining("starting on line 3 is longer than")
			.hasMessageContaining("fitserve.upload.max-line-length");
		assertThatThrownBy(() -> ingest(("a," + "b".repeat(256) + "\n1,2\n").getBytes(StandardCharsets.UTF_8)))
			.hasMessageContaining("header column 2 has a name of 256 characters (limit 255)");
	}

	@Test
	void sha256OfTheRawBytes() throws Exception {
		byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
		IngestResult r = ingest(csv);
		assertThat(r.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(csv)));
		assertThat(r.bytes()).isEqualTo(8);
		// Worked out independently: printf 'a\n1\n' | sha256sum
		assertThat(ingest("a\n1\n").sha256())
			.isEqualTo("309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
	}

	@Test
	void recordsStraddlingBufferBoundariesAndTinyReads() {
		// A stream that hands out at most 7 bytes per read exercises every refill path.
		StringBuilder csv = new StringBuilder("id,txt,v\n");
		for (int i = 0; i < 3000; i++) {
			csv.append(i).append(",\"q ").append(i).append("\nx\"\"y\",").append(i * 0.5).append('\n');
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		InputStream slow = new ByteArrayInputStream(bytes) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 7));
			}
		};
		IngestResult r = CsvIngest.ingest(slow, LIMITS);
		assertThat(r.frame().rows()).isEqualTo(3000);
		assertThat(texts(r.frame().column("txt"))[2999]).isEqualTo("q 2999\nx\"y");
		assertThat(r.frame().column("v").values()[2999]).isEqualTo(1499.5);
	}

	@Test
	void recordLargerThanTheInitialBufferGrowsIt() {
		String big = "z".repeat(3 << 20);
		IngestResult r = ingest("a,b\n1,\"" + big + "\"\n2,small\n");
		assertThat(r.frame().column("b").levels()).containsExactly(big, "small");
	}

	@Test
	void lateConversionPastTheCapReprintsDecimals() {
		StringBuilder csv = new StringBuilder("v\n");
		for (int i = 0; i < 1500; i++) {
			csv.append(i).append(".5\n");
		}
		csv.append("x\n");
		ColumnData v = ingest(csv.toString()).frame().column("v");
		assertThat(v.levels().get(1499)).isEqualTo("1499.5");
		assertThat(v.levels().get(1500)).isEqualTo("x");
	}

	@Test
	void largeGeneratedFile() throws Exception {
		int rows = 200_000;
		ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 40);
		out.write("id,x,cat,flag,y\n".getBytes(StandardCharsets.UTF_8));
		String[] cats = { "alpha", "beta", "gamma", "delta" };
		for (int i = 0; i < rows; i++) {
			String x = i % 1000 == 999 ? "" : Double.toString(i * 0.001 - 3.25);
			String line = i + "," + x + "," + cats[i % 4] + "," + (i % 3 == 0 ? "true" : "false") + "," + (i % 7)
					+ "\n";
			out.write(line.getBytes(StandardCharsets.UTF_8));
		}
		byte[] bytes = out.toByteArray();
		IngestResult r = ingest(bytes);
		DatasetFrame f = r.frame();
		assertThat(f.rows()).isEqualTo(rows);
		assertThat(r.bytes()).isEqualTo(bytes.length);
		assertThat(r.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
		assertThat(f.column("id").values()[123_456]).isEqualTo(123_456.0);
		assertThat(f.column("id").codes()).isNull();
		assertThat(f.column("x").values()[150_000]).isEqualTo(150_000 * 0.001 - 3.25);
		assertThat(f.column("x").values()[999]).isNaN();
		assertThat(f.column("cat").levels()).containsExactly("alpha", "beta", "gamma", "delta");
		assertThat(f.column("cat").codes()[199_999]).isEqualTo(3);
		assertThat(f.column("flag").type()).isEqualTo(ColumnType.BOOLEAN);
		assertThat(f.column("flag").codes()[3]).isEqualTo(1);
		assertThat(f.column("flag").codes()[4]).isEqualTo(0);
		assertThat(f.column("y").levels()).containsExactly("0", "1", "2", "3", "4", "5", "6");
		assertThat(f.column("y").codes()[100]).isEqualTo(100 % 7);
		ColumnProfile id = schema(r, "id").profile();
		assertThat(id.mean()).isEqualTo(99_999.5);
		assertThat(id.max()).isEqualTo(199_999.0);
		assertThat(id.distinct()).isEqualTo(100_000);
		assertThat(id.distinctExact()).isFalse();
		ColumnProfile x = schema(r, "x").profile();
		assertThat(x.missing()).isEqualTo(200);
		ColumnProfile cat = schema(r, "cat").profile();
		assertThat(cat.topValues()).extracting(ValueCount::count).containsOnly(50_000L);
		assertThat(schema(r, "flag").profile().topValues()).containsExactly(new ValueCount("false", 133_333),
				new ValueCount("true", 66_667));
		assertThat(List.of(r.delimiter())).containsExactly(',');
	}

}
