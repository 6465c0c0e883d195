package io.fitserve.training;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.fitserve.errors.FieldError;
import io.fitserve.ml.Task;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.ParameterSpec;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The hyperparameters of each algorithm in the OpenAPI document, generated from the
 * descriptors' {@link ParameterSpec}s (the same source as
 * {@code GET /api/v1/algorithms}): one schema per algorithm
 * ({@code GradientBoostingHyperparameters}, with {@code additionalProperties: false},
 * since any other name is a 400), and the training and tuning job requests as a
 * {@code oneOf} of one variant per algorithm, told apart by {@code algorithm} (a
 * discriminator mapping each wire name to its variant). Each variant is {@code allOf} the
 * fields every request has and its algorithm, hyperparameters and, for tuning, search
 * space. {@code Hyperparameters}, what a model or a job's resolved spec shows, is
 * {@code anyOf} the per-algorithm schemas.
 */
@Component
class HyperparameterSchemas implements OpenApiCustomizer {

	static final String HYPERPARAMETERS = "Hyperparameters";

	static final String TRAINING_REQUEST = "TrainingJobRequest";

	static final String TUNING_REQUEST = "TuningJobRequest";

	static final String SEARCH_RANGE = "SearchRange";

	private static final String REF = "#/components/schemas/";

	private static final String ALGORITHM = "algorithm";

