package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/models/{id}/predictions} reads its JSON body with the streaming
 * reader; the registry's version route still binds the body to PredictionRequest (the
 * reference path). Over real HTTP, against a real logistic regression on a numeric, a
 * categorical and a boolean feature, both answer every body the same, byte for byte where
 * it matters (predictions, warnings, problems with their field pointers).
 */
class StreamingPredictionReaderTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.prediction.max-rows=3");

	static HttpTestClient http;

	static String native_;

	static String reference;

	static final String CSV = "x,color,member,label\n" + "1.0,red,yes,a\n2.0,blue,no,a\n3.0,red,no,b\n4.0,blue,yes,b\n"
			+ "5,red,yes,b\n0.5,blue,no,a\n1.5,green,yes,a\n4.5,green,no,b\n";

	@BeforeAll
	static void train() throws Exception {
		http = server.http();
		HttpTestClient.Response upload = http.upload("mixed.csv", CSV.getBytes(StandardCharsets.UTF_8), null);
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		HttpTestClient.Response job = http.postJson("/api/v1/training-jobs", Map.of("datasetId",
				upload.json().get("id"), "target", "label", "algorithm", "logistic_regression", "testFraction", 0.0));
		assertThat(job.status()).as(job.body()).isEqualTo(202);
		Map<String, Object> done = http.awaitJob((String) job.json().get("id"), Duration.ofSeconds(120));
		assertThat(done.get("status")).as(done.toString()).isEqualTo("succeeded");
		String modelId = (String) done.get("modelId");
		assertThat(http.postJson("/api/v1/registered-models", Map.of("name", "mixed")).status()).isEqualTo(201);
		assertThat(http.postJson("/api/v1/registered-models/mixed/versions", Map.of("modelId", modelId)).status())
			.isEqualTo(201);
		native_ = "/api/v1/models/" + modelId + "/predictions";
		reference = "/api/v1/registered-models/mixed/versions/1/predictions";
	}

	/** Both routes' answers to body; asserts they agree and returns the native one. */
	static HttpTestClient.Response both(String body) {
		HttpTestClient.Response fast = http.post(native_, "application/json", body);
		HttpTestClient.Response bound = http.post(reference, "application/json", body);
		assertThat(fast.status()).as(body + " -> " + fast.body()).isEqualTo(bound.status());
		assertThat(fast.contentType()).isEqualTo(bound.contentType());
		// a problem's instance is the request's own path; everything else must agree
		Map<String, Object> fastJson = new java.util.HashMap<>(fast.json());
		Map<String, Object> boundJson = new java.util.HashMap<>(bound.json());
		if (fastJson.containsKey("instance")) {
			assertThat(fastJson.remove("instance")).isEqualTo(native_);
			assertThat(boundJson.remove("instance")).isEqualTo(reference);
		}
		assertThat(fastJson).as(body).isEqualTo(boundJson);
		return fast;
	}

	@Test
	void validBodiesAnswerAsTheReferencePath() {
		HttpTestClient.Response plain = both(
				"{\"rows\": [{\"x\": 4.0, \"color\": \"red\", \"member\": true}, {\"x\": 1, \"color\": \"blue\","
						+ " \"member\": \"no\"}]}");
		assertThat(plain.header("Server-Timing")).startsWith("predict;dur=");
		assertThat(HttpTestClient.<List<?>>at(plain.json(), "predictions")).hasSize(2);
		assertThat(HttpTestClient.<List<?>>at(plain.json(), "warnings")).isEmpty();
		// numbers as strings, surrounding spaces, "yes" for true, in any key order: the
		// same row, so the same answer
		HttpTestClient.Response strings = both(
				"{\"rows\": [{\"member\": \"yes\", \"color\": \" red \", \"x\": \"4.0\"}]}");
		assertThat(HttpTestClient.<Object>at(strings.json(), "predictions", 0))
			.isEqualTo(at(plain.json(), "predictions", 0));
		// duplicate keys: the last one counts
		HttpTestClient.Response duplicate = both(
				"{\"rows\": [{\"x\": 100, \"color\": \"blue\", \"member\": false, \"x\": 4, \"color\": \"red\", "
						+ "\"member\": true}]}");
		assertThat(HttpTestClient.<Object>at(duplicate.json(), "predictions", 0))
			.isEqualTo(at(plain.json(), "predictions", 0));
		// null and missing markers are imputed; unseen categories are missing with a
		// warning; extra keys are ignored with a warning
		HttpTestClient.Response imputed = both("{\"rows\": [{\"x\": null, \"color\": \"purple\", \"member\": \"NA\","
				+ " \"id\": 1}, {\"x\": \"?\", \"color\": null, \"member\": null, \"id\": 2, \"label\": \"a\"}],"
				+ " \"threshold\": 0.25}");
		assertThat(HttpTestClient.<List<String>>at(imputed.json(), "warnings")).containsExactly(
				"row 0: 'color' has the unseen category 'purple'; treated as missing",
				"'id' is not a feature of this model; ignored in 2 row(s)",
				"'label' is not a feature of this model; ignored in 1 row(s)");
		// a missing category and an unseen one impute the same level
		assertThat(HttpTestClient.<Object>at(imputed.json(), "predictions", 0))
			.isEqualTo(at(imputed.json(), "predictions", 1));
		both("{\"explain\": true, \"rows\": [{\"x\": 2.5, \"color\": \"green\", \"member\": 1}], \"threshold\":"
				+ " \"best_f1\"}");
	}

	@Test
	void refusedBodiesGetTheSameProblems() {
		// an absent feature: 422 naming the row and feature
		HttpTestClient.Response absent = both(
				"{\"rows\": [{\"x\": 1, \"color\": \"red\", \"member\": true}, {\"color\": \"red\", \"member\": true}]}");
		assertProblem(absent, 422, "unprocessable-input");
		assertThat(HttpTestClient.<Map<String, Object>>at(absent.json(), "errors", 0)).isEqualTo(Map.of("row", 1,
				"field", "x", "message", "feature 'x' is absent; send null to have it imputed as in training"));
		// wrong JSON types and unreadable values, every one listed in row then feature
		// order
		HttpTestClient.Response types = both("{\"rows\": [{\"x\": true, \"color\": [1], \"member\": true},"
				+ " {\"x\": \"abc\", \"color\": \"red\", \"member\": {}}, {\"x\": NaN, \"color\": \"red\", \"member\":"
				+ " true}]}");
		assertProblem(types, 422, "unprocessable-input");
		assertThat(HttpTestClient.<List<Map<String, Object>>>at(types.json(), "errors")).containsExactly(
				Map.of("row", 0, "field", "x", "message", "must be a number or a numeric string"),
				Map.of("row", 0, "field", "color", "message", "must be a string, number or boolean"),
				Map.of("row", 1, "field", "x", "message", "must be a finite number, got 'abc'"),
				Map.of("row", 1, "field", "member", "message", "must be a string, number or boolean"),
				Map.of("row", 2, "field", "x", "message", "must be a finite number, got NaN"));
		// malformed JSON: where it broke
		HttpTestClient.Response malformed = both("{\"rows\": [{\"x\": 1,, \"color\": \"red\"}]}");
		assertProblem(malformed, 400, "bad-request");
		assertThat(malformed.json().get("detail")).isEqualTo("The request body is not valid JSON (line 1, column 19).");
		// too many rows (the limit is 3 here)
		String row = "{\"x\": 1, \"color\": \"red\", \"member\": true}";
		HttpTestClient.Response tooMany = both("{\"rows\": [" + row + ", " + row + ", " + row + ", " + row + "]}");
		assertProblem(tooMany, 400, "validation-error");
		assertThat(tooMany.json().get("detail"))
			.isEqualTo("A request holds 1 to 3 rows; this one has 4 (fitserve.prediction.max-rows).");
		assertThat(HttpTestClient.<Map<String, Object>>at(tooMany.json(), "errors", 0))
			.isEqualTo(Map.of("field", "rows", "message", "must hold 1 to 3 rows"));
		// the wrong shape: rows not an array, a row not an object, an unknown field
		HttpTestClient.Response notArray = both("{\"rows\": {\"x\": 1}}");
		assertProblem(notArray, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(notArray.json(), "errors", 0, "field")).isEqualTo("rows");
		HttpTestClient.Response notObject = both("{\"rows\": [" + row + ", 7]}");
		assertProblem(notObject, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(notObject.json(), "errors", 0, "field")).isEqualTo("rows[1]");
		HttpTestClient.Response unknown = both("{\"rows\": [" + row + "], \"treshold\": 0.5}");
		assertProblem(unknown, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(unknown.json(), "errors", 0, "field")).isEqualTo("treshold");
		// out-of-range options
		HttpTestClient.Response threshold = both("{\"rows\": [" + row + "], \"threshold\": 1.5}");
		assertProblem(threshold, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(threshold.json(), "errors", 0, "message"))
			.isEqualTo("must be a number in [0, 1] or \"best_f1\"");
		assertProblem(both(""), 400, "bad-request");
		assertProblem(both("{\"rows\": []}"), 400, "validation-error");
	}

	static void assertProblem(HttpTestClient.Response r, int status, String type) {
		assertThat(r.status()).as(r.body()).isEqualTo(status);
		assertThat(r.contentType()).startsWith("application/problem+json");
		assertThat(r.json().get("type")).isEqualTo("urn:fitserve:problem:" + type);
		assertThat(r.json().get("status")).isEqualTo(status);
	}

}
