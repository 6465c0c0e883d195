package io.fitserve.datasets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link MultipartReader} on hand-written bodies (each read whole and in reads of 1 to 7
 * bytes, so every boundary falls across reads), on bodies that break the format or the
 * limits, and against commons-fileupload2 on random bodies.
 */
class MultipartReaderTest {

	private static final String B = "----b0undary";

	/** A part as read: name, file name, Content-Type and content. */
	record Read(String name, String filename, String contentType, String content) {
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3, 7 })
	void readsEachPartWithItsHeadersAndContent(int chunk) throws IOException {
		String body = "a preamble, ignored\r\n--" + B + "\r\n" //
				+ "Content-Disposition: form-data; name=\"name\"\r\n\r\n" //
				+ "iris\r\n--" + B + "\r\n" //
				+ "content-disposition: form-data; name=\"file\"; filename=\"iris.csv\"\r\n" //
				+ "Content-Type: text/csv\r\n\r\n" //
				+ "x,y\r\n1,2\r\n\r\n--" + B + "--\r\nan epilogue, ignored";
		assertThat(readAll(body, B, chunk)).containsExactly(new Read("name", null, null, "iris"),
				new Read("file", "iris.csv", "text/csv", "x,y\r\n1,2\r\n"));
	}

	/**
	 * Content may hold anything short of the delimiter itself: a delimiter cut short, the
	 * boundary without the line break before it, line breaks and dashes around it.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3, 7 })
	void contentKeepsWhatAlmostLooksLikeABoundary(int chunk) throws IOException {
		String content = "\r\n--" + B.substring(0, B.length() - 1) + "\r\n\r\r\n--" + B.substring(0, 3) + "--" + B
				+ "\n--" + B + "\r--" + B + "\r\n-\r\n--\r\n\r\n\r";
		String body = "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + content + "\r\n--" + B
				+ "--";
		assertThat(readAll(body, B, chunk)).containsExactly(new Read("file", null, null, content));
	}

	@Test
	void emptyContentEmptyHeadersAndPadding() throws IOException {
		// a part with no headers has no name; spaces after a boundary are transport
		// padding
		String body = "--" + B + " \t\r\n\r\nno headers\r\n--" + B + "\r\n"
				+ "Content-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--" + B + "--";
		assertThat(readAll(body, B, 1)).containsExactly(new Read(null, null, null, "no headers"),
				new Read("e", null, null, ""));
	}

	@Test
	void headerLinesMayBeFoldedAndLinesWithoutAColonAreSkipped() throws IOException {
		String body = "--" + B + "\r\nContent-Disposition: form-data;\r\n name=\"file\";\r\n\tfilename=\"a.csv\"\r\n"
				+ "nonsense\r\nContent-Type: text/csv\r\n\r\nx\r\n--" + B + "--";
		assertThat(readAll(body, B, 0)).containsExactly(new Read("file", "a.csv", "text/csv", "x"));
	}

	@Test
	void parametersAsBrowsersAndCurlSendThem() {
		assertThat(MultipartReader.parameters("; name=\"file\"; filename=\"my \\\"big\\\" file.csv\""))
			.containsEntry("name", "file")
			.containsEntry("filename", "my \\\"big\\\" file.csv");
		assertThat(MultipartReader.parameters("; NAME=file; Filename=a;b.csv")).containsEntry("name", "file")
			.containsEntry("filename", "a");
		// RFC 5987 is decoded and wins over the plain parameter, in either order
		assertThat(MultipartReader.parameters("; filename*=UTF-8''%E2%82%AC+1.csv; filename=\"EUR.csv\""))
			.containsEntry("filename", "\u20ac+1.csv");
		assertThat(MultipartReader.parameters("; filename=\"EUR.csv\"; filename*=utf-8'en'%E2%82%AC.csv"))
			.containsEntry("filename", "\u20ac.csv");
		// not RFC 5987, or a charset the JVM lacks: the plain one stays
		assertThat(MultipartReader.parameters("; filename=\"a.csv\"; filename*=nonsense")).containsEntry("filename",
				"a.csv");
		assertThat(MultipartReader.parameters("; filename=\"a.csv\"; filename*=x-none''b.csv"))
			.containsEntry("filename", "a.csv");
		assertThat(MultipartReader.parameters("; filename")).containsEntry("filename", null).hasSize(1);
		assertThat(MultipartReader.parameters("; name=\"unclosed")).containsEntry("name", "unclosed");
	}

	@Test
	void aFilenameParameterWithoutValueIsAnEmptyName() throws IOException {
		String body = "--" + B + "\r\nContent-Disposition: form-data; name=\" file \"; filename\r\n\r\nx\r\n--" + B
				+ "\r\nContent-Disposition: attachment; name=\"file\"\r\n\r\ny\r\n--" + B + "--";
		assertThat(readAll(body, B, 0)).containsExactly(new Read("file", "", null, "x"),
				new Read(null, null, null, "y"));
	}

	@Test
	void theBoundaryComesFromTheContentType() {
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
		assertThat(MultipartReader.boundary("multipart/form-data; charset=utf-8; Boundary=\"a b:c\""))
			.isEqualTo("a b:c");
		assertThat(MultipartReader.boundary("multipart/form-data")).isNull();
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=")).isNull();
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=\"a\rb\"")).isNull();
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=\u00e9")).isNull();
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + "x".repeat(201))).isNull();
		assertThat(MultipartReader.boundary(null)).isNull();
	}

	@Test
	void aBodyWithoutBoundaryHasNoPart() throws IOException {
		assertThat(readAll("not multipart at all", B, 0)).isEmpty();
		assertThat(readAll("", B, 0)).isEmpty();
		// the first boundary must start a line
		assertThat(readAll("x--" + B + "\r\n\r\ny\r\n--" + B + "--", B, 0)).isEmpty();
	}

	@Test
	void brokenBodiesAreMalformedAndSayWhy() {
		String part = "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n";
		assertMalformed(part + "x,y\n1,2\n", "the body ends inside a part, with no boundary after it");
		assertMalformed(part + "x\r\n--" + B, "the body ends right after a boundary");
		assertMalformed(part + "x\r\n--" + B + "X\r\n", "a boundary is followed by something other");
		assertMalformed(part + "x\r\n--" + B + " ".repeat(1025) + "\r\n", "more than 1024 spaces");
		assertMalformed("--" + B + "\r\nContent-Disposition: form-data", "the body ends inside a part's headers");
		assertMalformed("--" + B + "\r\nX: " + "y".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\nz\r\n--" + B,
				"a part's headers are longer than 16 KB");
		assertMalformed(("--" + B + "\r\n\r\n\r\n").repeat(MultipartReader.MAX_PARTS + 1) + "--" + B + "--",
				"the body has more than 1000 parts");
	}

	@Test
	void headersJustUnderTheLimitAndAThousandPartsAreRead() throws IOException {
		String header = "X: " + "y".repeat(MultipartReader.MAX_HEADER_BYTES - 10) + "\r\n";
		assertThat(readAll("--" + B + "\r\n" + header + "\r\nz\r\n--" + B + "--", B, 0))
			.containsExactly(new Read(null, null, null, "z"));
		assertThat(readAll(("--" + B + "\r\n\r\n\r\n").repeat(MultipartReader.MAX_PARTS) + "--" + B + "--", B, 0))
			.hasSize(MultipartReader.MAX_PARTS);
	}

	/**
	 * A file much larger than the reader's window, full of line breaks and dashes,
	 * arriving in reads of every size: the same bytes come out, whether read in large
	 * reads, small ones or single bytes.
	 */
	@Test
	void aLargeFileComesThroughUnchanged() throws IOException {
		Random random = new Random(7);
		byte[] alphabet = ("\r\n-" + B.charAt(4) + B.charAt(5) + "0123,.").getBytes(StandardCharsets.US_ASCII);
		byte[] file = new byte[1 << 20];
		for (int i = 0; i < file.length; i++) {
			file[i] = alphabet[random.nextInt(alphabet.length)];
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n").getBytes());
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nok\r\n--" + B + "--")
			.getBytes());
		for (int readSize : new int[] { 1, 1000, 100_000 }) {
			MultipartReader reader = new MultipartReader(new Trickle(body.toByteArray(), 13, random), B);
			MultipartReader.Part part = reader.next();
			assertThat(part.name()).isEqualTo("file");
			ByteArrayOutputStream read = new ByteArrayOutputStream();
			byte[] buf = new byte[readSize];
			int n;
			while ((n = (readSize == 1) ? single(part.content(), buf) : part.content().read(buf)) >= 0) {
				read.write(buf, 0, n);
			}
			assertThat(Arrays.equals(read.toByteArray(), file)).isTrue();
			assertThat(part.content().read()).isEqualTo(-1);
			MultipartReader.Part after = reader.next();
			assertThat(new String(after.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
			assertThat(reader.next()).isNull();
			assertThat(reader.next()).isNull();
		}
	}

	@Test
	void aPartNotReadIsSkippedAndAnOldPartReadsNothing() throws IOException {
		String body = "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "skipped ".repeat(20_000)
				+ "\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nread\r\n--" + B + "--";
		MultipartReader reader = new MultipartReader(new Trickle(body.getBytes(), 5000, new Random(1)), B);
		MultipartReader.Part a = reader.next();
		assertThat(a.content().read()).isEqualTo('s');
		MultipartReader.Part b = reader.next();
		assertThat(a.content().read()).isEqualTo(-1);
		assertThat(b.name()).isEqualTo("b");
		assertThat(b.content().readAllBytes()).asString().isEqualTo("read");
		assertThat(reader.next()).isNull();
	}

	/**
	 * Random bodies (random boundaries, names, file names and contents made of line
	 * breaks, dashes and pieces of the boundary; a preamble and an epilogue) read the
	 * same as commons-fileupload2 reads them.
	 */
	@Test
	void readsRandomBodiesAsCommonsFileUploadDoes() throws Exception {
		Random random = new Random(12);
		String bchars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";
		int compared = 0;
		for (int round = 0; round < 1500; round++) {
			StringBuilder boundary = new StringBuilder();
			int length = 1 + random.nextInt(70);
			for (int i = 0; i < length; i++) {
				boundary.append(bchars.charAt(random.nextInt(bchars.length())));
			}
			String b = boundary.toString();
			String[] pieces = { "\r", "\n", "\r\n", "-", "--", "\r\n--", b.substring(0, random.nextInt(b.length() + 1)),
					"\r\n--" + b.substring(0, random.nextInt(b.length())), "x", "1,2", " ", "\u00e9" };
			StringBuilder body = new StringBuilder();
			if (random.nextBoolean()) {
				// commons-fileupload2 takes "--" boundary anywhere in the preamble as the
				// first
				// boundary, RFC 2046 only at the start of a line: a preamble here has
				// none
				String preamble = random(pieces, random, 5);
				while (preamble.contains("--" + b)) {
					preamble = preamble.replace("--" + b, "-");
				}
				body.append(preamble).append("\r\n");
			}
			int parts = random.nextInt(5);
			for (int p = 0; p < parts; p++) {
				body.append("--").append(b).append("\r\n");
				if (random.nextInt(8) > 0) {
					body.append("Content-Disposition: form-data; name=\"f").append(p).append('"');
					if (random.nextBoolean()) {
						body.append("; filename=\"file ").append(p).append(".csv\"");
					}
					body.append("\r\n");
				}
				else {
					// a part without a header at all is RFC 2046's, but
					// commons-fileupload2
					// reads its content as headers (emptyContentEmptyHeadersAndPadding)
					body.append("X-Other: 1\r\n");
				}
				if (random.nextBoolean()) {
					body.append("Content-Type: text/csv\r\n");
				}
				body.append("\r\n");
				String content = random(pieces, random, random.nextInt(40));
				while (content.contains("\r\n--" + b)) {
					content = content.replace("\r\n--" + b, "\r\n-");
				}
				body.append(content).append("\r\n");
			}
			body.append("--").append(b).append("--");
			if (random.nextBoolean()) {
				body.append("\r\n").append(random(pieces, random, 5));
			}
			String text = body.toString();
			int chunk = random.nextInt(9);
			// commons-fileupload2 leaves out a part without a name; MultipartUpload skips
			// it
			assertThat(readAll(text, b, chunk).stream().filter((read) -> read.name() != null))
				.as("boundary %s, body %s", b, text)
				.isEqualTo(commons(text, b));
			compared += commons(text, b).size();
		}
		assertThat(compared).as("named parts compared").isGreaterThan(1500);
	}

	private static String random(String[] pieces, Random random, int count) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < count; i++) {
			text.append(pieces[random.nextInt(pieces.length)]);
		}
		return text.toString();
	}

	private static void assertMalformed(String body, String reason) {
		for (int chunk : new int[] { 0, 1, 3 }) {
			assertThatExceptionOfType(MultipartReader.MalformedException.class)
				.isThrownBy(() -> readAll(body, B, chunk))
				.withMessageContaining(reason);
		}
	}

	/**
	 * Every part, content read through; chunk 0 gives the whole body to the first read.
	 */
	static List<Read> readAll(String body, String boundary, int chunk) throws IOException {
		return readAll(body, boundary, chunk, StandardCharsets.UTF_8);
	}

	/** As {@link #readAll(String, String, int)}, the body and contents in charset. */
	static List<Read> readAll(String body, String boundary, int chunk, Charset charset) throws IOException {
		byte[] bytes = body.getBytes(charset);
		InputStream in = (chunk == 0) ? new ByteArrayInputStream(bytes) : new Trickle(bytes, chunk, new Random(chunk));
		MultipartReader reader = new MultipartReader(in, boundary);
		List<Read> parts = new ArrayList<>();
		MultipartReader.Part part;
		while ((part = reader.next()) != null) {
			String content = new String(part.content().readAllBytes(), charset);
			parts.add(new Read(part.name(), part.filename(), part.contentType(), content));
		}
		return parts;
	}

	private static List<Read> commons(String body, String boundary) {
		try {
			return commonsOrThrow(body, boundary);
		}
		catch (IOException ex) {
			throw new AssertionError("commons-fileupload2 refused boundary [" + boundary + "] body ["
					+ body.replace("\r", "\\r").replace("\n", "\\n") + "]", ex);
		}
	}

	private static List<Read> commonsOrThrow(String body, String boundary) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		JakartaServletFileUpload<?, ?> upload = new JakartaServletFileUpload<>();
		upload.setHeaderCharset(StandardCharsets.UTF_8);
		FileItemInputIterator items = upload.getItemIterator(new Context(
				"multipart/form-data; boundary=\"" + boundary + "\"", bytes.length, new ByteArrayInputStream(bytes)));
		List<Read> parts = new ArrayList<>();
		while (items.hasNext()) {
			FileItemInput item = items.next();
			String content;
			try (InputStream in = item.getInputStream()) {
				content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			parts.add(new Read(item.getFieldName(), item.getName(), item.getContentType(), content));
		}
		return parts;
	}

	private static int single(InputStream in, byte[] one) throws IOException {
		int b = in.read();
		if (b < 0) {
			return -1;
		}
		one[0] = (byte) b;
		return 1;
	}

	/** Hands out a byte array in reads of 1 to chunk bytes, as a slow network would. */
	static final class Trickle extends InputStream {

		private final byte[] bytes;

		private final int chunk;

		private final Random random;

		private int at;

		Trickle(byte[] bytes, int chunk, Random random) {
			this.bytes = bytes;
			this.chunk = chunk;
			this.random = random;
		}

		@Override
		public int read() {
			return (this.at < this.bytes.length) ? this.bytes[this.at++] & 0xff : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (this.at >= this.bytes.length) {
				return -1;
			}
			int n = Math.min(Math.min(len, 1 + this.random.nextInt(this.chunk)), this.bytes.length - this.at);
			System.arraycopy(this.bytes, this.at, b, off, n);
			this.at += n;
			return n;
		}

	}

	/** A request as commons-fileupload2 sees it. */
	private record Context(String contentType, long contentLength, InputStream body) implements RequestContext {

		@Override
		public String getCharacterEncoding() {
			return StandardCharsets.UTF_8.name();
		}

		@Override
		public long getContentLength() {
			return this.contentLength;
		}

		@Override
		public String getContentType() {
			return this.contentType;
		}

		@Override
		public InputStream getInputStream() {
			return this.body;
		}

		@Override
		public boolean isMultipartRelated() {
			return false;
		}

	}

}
