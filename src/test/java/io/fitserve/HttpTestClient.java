package io.fitserve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP against a running fitserve, with JSON bodies read as plain maps and lists.
 * Sends the tests' admin key (the FITSERVE_ADMIN_KEY system property Surefire sets)
 * unless told otherwise.
 */
final class HttpTestClient {

	/** The admin key every fitserve started in the test JVM accepts. */
	static final String ADMIN_KEY = System.getProperty("FITSERVE_ADMIN_KEY");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final String key;

	HttpTestClient(int port) {
		this(port, ADMIN_KEY);
	}

	/**
	 * A client that sends key as its bearer token; null sends no Authorization header.
	 */
	HttpTestClient(int port, String key) {
		this("http://localhost:" + port, key);
	}

	private HttpTestClient(String base, String key) {
		this.base = base;
		this.key = key;
	}

	/** The same server with another key (null: none). */
	HttpTestClient withKey(String otherKey) {
		return new HttpTestClient(base, otherKey);
	}

	record Response(int status, Map<String, List<String>> headers, String body) {

		@SuppressWarnings("unchecked")
		Map<String, Object> json() {
			return JSON.readValue(body, Map.class);
		}

		/** A top-level array field of a JSON object body, e.g. a listing's "items". */
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> json(String arrayField) {
			return (List<Map<String, Object>>) json().get(arrayField);
		}

