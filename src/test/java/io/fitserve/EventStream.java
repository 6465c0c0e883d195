package io.fitserve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The job event streams (text/event-stream) as the tests read them: over real HTTP with
 * the admin key.
 */
final class EventStream {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private EventStream() {
	}

	/**
	 * A server-sent event with its JSON data; a comment line is an event named ":" with
	 * the comment as its entry.
	 */
	record Event(String name, Map<String, Object> data) {

		boolean comment() {
			return name.equals(":");
		}

	}

	/**
	 * GET path on localhost:port asking for an event stream; the response as it comes,
	 * body unread.
	 */
	static HttpResponse<InputStream> open(int port, String path) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + HttpTestClient.ADMIN_KEY)
			.header("Accept", "text/event-stream")
			.GET()
			.build(), HttpResponse.BodyHandlers.ofInputStream());
	}

	/** Reads every event and comment until the server ends the stream. */
	static List<Event> readAll(HttpResponse<InputStream> response) {
		return readAll(response, () -> {
		});
	}

	/**
	 * Reads the named events only (comments left out) until the server ends the stream.
	 */
	static List<Event> readNamed(HttpResponse<InputStream> response) {
		return readAll(response).stream().filter(e -> !e.comment()).toList();
	}

	/**
	 * Reads every event and comment until the server ends the stream; onComment runs at
	 * each comment line.
	 */
	@SuppressWarnings("unchecked")
	static List<Event> readAll(HttpResponse<InputStream> response, Runnable onComment) {
		List<Event> events = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String name = null;
			StringBuilder data = new StringBuilder();
			String line;
			while ((line = in.readLine()) != null) {
				if (line.isEmpty()) {
					if (name != null) {
						events.add(new Event(name, JSON.readValue(data.toString(), Map.class)));
					}
					name = null;
					data.setLength(0);
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5));
				}
				else if (line.startsWith(":")) {
					events.add(new Event(":", Map.of("comment", line.substring(1))));
					onComment.run();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return events;
	}

}
