package io.fitserve.training;

import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.ml.Task;
import io.fitserve.ml.eval.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/**
 * Validates a search and draws its trials; every trial's hyperparameters are checked like
 * a training job's.
 */
final class TuningResolver {

	static final int MAX_TRIALS = 200;

	private TuningResolver() {
	}

	static TuningSpec resolve(TuningJobRequest r, Dataset dataset, DatasetFrame frame) {
		List<FieldError> errors = new ArrayList<>();
		Map<String, Object> base = r.hyperparameters() == null ? Map.of() : r.hyperparameters();
		TrainingJobRequest asTraining = new TrainingJobRequest(r.datasetId(), r.target(), r.features(), r.task(),
				r.algorithm(), base, 0.0, r.testFraction(), null, r.seed(), r.refit());
		TrainingSpec template = SpecResolver.resolve(asTraining, dataset, frame, errors);
		if (template.task() == Task.CLUSTERING) {
			// there is no target to cross-validate a score against; k "auto" chooses k
			errors.clear();
			errors.add(FieldError.field("algorithm", "hyperparameter search does not apply to clustering ("
					+ template.algorithm() + "); train it with k \"auto\" to choose k by silhouette"));
			throw DomainException.invalid("The tuning job specification is not valid.", errors);
		}
		String strategy = r.strategy() == null ? "random" : r.strategy();
		if (!strategy.equals("grid") && !strategy.equals("random")) {
			errors.add(FieldError.field("strategy", "unknown value '" + strategy + "'; allowed: grid, random"));
		}
		int folds = r.folds() == null ? 3 : r.folds();
		if (folds < 2 || folds > 10) {
			errors.add(FieldError.field("folds", "must be between 2 and 10"));
		}
		int budget = r.timeBudgetSeconds() == null ? 3600 : r.timeBudgetSeconds();
		if (budget < 1 || budget > 86_400) {
			errors.add(FieldError.field("timeBudgetSeconds", "must be between 1 and 86400"));
		}
		Task task = template.task();
		String metric = r.metric();
		if (task != null) {
			List<String> allowed = Metrics.names(task);
			if (metric == null) {
				metric = task == Task.CLASSIFICATION ? "accuracy" : "r2";
			}
			else if (!allowed.contains(metric)) {
				errors.add(FieldError.field("metric", "unknown metric '" + metric + "' for " + task.wireName()
						+ "; allowed: " + String.join(", ", allowed)));
			}
		}
		List<Map<String, Object>> trials = List.of();
		if (r.space() == null || r.space().isEmpty()) {
			errors.add(FieldError.field("space", "name at least one hyperparameter with values or a range"));
		}
		else if (strategy.equals("grid")) {
			trials = grid(r.space(), errors);
		}
		else if (strategy.equals("random")) {
			int count = r.trials() == null ? 10 : r.trials();
			if (count < 1 || count > MAX_TRIALS) {
				errors.add(FieldError.field("trials", "must be between 1 and " + MAX_TRIALS));
			}
			else {
				trials = random(r.space(), count, r.seed() == null ? SpecResolver.DEFAULT_SEED : r.seed(),
						integerParameters(r.algorithm()), errors);
			}
		}
		if (template.algorithm() != null && errors.isEmpty()) {
			for (int i = 0; i < trials.size(); i++) {
				List<FieldError> trialErrors = new ArrayList<>();
				SpecResolver.resolveHyperparameters(merge(base, trials.get(i)), template.algorithm(), task, null,
						trialErrors);
				for (FieldError e : trialErrors) {
					errors.add(FieldError.field(
							e.field() == null ? "space" : e.field().replace("hyperparameters.", "space."),
							"trial " + (i + 1) + " " + trials.get(i) + ": " + e.message()));
				}
				if (errors.size() > 20) {
					break;
				}
			}
		}
		if (!errors.isEmpty()) {
			throw DomainException.invalid("The tuning job specification is not valid.", errors);
		}
		return new TuningSpec(template.datasetId(), template.target(), template.features(), task, template.algorithm(),
				strategy, r.space(), trials, folds, metric, budget, base, template.testFraction(), template.refit(),
				template.seed());
	}

