package io.fitserve.prediction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.fitserve.errors.DomainException;
import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.Encoding;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.models.ModelService;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The streaming reader answers every JSON body exactly as the reference path does (the
 * body bound to {@link PredictionRequest}, as Spring binds it, then
 * {@link PredictionService#predict}): equal responses (predictions compared with
 * Double.equals, so bit for bit, and the same warnings in the same order), or the same
 * error. Valid bodies are read by the reader itself (no fallback); refused ones fall back
 * to the reference path, so their problems are the reference path's by construction.
 */
class PredictionJsonReaderTest {

	/** As the application's mapper reads request bodies (web.JacksonConfig). */
	static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.build();

	/** Numeric, categorical and boolean features, mixed. */
	static final List<FeatureTransform> FEATURES = List.of(FeatureTransform.numeric("a", 1.5, 2.0),
			FeatureTransform.categorical("color", FeatureTransform.CATEGORICAL, List.of("blue", "green", "red"), "red"),
			FeatureTransform.numeric("b", -3.25, 0.75),
			FeatureTransform.categorical("flag", FeatureTransform.BOOLEAN, List.of("false", "true"), "true"),
			FeatureTransform.categorical("size", FeatureTransform.CATEGORICAL, List.of("1", "2", "2.5"), "2"));

	/** 2 numeric + 3 + 2 + 3 one-hot columns. */
	static final int WIDTH = 10;

	UUID id;

	PredictionService service;

	PredictionJsonReaderTest() {
		serve(new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes"), new Preprocessing(FEATURES),
				Predictor.network(new NetworkWeights(List.of(PredictionServiceEquivalenceTest.layer(WIDTH, 1, 1)), null,
						OutputKind.SIGMOID))));
	}

	/** Serves artifact under a new id; any other id is an unknown model. */
	void serve(ModelArtifact artifact) {
		UUID served = UUID.randomUUID();
		ModelService models = mock(ModelService.class);
		when(models.serving(served.toString()))
			.thenReturn(new ModelService.ServingModel(served, "test", 0.3, artifact));
		when(models.serving(org.mockito.ArgumentMatchers.argThat(s -> !served.toString().equals(s))))
			.thenThrow(DomainException.notFound("Model", "other"));
		this.id = served;
		this.service = new PredictionService(models, new PredictionProperties(5, DataSize.ofMegabytes(1), 1_000_000));
	}

	@Test
	void validBodiesAreReadWithoutFallingBackAndAnswerAsTheReferencePath() {
		List<String> bodies = List.of(
				// plain rows, numbers as strings, ints, nulls and missing markers
				"{\"rows\": [{\"a\": 1.25, \"color\": \"red\", \"b\": -2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": \"6.7\", \"color\": \" blue \", \"b\": \" 1e3 \", \"flag\": \"yes\", \"size\": \"2\"},"
						+ " {\"a\": null, \"color\": null, \"b\": \"NA\", \"flag\": \"N/A\", \"size\": null}]}",
				// key order does not matter; extra keys are ignored with a warning,
				// counted
				// once per row even when repeated
				"{\"threshold\": 0.7, \"rows\": [{\"size\": 2.5, \"id\": 7, \"flag\": \"FALSE\", \"b\": 0, \"color\":"
						+ " \"green\", \"a\": 3, \"target\": {\"x\": [1, 2]}, \"id\": \"again\"}, {\"a\": 1, \"color\":"
						+ " \"red\", \"b\": 1, \"flag\": false, \"size\": 3.0, \"id\": 8}]}",
				// unseen categories are treated as missing with a warning, in row then
				// feature order; a boolean feature's unknown word is unseen too
				"{\"rows\": [{\"a\": 1, \"color\": \"purple\", \"b\": 2, \"flag\": \"maybe\", \"size\": 7},"
						+ " {\"a\": 1, \"color\": \"Red\", \"b\": 2, \"flag\": 1, \"size\": 1e20}]}",
				// duplicate keys: the last one counts, as in the bound Map
				"{\"rows\": [{\"a\": 100, \"color\": \"blue\", \"b\": 2, \"flag\": true, \"size\": 1, \"a\": 0.5,"
						+ " \"color\": \"green\"}]}",
				"{\"rows\": [{\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}],"
						+ " \"threshold\": \"best_f1\", \"explain\": true}",
				"{\"rows\": [{\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}], \"threshold\": 1,"
						+ " \"explain\": false, \"explainSamples\": 5, \"explainSeed\": 3}",
				"{\"rows\": [{\"a\": 12345678901234, \"color\": \"red\", \"b\": -0.0, \"flag\": true, \"size\": 2},"
						+ " {\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}, {\"a\": 1, \"color\":"
						+ " \"red\", \"b\": 2, \"flag\": true, \"size\": 1}, {\"a\": 1, \"color\": \"red\", \"b\": 2,"
						+ " \"flag\": true, \"size\": 1}, {\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, "
						+ "\"size\": 1}], \"threshold\": null, \"explain\": null}");
		for (String body : bodies) {
			PredictionResponse fast = service.predictJson(id.toString(), bytes(body));
			assertThat(fast).as(body).isEqualTo(reference(body));
		}
		PredictionResponse warned = service.predictJson(id.toString(), bytes(bodies.get(3)));
		assertThat(warned.warnings()).containsExactly(
				"row 0: 'color' has the unseen category 'purple'; treated as missing",
				"row 0: 'flag' has the unseen category 'maybe'; treated as missing",
				"row 0: 'size' has the unseen category '7'; treated as missing",
				"row 1: 'color' has the unseen category 'Red'; treated as missing",
				"row 1: 'flag' has the unseen category '1'; treated as missing",
				"row 1: 'size' has the unseen category '1.0E20'; treated as missing");
		assertThat(service.predictJson(id.toString(), bytes(bodies.get(2))).warnings()).containsExactly(
				"row 1: 'size' has the unseen category '3'; treated as missing",
				"'id' is not a feature of this model; ignored in 2 row(s)",
				"'target' is not a feature of this model; ignored in 1 row(s)");
	}

	@Test
	void everyRefusedBodyFallsBackAndGetsTheReferenceProblem() {
		String ok = "\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1";
		List<String> bodies = List.of("", "null", "[]", "{}", "{\"rows\": null}", "{\"rows\": []}", "{\"rows\": 5}",
				"{\"rows\": [{" + ok + "}]",
				// malformed JSON, trailing tokens
				"{\"rows\": [{" + ok + "}]} x", "{\"rows\": [{\"a\": 1,}]}", "{\"rows\": [{" + ok + "}], \"row\": []}",
				// a row that is not an object, or null
				"{\"rows\": [1]}", "{\"rows\": [null]}", "{\"rows\": [[1, 2]]}",
				// absent feature, wrong types, unreadable values
				"{\"rows\": [{\"a\": 1, \"color\": \"red\", \"b\": 2, \"flag\": true}]}",
				"{\"rows\": [{\"a\": true, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": [1], \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": \"abc\", \"color\": {}, \"b\": 2, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": NaN, \"color\": \"red\", \"b\": Infinity, \"flag\": true, \"size\": 1}]}",
				"{\"rows\": [{\"a\": 1e400, \"color\": \"red\", \"b\": 2, \"flag\": true, \"size\": -Infinity}]}",
				"{\"rows\": [{\"a\": 123456789012345678901234567890, \"color\": 123456789012345678901234567890, "
						+ "\"b\": 2, \"flag\": true, \"size\": 1}]}",
				// a bad value replaced by a good one later in the row (last wins), and
				// the other way round
				"{\"rows\": [{" + ok + ", \"a\": \"x\"}]}", "{\"rows\": [{\"a\": \"x\", " + ok + "}]}",
				// too many rows (the limit is 5 here)
				"{\"rows\": [" + ("{" + ok + "},").repeat(5) + "{" + ok + "}]}",
				// top-level fields of the wrong type or out of range
				"{\"rows\": [{" + ok + "}], \"threshold\": 2}", "{\"rows\": [{" + ok + "}], \"threshold\": \"0.5\"}",
				"{\"rows\": [{" + ok + "}], \"threshold\": true}", "{\"rows\": [{" + ok + "}], \"explain\": \"yes\"}",
				"{\"rows\": [{" + ok + "}], \"explain\": 1}", "{\"rows\": [{" + ok + "}], \"explainSamples\": 1.5}",
				"{\"rows\": [{" + ok + "}], \"explainSamples\": 99999999999}",
				"{\"rows\": [{" + ok + "}], \"explainSeed\": \"x\"}",
				"{\"rows\": [{" + ok + "}], \"rows\": [{" + ok + "}]}");
		for (String body : bodies) {
			Object expected = outcome(() -> reference(body));
			Object actual = outcome(() -> answer(id.toString(), body));
			assertThat(actual).as(body).isEqualTo(expected);
		}
		// an unknown model: the body is bound first, so a malformed one is still a 400
		assertThat(outcome(() -> answer(UUID.randomUUID().toString(), "{\"rows\": 5}")))
			.isEqualTo(outcome(() -> reference("{\"rows\": 5}")));
		assertThat((List<?>) outcome(() -> answer(UUID.randomUUID().toString(), "{\"rows\": [{" + ok + "}]}"))).first()
			.isEqualTo(DomainException.Kind.NOT_FOUND);
	}

	@Test
	void theReaderItselfRefusesWhatItDoesNotAnswerExactly() {
		assertThatThrownBy(() -> service.predictJson(id.toString(), bytes("{\"rows\": [{\"a\": 1}]}")))
			.isInstanceOf(PredictionJsonReader.Unsupported.class);
		assertThatThrownBy(() -> service.predictJson(id.toString(), bytes("{\"rows\": [{]}")))
			.isInstanceOf(PredictionJsonReader.Unsupported.class);
	}

	@Test
	void generatedRequestsAnswerAsTheReferencePath() {
		Random random = new Random(42);
		int fast = 0;
		for (int request = 0; request < 300; request++) {
			StringBuilder body = new StringBuilder("{\"rows\": [");
			int rows = 1 + random.nextInt(5);
			for (int r = 0; r < rows; r++) {
				body.append(r == 0 ? "" : ", ").append(row(random, request % 3 == 0 ? 0.0 : 0.05));
			}
			body.append("]");
			if (random.nextInt(4) == 0) {
				body.append(", \"threshold\": ").append(random.nextBoolean() ? "\"best_f1\"" : "0.25");
			}
			body.append("}");
			String json = body.toString();
			Object expected = outcome(() -> reference(json));
			Object actual = outcome(() -> answer(id.toString(), json));
			assertThat(actual).as(json).isEqualTo(expected);
			try {
				service.predictJson(id.toString(), bytes(json));
				fast++;
			}
			catch (PredictionJsonReader.Unsupported ex) {
				// refused: answered by the reference path above
			}
		}
		assertThat(fast).isGreaterThan(100);
	}

	@Test
	void ordinalEncodedModelsAnswerAsTheReferencePath() {
		// a regression network over the ordinal encoding: one column per feature, NaN
		// for missing numbers, a category's index (NaN when missing or unseen)
		ModelArtifact ordinal = new ModelArtifact(Task.REGRESSION, List.of(),
				new Preprocessing(FEATURES, Encoding.ORDINAL),
				Predictor.network(new NetworkWeights(List.of(PredictionServiceEquivalenceTest.layer(5, 1, 2)), null,
						OutputKind.IDENTITY)));
		PredictionJsonReaderTest other = new PredictionJsonReaderTest();
		other.serve(ordinal);
		Random random = new Random(7);
		for (int request = 0; request < 50; request++) {
			String json = "{\"rows\": [" + row(random, 0.0) + ", " + row(random, 0.0) + "]}";
			assertThat(other.service.predictJson(other.id.toString(), bytes(json))).as(json)
				.isEqualTo(other.reference(json));
		}
	}

	/** As the controller answers: the reader, else the body bound and predicted. */
	PredictionResponse answer(String model, String body) {
		try {
			return service.predictJson(model, bytes(body));
		}
		catch (PredictionJsonReader.Unsupported ex) {
			return bound(model, body);
		}
	}

	PredictionResponse reference(String body) {
		return bound(id.toString(), body);
	}

	private PredictionResponse bound(String model, String body) {
		PredictionRequest request = body.isEmpty() ? null : JSON.readValue(body, PredictionRequest.class);
		if (request == null) {
			throw new IllegalArgumentException("body missing");
		}
		return service.predict(model, request);
	}

	/**
	 * The response, or the error's kind, detail and field errors, or the binding error.
	 */
	static Object outcome(java.util.function.Supplier<PredictionResponse> call) {
		try {
			return call.get();
		}
		catch (DomainException ex) {
			return List.of(ex.kind(), String.valueOf(ex.getMessage()), ex.errors());
		}
		catch (JacksonException ex) {
			return List.of(ex.getClass(), ex.getOriginalMessage());
		}
		catch (IllegalArgumentException ex) {
			return List.of(ex.getClass(), ex.getMessage());
		}
	}

	/** A JSON row; with probability p per feature, something unusual. */
	static String row(Random random, double p) {
		List<String> cells = new ArrayList<>();
		if (random.nextDouble() < 0.2) {
			cells.add("\"extra" + random.nextInt(3) + "\": " + random.nextInt(5));
		}
		cells.add("\"a\": " + number(random, p));
		String[] colors = { "\"blue\"", "\"green\"", "\"red\"", "\" red \"", "\"purple\"", "null", "\"NA\"", "3",
				"true" };
		cells.add("\"color\": " + colors[random.nextDouble() < p ? 3 + random.nextInt(6) : random.nextInt(3)]);
		cells.add("\"b\": " + number(random, p));
		String[] flags = { "true", "false", "\"yes\"", "\"No\"", "\"TRUE\"", "\"maybe\"", "null", "0" };
		cells.add("\"flag\": " + flags[random.nextDouble() < p ? 4 + random.nextInt(4) : random.nextInt(4)]);
		String[] sizes = { "1", "2", "2.5", "\"1\"", "2.0", "7", "\"x\"", "[]", "1e2" };
		cells.add("\"size\": " + sizes[random.nextDouble() < p ? 5 + random.nextInt(4) : random.nextInt(5)]);
		if (random.nextDouble() < p) {
			cells.remove(random.nextInt(cells.size()));
		}
		java.util.Collections.shuffle(cells, random);
		return "{" + String.join(", ", cells) + "}";
	}

	private static String number(Random random, double p) {
		double v = random.nextGaussian() * 5 + 1;
		if (random.nextDouble() >= p) {
			return random.nextInt(5) == 0 ? Integer.toString(random.nextInt(100)) : Double.toString(v);
		}
		return switch (random.nextInt(9)) {
			case 0 -> "null";
			case 1 -> "\"" + v + "\"";
			case 2 -> "\"NA\"";
			case 3 -> "\"abc\"";
			case 4 -> "NaN";
			case 5 -> "true";
			case 6 -> "12.5e1";
			case 7 -> "{\"x\": 1}";
			default -> "\" ?\"";
		};
	}

	static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

}