	@Override
	public void customise(OpenAPI openApi) {
		Components components = openApi.getComponents();
		Schema<Object> any = new Schema<>().description("The hyperparameters of one algorithm, every default "
				+ "filled in: the schema named after the algorithm beside it (GradientBoostingHyperparameters for "
				+ "gradient_boosting, ...)");
		for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
			components.addSchemas(hyperparametersName(algorithm), hyperparameters(algorithm));
			any.addAnyOfItem(ref(hyperparametersName(algorithm)));
		}
		components.addSchemas(HYPERPARAMETERS, any);
		if (components.getSchemas().containsKey(TRAINING_REQUEST)) {
			byAlgorithm(components, TRAINING_REQUEST,
					a -> Map.of("hyperparameters", ref(hyperparametersName(a)).description("the hyperparameters of "
							+ a.name() + "; any other name is a 400, absent ones get their " + "defaults")));
		}
		if (components.getSchemas().containsKey(TUNING_REQUEST)) {
			components.addSchemas(SEARCH_RANGE, searchRange());
			for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
				components.addSchemas(searchSpaceName(algorithm), searchSpace(algorithm));
			}
			byAlgorithm(components, TUNING_REQUEST, a -> {
				Map<String, Schema<?>> own = new LinkedHashMap<>();
				own.put("space", ref(searchSpaceName(a)).description("the values to try, by hyperparameter name"));
				own.put("hyperparameters", ref(hyperparametersName(a))
					.description("hyperparameters fixed for every trial; any other name is a 400"));
				return own;
			});
		}
	}

	/** {@code GradientBoostingHyperparameters} for gradient_boosting. */
	static String hyperparametersName(AlgorithmDescriptor<?> algorithm) {
		return pascalCase(algorithm.name()) + "Hyperparameters";
	}

	/** {@code GradientBoostingSearchSpace} for gradient_boosting. */
	static String searchSpaceName(AlgorithmDescriptor<?> algorithm) {
		return pascalCase(algorithm.name()) + "SearchSpace";
	}

	/** {@code TrainingJobRequest.gradient_boosting}. */
	static String variantName(String request, AlgorithmDescriptor<?> algorithm) {
		return request + "." + algorithm.name();
	}

	private static String pascalCase(String wireName) {
		StringBuilder name = new StringBuilder();
		for (String part : wireName.split("_")) {
			name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return name.toString();
	}

	/**
	 * A schema of one JSON type; OpenAPI 3.1 documents write the types set, not the 3.0
	 * type field.
	 */
	private static Schema<Object> typed(String type) {
		Schema<Object> schema = new Schema<>().type(type);
		schema.addType(type);
		return schema;
	}

	private static Schema<Object> ref(String component) {
		return new Schema<>().$ref(REF + component);
	}

	/**
	 * Replaces the request schema springdoc generated with a oneOf of one variant per
	 * algorithm: the generated fields but algorithm and the per-algorithm ones go to
	 * {@code <request>Common}, and each variant adds algorithm (its wire name only) and
	 * its own schemas of the per-algorithm fields.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void byAlgorithm(Components components, String request,
			Function<AlgorithmDescriptor<?>, Map<String, Schema<?>>> perAlgorithm) {
		Schema<?> generated = components.getSchemas().get(request);
		Map<String, Schema> properties = generated.getProperties() == null ? Map.of() : generated.getProperties();
		List<String> required = generated.getRequired() == null ? List.of() : generated.getRequired();
		Map<String, Schema<?>> sample = perAlgorithm.apply(AlgorithmRegistry.all().get(0));

		Schema<Object> common = typed("object").description("The fields of a " + request
				+ " whatever its algorithm; each variant of " + request + " adds algorithm and what depends on it");
		List<String> commonRequired = new ArrayList<>();
		properties.forEach((name, schema) -> {
			if (!name.equals(ALGORITHM) && !sample.containsKey(name)) {
				common.addProperty(name, schema);
				if (required.contains(name)) {
					commonRequired.add(name);
				}
			}
		});
		common.setRequired(commonRequired);
		String commonName = request + "Common";
		components.addSchemas(commonName, common);

		Schema<Object> oneOf = typed("object")
			.description((generated.getDescription() == null ? "" : generated.getDescription() + " ")
					+ "One variant per algorithm, chosen by algorithm (" + request + ".gradient_boosting, ...): the "
					+ "hyperparameters each algorithm accepts are in its variant, and in GET /api/v1/algorithms "
					+ "with their defaults.");
		oneOf.setExample(generated.getExample());
		Discriminator discriminator = new Discriminator().propertyName(ALGORITHM);
		for (AlgorithmDescriptor<?> algorithm : AlgorithmRegistry.all()) {
			Schema<Object> own = typed("object");
			own.addProperty(ALGORITHM,
					typed("string").description(algorithm.description())._enum(List.of((Object) algorithm.name())));
			List<String> ownRequired = new ArrayList<>(List.of(ALGORITHM));
			perAlgorithm.apply(algorithm).forEach((name, schema) -> {
				own.addProperty(name, schema);
				if (required.contains(name)) {
					ownRequired.add(name);
				}
			});
			own.setRequired(ownRequired);
			// Swagger UI labels the alternatives of a oneOf by title (else #0, #1, ...)
			Schema<Object> variant = typed("object").title(algorithm.name())
				.description(request + " for " + algorithm.name() + " (tasks: "
						+ String.join(", ", algorithm.tasks().stream().map(Task::wireName).toList()) + ")")
				.addAllOfItem(ref(commonName))
				.addAllOfItem(own);
			// request bodies are read strictly: an unknown field is a 400
			// (web.JacksonConfig)
			variant.setUnevaluatedProperties(new Schema<>().booleanSchemaValue(false));
			String name = variantName(request, algorithm);
			components.addSchemas(name, variant);
			oneOf.addOneOfItem(ref(name));
			discriminator.mapping(algorithm.name(), REF + name);
		}
		oneOf.setDiscriminator(discriminator);
		components.addSchemas(request, oneOf);
	}

	/**
	 * The object of one algorithm's hyperparameters: each with its shape, description and
	 * default (when it is the same for every task the algorithm trains); any other name
	 * is refused.
	 */
	private static Schema<Object> hyperparameters(AlgorithmDescriptor<?> algorithm) {
		Map<String, Object> defaults = defaults(algorithm);
		Schema<Object> schema = typed("object")
			.description("The hyperparameters of " + algorithm.name() + ": " + algorithm.description()
					+ ". All are optional; any other name is refused with a 400 that lists these.")
			.additionalProperties(false);
		for (ParameterSpec spec : algorithm.parameters()) {
			Schema<Object> property = parameter(spec);
			Object value = defaults.get(spec.name());
			if (value instanceof String || value instanceof Number || value instanceof Boolean
					|| value instanceof List) {
				property.setDefault(value);
			}
			schema.addProperty(spec.name(), property);
		}
		return schema;
	}

	/**
	 * The default of each hyperparameter that is the same for every task the algorithm
	 * trains (the loss of gradient_boosting, for one, is not).
	 */
	private static Map<String, Object> defaults(AlgorithmDescriptor<?> algorithm) {
		Map<String, Object> common = null;
		for (Task task : algorithm.tasks()) {
			List<FieldError> errors = new ArrayList<>();
			Map<String, Object> values = SpecResolver
				.resolveHyperparameters(Map.of(), algorithm.name(), task, null, errors)
				.values();
			if (!errors.isEmpty()) {
				throw new IllegalStateException("the defaults of " + algorithm.name() + " do not resolve: " + errors);
			}
			if (common == null) {
				common = new LinkedHashMap<>(values);
			}
			else {
				common.entrySet().removeIf(e -> !Objects.equals(e.getValue(), values.get(e.getKey())));
			}
		}
		return common == null ? Map.of() : common;
	}

	/** A hyperparameter: its shape, or a oneOf of the shapes validation accepts. */
	private static Schema<Object> parameter(ParameterSpec spec) {
		if (spec.alternatives() == null || spec.alternatives().isEmpty()) {
			return shape(spec).description(spec.description());
		}
		Schema<Object> schema = new Schema<>().description(spec.description()).addOneOfItem(shape(spec));
		for (ParameterSpec alternative : spec.alternatives()) {
			schema.addOneOfItem(shape(alternative).description(alternative.description()));
		}
		return schema;
	}

	/** The JSON Schema of one shape of a hyperparameter (see ParameterSpec's types). */
	private static Schema<Object> shape(ParameterSpec spec) {
		return switch (spec.type()) {
			case "string" -> typed("string")._enum(new ArrayList<Object>(spec.values()));
			case "number" -> bounded(typed("number"), spec);
			case "integer" -> bounded(typed("integer"), spec);
			case "boolean" -> typed("boolean");
			case "integer_list" -> typed("array").items(bounded(typed("integer"), spec));
			case "number_map" -> typed("object").minProperties(1).additionalProperties(bounded(typed("number"), spec));
			case "schedule" -> schedule(spec);
			default -> throw new IllegalStateException("hyperparameter " + spec.name()
					+ " has a type the OpenAPI document cannot describe: " + spec.type());
		};
	}

	private static Schema<Object> bounded(Schema<Object> schema, ParameterSpec spec) {
		if (spec.minimum() != null) {
			if (spec.minimumExcluded()) {
				schema.setExclusiveMinimumValue(decimal(spec.minimum()));
			}
			else {
				schema.setMinimum(decimal(spec.minimum()));
			}
		}
		if (spec.maximum() != null) {
			schema.setMaximum(decimal(spec.maximum()));
		}
		return schema;
	}

	/** 10000 rather than 10000.0, so that integer bounds read as integers. */
	private static BigDecimal decimal(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? BigDecimal.valueOf((long) value)
				: BigDecimal.valueOf(value);
	}

	/**
	 * An object of the spec's fields (only those of its type apply; others are a 400), or
	 * the name of its type alone.
	 */
	private static Schema<Object> schedule(ParameterSpec spec) {
		Schema<Object> object = typed("object").description("the type and that type's fields")
			.additionalProperties(false);
		ParameterSpec type = null;
		for (ParameterSpec field : spec.fields()) {
			object.addProperty(field.name(), parameter(field));
			if (field.name().equals("type")) {
				type = field;
			}
		}
		Schema<Object> schema = new Schema<>().addOneOfItem(object);
		if (type != null) {
			schema.addOneOfItem(shape(type).description("the type alone, with its defaults"));
		}
		return schema;
	}

	/**
	 * Per hyperparameter of algorithm, the values a search tries: a list of values (grid
	 * and random search), or for numbers a range (random search only).
	 */
	private static Schema<Object> searchSpace(AlgorithmDescriptor<?> algorithm) {
		Schema<Object> schema = typed("object")
			.description("The values a search of " + algorithm.name() + " tries, by hyperparameter name: a list "
					+ "(grid search tries every combination, random search draws from it) or, for numbers, a "
					+ SEARCH_RANGE + " (random search only). Every trial is checked as a training job's "
					+ "hyperparameters are; any other name is refused with a 400.")
			.additionalProperties(false)
			.minProperties(1);
		for (ParameterSpec spec : algorithm.parameters()) {
			Schema<Object> values = typed("array").minItems(1).items(parameter(spec)).description("values to try");
			boolean numeric = numeric(spec) || (spec.alternatives() != null
					&& spec.alternatives().stream().anyMatch(HyperparameterSchemas::numeric));
			schema.addProperty(spec.name(),
					numeric ? new Schema<>().description(spec.description())
						.addOneOfItem(values)
						.addOneOfItem(ref(SEARCH_RANGE).description("random search: a range")) : values);
		}
		return schema;
	}

	private static boolean numeric(ParameterSpec spec) {
		return spec.type().equals("number") || spec.type().equals("integer");
	}

	private static Schema<Object> searchRange() {
		return typed("object")
			.description("Random search: each trial draws a value uniformly from [min, max] (log: log-uniformly; "
					+ "then min > 0), rounded for integer hyperparameters")
			.addProperty("min", typed("number"))
			.addProperty("max", typed("number").description(">= min"))
			.addProperty("log", typed("boolean")._default(false))
			.required(List.of("min", "max"));
	}

}