	/**
	 * Applies {@link TrainingLimits} to every trial as the search will train it:
	 * cross-validated on {@code folds} folds of the non-test rows, then the best once
	 * more on all of them, and with refit once more on every row (so the work is epochs x
	 * training rows x (folds + 1), + 1 with refit and a test split). The whole search is
	 * refused up front with a 422 whose errors name the trial, its offending
	 * hyperparameter ({@code space.x} when the search varies it,
	 * {@code hyperparameters.x} when fixed), the computed figure and the limit with its
	 * property; limits of the data itself (categories, encoded width, rows) are listed
	 * once.
	 */
	static void checkLimits(TuningSpec spec, DatasetFrame frame, TrainingProperties limits) {
		if (spec.algorithm() == null) {
			return;
		}
		TrainingSpec template = spec.template();
		List<FieldError> errors = new ArrayList<>();
		java.util.Set<String> dataErrors = new java.util.HashSet<>();
		int refusedTrials = 0;
		for (int i = 0; i < spec.trials().size(); i++) {
			Map<String, Object> trial = spec.trials().get(i);
			// already validated by resolve; resolved again here exactly as TuningRunner
			// does
			TrainingParameters h = SpecResolver.resolveHyperparameters(merge(spec.hyperparameters(), trial),
					spec.algorithm(), spec.task(), null, new ArrayList<>());
			List<FieldError> trialErrors = new ArrayList<>();
			TrainingLimits.check(template.withHyperparameters(h), frame, limits, trialErrors);
			boolean refused = false;
			for (FieldError e : trialErrors) {
				String field = e.field() == null ? "space" : e.field();
				if (field.startsWith("hyperparameters.")) {
					String name = field.substring("hyperparameters.".length());
					refused = true;
					if (refusedTrials < 20) {
						errors.add(FieldError.field(trial.containsKey(name) ? "space." + name : field,
								"trial " + (i + 1) + " " + trial + ": " + e.message()));
					}
				}
				else if (dataErrors.add(field + "\n" + e.message())) {
					errors.add(FieldError.field(field.equals("crossValidation.folds") ? "folds" : field, e.message()));
				}
			}
			if (refused) {
				refusedTrials++;
			}
		}
		if (refusedTrials > 20) {
			errors.add(FieldError.field("space", "... and " + (refusedTrials - 20) + " more trial(s) over the limits"));
		}
		if (!errors.isEmpty()) {
			throw DomainException.unprocessable("The dataset cannot train " + (refusedTrials > 0
					? refusedTrials + " of the " + spec.trials().size() + " trials" : "this search")
					+ " within the limits; the search was not started.", errors);
		}
	}

	static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> trial) {
		Map<String, Object> merged = new LinkedHashMap<>(base);
		merged.putAll(trial);
		return merged;
	}

	private static List<Map<String, Object>> grid(Map<String, Object> space, List<FieldError> errors) {
		List<Map<String, Object>> combos = new ArrayList<>();
		combos.add(new LinkedHashMap<>());
		for (Map.Entry<String, Object> e : space.entrySet()) {
			if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
				errors.add(FieldError.field("space." + e.getKey(), "grid search needs a non-empty list of values"));
				return List.of();
			}
			List<Map<String, Object>> next = new ArrayList<>();
			for (Map<String, Object> combo : combos) {
				for (Object v : values) {
					Map<String, Object> c = new LinkedHashMap<>(combo);
					c.put(e.getKey(), v);
					next.add(c);
				}
			}
			if (next.size() > MAX_TRIALS) {
				errors.add(FieldError.field("space",
						"the grid has more than " + MAX_TRIALS + " combinations; use fewer values or a random search"));
				return List.of();
			}
			combos = next;
		}
		return combos;
	}

	/**
	 * The hyperparameters of the algorithm called name that take integers (its
	 * descriptor's integer specs), which a range draws rounded; none for an unknown name.
	 */
	static Set<String> integerParameters(String name) {
		AlgorithmDescriptor<?> algorithm = AlgorithmRegistry.find(name);
		if (algorithm == null) {
			return Set.of();
		}
		return algorithm.parameters()
			.stream()
			.filter(p -> p.type().equals("integer"))
			.map(ParameterSpec::name)
			.collect(Collectors.toUnmodifiableSet());
	}

	static List<Map<String, Object>> random(Map<String, Object> space, int count, long seed, Set<String> integers,
			List<FieldError> errors) {
		SplittableRandom random = new SplittableRandom(seed);
		List<Map<String, Object>> trials = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, Object> trial = new LinkedHashMap<>();
			for (Map.Entry<String, Object> e : space.entrySet()) {
				Object sampled = sample(e.getKey(), e.getValue(), random, integers.contains(e.getKey()), errors);
				if (sampled == null) {
					return List.of();
				}
				trial.put(e.getKey(), sampled);
			}
			trials.add(trial);
		}
		return trials;
	}

	private static Object sample(String name, Object spec, SplittableRandom random, boolean integer,
			List<FieldError> errors) {
		if (spec instanceof List<?> values && !values.isEmpty()) {
			return values.get(random.nextInt(values.size()));
		}
		if (spec instanceof Map<?, ?> range && range.get("min") instanceof Number min
				&& range.get("max") instanceof Number max && min.doubleValue() <= max.doubleValue()) {
			boolean log = Boolean.TRUE.equals(range.get("log"));
			if (log && min.doubleValue() <= 0) {
				errors.add(FieldError.field("space." + name, "a log range needs min > 0"));
				return null;
			}
			double u = random.nextDouble();
			double v = log
					? Math.exp(Math.log(min.doubleValue())
							+ u * (Math.log(max.doubleValue()) - Math.log(min.doubleValue())))
					: min.doubleValue() + u * (max.doubleValue() - min.doubleValue());
			if (integer) {
				return (int) Math.round(v);
			}
			return v;
		}
		errors.add(FieldError.field("space." + name,
				"must be a non-empty list of values or a range {\"min\": a, \"max\": b, \"log\": true|false} with a <= b"));
		return null;
	}

}