		String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> e.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		String contentType() {
			return header("Content-Type");
		}

	}

	Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
	}

	Response postJson(String path, Object body) {
		String json = body instanceof String s ? s : JSON.writeValueAsString(body);
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	Response post(String path, String contentType, String body) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	Response upload(String filename, byte[] csv, String name) {
		return upload(filename, csv, name, "");
	}

	/**
	 * A multipart upload to /api/v1/datasets + query (e.g. "?name=x", or ""); name, when
	 * not null, as a form field.
	 */
	Response upload(String filename, byte[] csv, String name, String query) {
		return uploadForm(filename, csv, name == null ? Map.of() : Map.of("name", name), query);
	}

	/**
	 * A multipart upload to /api/v1/datasets + query with these form fields (e.g. name,
	 * mask) before the file.
	 */
	Response uploadForm(String filename, byte[] csv, Map<String, String> fields, String query) {
		String boundary = "fitserve" + UUID.randomUUID();
		StringBuilder head = new StringBuilder();
		for (Map.Entry<String, String> field : fields.entrySet()) {
			head.append("--")
				.append(boundary)
				.append("\r\n")
				.append("Content-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n")
				.append(field.getValue())
				.append("\r\n");
		}
		head.append("--")
			.append(boundary)
			.append("\r\n")
			.append("Content-Disposition: form-data; name=\"file\"; filename=\"")
			.append(filename)
			.append("\"\r\n")
			.append("Content-Type: text/csv\r\n\r\n");
		byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
		byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[start.length + csv.length + end.length];
		System.arraycopy(start, 0, body, 0, start.length);
		System.arraycopy(csv, 0, body, start.length, csv.length);
		System.arraycopy(end, 0, body, start.length + csv.length, end.length);
		return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/datasets" + query))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	/**
	 * POST /api/v1/datasets with the CSV as the raw body (Content-Length set); query is
	 * e.g. "?name=x" or "".
	 */
	Response uploadRaw(byte[] csv, String contentType, String query) {
		return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/datasets" + query))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(csv)));
	}

	/**
	 * Like {@link #uploadRaw} but chunked: no Content-Length, so the server only learns
	 * the size by reading.
	 */
	Response uploadRawChunked(byte[] csv, String contentType, String query) {
		return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/datasets" + query))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(csv))));
	}

	/**
	 * POSTs a generated body of {@code length} bytes ({@code head}, then {@code unit}
	 * repeated) without holding it in memory: with a declared Content-Length, or chunked
	 * when {@code chunked}. {@code sent} counts the bytes the client actually handed to
	 * the connection.
	 */
	Response postGenerated(String path, String contentType, byte[] head, byte[] unit, long length, boolean chunked,
			java.util.concurrent.atomic.AtomicLong sent) {
		java.util.function.Supplier<java.io.InputStream> body = () -> new java.io.InputStream() {
			private long pos;

			@Override
			public int read() {
				byte[] one = new byte[1];
				return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
			}

			@Override
			public int read(byte[] b, int off, int len) {
				if (pos >= length) {
					return -1;
				}
				int n = (int) Math.min(len, length - pos);
				for (int i = 0; i < n; i++) {
					long at = pos + i;
					b[off + i] = at < head.length ? head[(int) at] : unit[(int) ((at - head.length) % unit.length)];
				}
				pos += n;
				sent.addAndGet(n);
				return n;
			}
		};
		HttpRequest.BodyPublisher publisher = chunked ? HttpRequest.BodyPublishers.ofInputStream(body)
				: HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
		return send(
				HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).POST(publisher));
	}

	/**
	 * Over a plain socket: sends the request line and headers (with
	 * {@code Content-Length: declared}) and only {@code sendBytes} bytes of the body,
	 * then reads the answer; shows that the server answers without waiting for a body it
	 * refuses. Headers this client adds to every request must be added here too.
	 */
	Response postDeclaredButUnsent(String path, String contentType, long declared, int sendBytes) throws IOException {
		URI uri = URI.create(base + path);
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(30_000);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ (key == null ? "" : "\r\nAuthorization: Bearer " + key) + "\r\nContent-Type: " + contentType
					+ "\r\nContent-Length: " + declared + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(new byte[sendBytes]);
			out.flush();
			return readResponse(socket);
		}
	}

	/**
	 * Over a plain socket: a GET with one more header line, written as ISO-8859-1 bytes
	 * (characters java.net.http refuses to send). HTTP/1.0, so the answer is not chunked.
	 */
	Response getWithRawHeader(String path, String name, String value) throws IOException {
		URI uri = URI.create(base + path);
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(30_000);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("GET " + uri.getRawPath() + " HTTP/1.0\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ (key == null ? "" : "\r\nAuthorization: Bearer " + key) + "\r\n" + name + ": " + value
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return readResponse(socket);
		}
	}

	private static Response readResponse(java.net.Socket socket) throws IOException {
		java.io.DataInputStream in = new java.io.DataInputStream(
				new java.io.BufferedInputStream(socket.getInputStream()));
		String statusLine = readLine(in);
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		String line;
		while (!(line = readLine(in)).isEmpty()) {
			int colon = line.indexOf(':');
			headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new java.util.ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		List<String> length = headers.get("Content-Length");
		byte[] body;
		if (length == null) {
			body = in.readAllBytes();
		}
		else {
			body = new byte[Integer.parseInt(length.get(0))];
			in.readFully(body);
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	/**
	 * Over a plain socket: POSTs body (Content-Length declared), pausing after the first
	 * pauseAt bytes until whilePaused has run (a second after they were sent, so the
	 * server has read them); the answer's status and everything after its status line.
	 */
	Response postPausing(String path, String contentType, byte[] body, int pauseAt, Runnable whilePaused)
			throws IOException, InterruptedException {
		URI uri = URI.create(base + path);
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(60_000);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("POST " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
					+ " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ (key == null ? "" : "\r\nAuthorization: Bearer " + key) + "\r\nContent-Type: " + contentType
					+ "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body, 0, pauseAt);
			out.flush();
			Thread.sleep(1000);
			whilePaused.run();
			out.write(body, pauseAt, body.length - pauseAt);
			out.flush();
			java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
			String statusLine = readLine(in);
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			return new Response(status, Map.of(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private static String readLine(java.io.InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	/**
	 * Polls a training job until it leaves queued/running, or fails the test after the
	 * timeout.
	 */
	Map<String, Object> awaitJob(String jobId, Duration timeout) throws InterruptedException {
		return awaitFinished("/api/v1/training-jobs/", jobId, timeout);
	}

	/** The tuning job once it is neither queued nor running. */
	Map<String, Object> awaitTuningJob(String tuningId, Duration timeout) throws InterruptedException {
		return awaitFinished("/api/v1/tuning-jobs/", tuningId, timeout);
	}

	private Map<String, Object> awaitFinished(String collection, String id, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Map<String, Object> job = get(collection + id).json();
			String status = (String) job.get("status");
			if (!status.equals("queued") && !status.equals("running")) {
				return job;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("job " + id + " still " + status + " after " + timeout);
			}
			Thread.sleep(100);
		}
	}

	/** A CORS preflight for a GET from origin. */
	Response preflight(String path, String origin) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
	}

	/** A cross-origin GET, as a browser on origin sends it. */
	Response getFrom(String path, String origin) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).header("Origin", origin).GET());
	}

	/** Any method, with an optional JSON body. */
	Response request(String method, String path, String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
		if (jsonBody == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
		}
		return send(request);
	}

	/**
	 * True once the service answers its health endpoint with 200; false while it cannot
	 * be reached.
	 */
	boolean isUp() {
		try {
			return get("/actuator/health").status() == 200;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private Response send(HttpRequest.Builder request) {
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static <T> T at(Object json, Object... path) {
		Object node = json;
		for (Object key : path) {
			node = key instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(key);
		}
		return (T) node;
	}

}
