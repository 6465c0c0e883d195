package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.ParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document, read over HTTP, shows each algorithm's hyperparameters as its
 * descriptor declares them, and the training and tuning requests as one variant per
 * algorithm of the registry, told apart by algorithm; the server refuses what the
 * per-algorithm schemas leave out and accepts the defaults they state.
 */
class HyperparameterSchemasTest {

	private static final String REF = "#/components/schemas/";

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient http;

	static Map<String, Object> doc;

	static Map<String, Map<String, Object>> schemas;

	@BeforeAll
	static void start() {
		http = server.http();
		HttpTestClient.Response docs = http.withKey(null).get("/v3/api-docs");
		assertThat(docs.status()).as(docs.body()).isEqualTo(200);
		doc = docs.json();
		schemas = at(doc, "components", "schemas");
	}

	@Test
	void theTrainingRequestIsOneVariantPerRegisteredAlgorithm() {
		assertThat(HttpTestClient.<String>at(doc, "paths", "/api/v1/training-jobs", "post", "requestBody", "content",
				"application/json", "schema", "$ref"))
			.isEqualTo(REF + "TrainingJobRequest");
		Map<String, Object> request = schemas.get("TrainingJobRequest");
		assertThat(HttpTestClient.<String>at(request, "discriminator", "propertyName")).isEqualTo("algorithm");
		Map<String, String> mapping = at(request, "discriminator", "mapping");
		assertThat(mapping.keySet()).containsExactlyElementsOf(AlgorithmRegistry.names());
		assertThat(mapping).containsEntry("gradient_boosting", REF + "TrainingJobRequest.gradient_boosting")
			.containsEntry("logistic_regression", REF + "TrainingJobRequest.logistic_regression");
		assertThat(HttpTestClient.<List<Map<String, Object>>>at(request, "oneOf")).extracting(r -> r.get("$ref"))
			.containsExactlyElementsOf(mapping.values());
		// Swagger UI's example body is still the one the record declares
		assertThat(HttpTestClient.<String>at(request, "example", "algorithm")).isEqualTo("logistic_regression");

		Map<String, Object> common = schemas.get("TrainingJobRequestCommon");
		assertThat(HttpTestClient.<Map<String, Object>>at(common, "properties"))
			.containsKeys("datasetId", "target", "features", "task", "validationFraction", "testFraction",
					"crossValidation", "seed")
			.doesNotContainKeys("algorithm", "hyperparameters");
		// target is required for every task but clustering (kmeans), so not by the schema
		assertThat(HttpTestClient.<List<String>>at(common, "required")).containsExactlyInAnyOrder("datasetId");

		for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
			String name = algorithm.name();
			Map<String, Object> variant = schemas.get(mapping.get(name).substring(REF.length()));
			assertThat(variant).as(name).isNotNull();
			assertThat(variant.get("unevaluatedProperties")).as(name).isEqualTo(false);
			assertThat(variant).as(name).containsEntry("type", "object").containsEntry("title", name);
			assertThat(HttpTestClient.<String>at(variant, "allOf", 0, "$ref"))
				.isEqualTo(REF + "TrainingJobRequestCommon");
			Map<String, Object> own = at(variant, "allOf", 1);
			assertThat(HttpTestClient.<List<String>>at(own, "required")).as(name).containsExactly("algorithm");
			assertThat(HttpTestClient.<List<String>>at(own, "properties", "algorithm", "enum")).as(name)
				.containsExactly(name);
			assertThat(HttpTestClient.<String>at(own, "properties", "hyperparameters", "$ref")).as(name)
				.isEqualTo(REF + hyperparametersSchema(name));
		}
		assertThat(hyperparametersSchema("gradient_boosting")).isEqualTo("GradientBoostingHyperparameters");
	}

	@Test
	void eachAlgorithmsSchemaHasExactlyItsParametersAndRefusesOthers() {
		for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
			Map<String, Object> schema = schemas.get(hyperparametersSchema(algorithm.name()));
			assertThat(schema).as(algorithm.name()).isNotNull();
			assertThat(schema.get("additionalProperties")).as(algorithm.name()).isEqualTo(false);
			Map<String, Map<String, Object>> properties = at(schema, "properties");
			assertThat(properties.keySet()).as(algorithm.name()).containsExactlyElementsOf(algorithm.parameterNames());
			for (ParameterSpec spec : algorithm.parameters()) {
				assertThat(properties.get(spec.name()).get("description")).as(algorithm.name() + " " + spec.name())
					.isEqualTo(spec.description());
			}
		}
		// what models and resolved specs show: one of them
		assertThat(HttpTestClient.<List<Map<String, Object>>>at(schemas, "Hyperparameters", "anyOf"))
			.extracting(r -> r.get("$ref"))
			.containsExactlyElementsOf(
					AlgorithmRegistry.names().stream().map(n -> REF + hyperparametersSchema(n)).toList());
		assertThat(HttpTestClient.<String>at(schemas, "ModelResponse", "properties", "hyperparameters", "$ref"))
			.isEqualTo(REF + "Hyperparameters");
	}

	@Test
	void gradientBoostingHasTreeParametersAndNoOptimizer() {
		Map<String, Map<String, Object>> properties = at(schemas, "GradientBoostingHyperparameters", "properties");
		assertThat(properties).doesNotContainKeys("optimizer", "hiddenLayers", "epochs", "schedule");
		ParameterSpec nEstimators = spec("gradient_boosting", "nEstimators");
		Map<String, Object> n = properties.get("nEstimators");
		assertThat(n.get("type")).isEqualTo("integer");
		assertThat(((Number) n.get("minimum")).doubleValue()).isEqualTo(nEstimators.minimum()).isEqualTo(1.0);
		assertThat(((Number) n.get("maximum")).doubleValue()).isEqualTo(nEstimators.maximum()).isEqualTo(10_000.0);
		assertThat(n.get("default")).isEqualTo(100);
		// (0, 10]: the minimum itself is refused
		Map<String, Object> learningRate = properties.get("learningRate");
		assertThat(learningRate).doesNotContainKey("minimum").containsEntry("type", "number");
		assertThat(((Number) learningRate.get("exclusiveMinimum")).doubleValue()).isEqualTo(0.0);
		assertThat(((Number) learningRate.get("maximum")).doubleValue()).isEqualTo(10.0);
		// log_loss for classifiers, squared_error for regressors: no single default
		assertThat(properties.get("loss")).doesNotContainKey("default");
		assertThat(HttpTestClient.<List<String>>at(properties, "loss", "enum")).containsExactly("log_loss",
				"squared_error", "absolute_error", "huber");
		// "auto", "true", "false" or a JSON boolean
		assertThat(HttpTestClient.<List<String>>at(properties, "earlyStopping", "oneOf", 0, "enum"))
			.containsExactly("auto", "true", "false");
		assertThat(HttpTestClient.<String>at(properties, "earlyStopping", "oneOf", 1, "type")).isEqualTo("boolean");
	}

	@Test
	void mlpHasHiddenLayersAndTheScheduleObject() {
		Map<String, Map<String, Object>> properties = at(schemas, "MlpHyperparameters", "properties");
		assertThat(properties).containsKeys("hiddenLayers", "activation", "dropout", "schedule")
			.doesNotContainKeys("nEstimators", "C", "solver");
		assertThat(properties.get("hiddenLayers")).containsEntry("type", "array")
			.containsEntry("default", List.of(100));
		assertThat(HttpTestClient.<String>at(properties, "hiddenLayers", "items", "type")).isEqualTo("integer");
		assertThat(HttpTestClient.<Number>at(properties, "hiddenLayers", "items", "minimum").intValue()).isEqualTo(1);

		List<Map<String, Object>> schedule = at(properties, "schedule", "oneOf");
		Map<String, Object> object = schedule.get(0);
		assertThat(object).containsEntry("type", "object").containsEntry("additionalProperties", false);
		List<String> fields = spec("mlp", "schedule").fields().stream().map(ParameterSpec::name).toList();
		assertThat(HttpTestClient.<Map<String, Object>>at(object, "properties").keySet())
			.containsExactlyElementsOf(fields)
			.containsExactly("type", "stepSize", "gamma", "warmupEpochs", "patience", "factor");
		assertThat(HttpTestClient.<List<String>>at(object, "properties", "type", "enum")).contains("step", "cosine");
		assertThat(HttpTestClient.<Number>at(object, "properties", "factor", "exclusiveMinimum").doubleValue())
			.isEqualTo(0.0);
		assertThat(HttpTestClient.<Number>at(object, "properties", "factor", "maximum").doubleValue()).isEqualTo(0.999);
		// or the type's name alone
		assertThat(schedule.get(1)).containsEntry("type", "string");
		assertThat(HttpTestClient.<List<String>>at(schedule.get(1), "enum")).contains("constant", "reduce_on_plateau");
	}

	@Test
	void optimizerValuesAreTheOnesEachAlgorithmAccepts() {
		List<String> logistic = at(schemas, "LogisticRegressionHyperparameters", "properties", "optimizer", "enum");
		assertThat(logistic).containsExactlyElementsOf(spec("logistic_regression", "optimizer").values())
			.containsExactly("sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "lbfgs");
		assertThat(HttpTestClient.<String>at(schemas, "LogisticRegressionHyperparameters", "properties", "optimizer",
				"default"))
			.isEqualTo("lbfgs");
		// L-BFGS trains only the linear models
		assertThat(HttpTestClient.<List<String>>at(schemas, "MlpHyperparameters", "properties", "optimizer", "enum"))
			.containsExactlyElementsOf(spec("mlp", "optimizer").values())
			.doesNotContain("lbfgs");
	}

	@Test
	void valuesOfSeveralShapesAreOneOfThem() {
		Map<String, Map<String, Object>> svm = at(schemas, "SvmHyperparameters", "properties");
		assertThat(HttpTestClient.<List<String>>at(svm, "gamma", "oneOf", 0, "enum")).containsExactly("scale", "auto");
		assertThat(HttpTestClient.<String>at(svm, "gamma", "oneOf", 1, "type")).isEqualTo("number");
		assertThat(HttpTestClient.<Number>at(svm, "gamma", "oneOf", 1, "exclusiveMinimum").doubleValue())
			.isEqualTo(0.0);
		assertThat(HttpTestClient.<Map<String, Object>>at(svm, "gamma", "oneOf", 1)).doesNotContainKey("maximum");
		assertThat(svm.get("gamma")).containsEntry("default", "scale");
		assertThat(HttpTestClient.<List<String>>at(svm, "classWeights", "oneOf", 0, "enum"))
			.containsExactly("balanced");
		Map<String, Object> weights = at(svm, "classWeights", "oneOf", 1);
		assertThat(weights).containsEntry("type", "object").containsEntry("minProperties", 1);
		assertThat(HttpTestClient.<Number>at(weights, "additionalProperties", "maximum").doubleValue()).isEqualTo(1e6);
		assertThat(HttpTestClient.<String>at(schemas, "RandomForestHyperparameters", "properties", "maxFeatures",
				"oneOf", 1, "type"))
			.isEqualTo("number");
	}

	@Test
	void theTuningRequestIsOneVariantPerAlgorithmWithItsSearchSpace() {
		Map<String, Object> request = schemas.get("TuningJobRequest");
		Map<String, String> mapping = at(request, "discriminator", "mapping");
		assertThat(mapping.keySet()).containsExactlyElementsOf(AlgorithmRegistry.names());
		assertThat(HttpTestClient.<String>at(request, "example", "strategy")).isEqualTo("random");
		assertThat(HttpTestClient.<Map<String, Object>>at(schemas, "TuningJobRequestCommon", "properties"))
			.containsKeys("strategy", "trials", "folds", "metric")
			.doesNotContainKeys("algorithm", "space", "hyperparameters");
		for (String name : AlgorithmRegistry.names()) {
			Map<String, Object> own = at(schemas, "TuningJobRequest." + name, "allOf", 1);
			assertThat(HttpTestClient.<List<String>>at(own, "required")).as(name)
				.containsExactlyInAnyOrder("algorithm", "space");
			assertThat(HttpTestClient.<String>at(own, "properties", "hyperparameters", "$ref"))
				.isEqualTo(REF + hyperparametersSchema(name));
			String space = HttpTestClient.<String>at(own, "properties", "space", "$ref").substring(REF.length());
			assertThat(HttpTestClient.<Map<String, Object>>at(schemas, space, "properties").keySet()).as(name)
				.containsExactlyElementsOf(AlgorithmRegistry.get(name).parameterNames());
			assertThat(schemas.get(space)).containsEntry("additionalProperties", false);
		}
		Map<String, Map<String, Object>> forest = at(schemas, "RandomForestSearchSpace", "properties");
		// numbers: a list of values, or a range for random search
		assertThat(HttpTestClient.<String>at(forest, "nEstimators", "oneOf", 0, "items", "type")).isEqualTo("integer");
		assertThat(HttpTestClient.<String>at(forest, "nEstimators", "oneOf", 1, "$ref")).isEqualTo(REF + "SearchRange");
		// others: a list only
		assertThat(forest.get("bootstrap")).containsEntry("type", "array").doesNotContainKey("oneOf");
		assertThat(HttpTestClient.<List<String>>at(schemas, "SearchRange", "required")).containsExactly("min", "max");
	}

	@Test
	void theServerRefusesWhatASchemaLeavesOutAndAcceptsItsDefaults() {
		StringBuilder csv = new StringBuilder("x,z,y\n");
		for (int i = 0; i < 40; i++) {
			csv.append(i).append(',').append(i % 7).append(',').append(i % 10 < 5 ? 0 : 1).append('\n');
		}
		String dataset = (String) http.upload("numbers.csv", csv.toString().getBytes(StandardCharsets.UTF_8), null)
			.json()
			.get("id");
		HttpTestClient.Response refused = http.postJson("/api/v1/training-jobs", Map.of("datasetId", dataset, "target",
				"y", "algorithm", "gradient_boosting", "hyperparameters", Map.of("optimizer", "adam")));
		ApiErrorsTest.assertProblem(refused, 400, "validation-error");
		assertThat(HttpTestClient.<String>at(refused.json(), "errors", 0, "field"))
			.isEqualTo("hyperparameters.optimizer");

		List<String> accepted = new ArrayList<>();
		for (String name : AlgorithmRegistry.names()) {
			Map<String, Map<String, Object>> properties = at(schemas, hyperparametersSchema(name), "properties");
			Map<String, Object> defaults = new LinkedHashMap<>();
			properties.forEach((parameter, schema) -> {
				if (schema.containsKey("default")) {
					defaults.put(parameter, schema.get("default"));
				}
			});
			assertThat(defaults).as(name).isNotEmpty();
			if (name.equals("logistic_regression")) {
				// C applies unless l2 is given: l2 has no default of its own
				assertThat(defaults).containsKey("C").doesNotContainKey("l2");
			}
			// clustering (kmeans) takes no target and no test split
			boolean clustering = AlgorithmRegistry.get(name).tasks().equals(List.of(io.fitserve.ml.Task.CLUSTERING));
			HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
					clustering ? Map.of("datasetId", dataset, "algorithm", name, "hyperparameters", defaults)
							: Map.of("datasetId", dataset, "target", "y", "algorithm", name, "hyperparameters",
									defaults, "testFraction", 0.5));
			assertThat(submitted.status()).as(name + " " + defaults + ": " + submitted.body()).isEqualTo(202);
			http.postJson("/api/v1/training-jobs/" + submitted.json().get("id") + "/cancel", Map.of());
			accepted.add(name);
		}
		assertThat(accepted).containsExactlyElementsOf(AlgorithmRegistry.names());
	}

	private static ParameterSpec spec(String algorithm, String name) {
		return AlgorithmRegistry.get(algorithm)
			.parameters()
			.stream()
			.filter(s -> s.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	/** GradientBoostingHyperparameters for gradient_boosting. */
	private static String hyperparametersSchema(String algorithm) {
		StringBuilder name = new StringBuilder();
		for (String part : algorithm.split("_")) {
			name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return name.append("Hyperparameters").toString();
	}

}
