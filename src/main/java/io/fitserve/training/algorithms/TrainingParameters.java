package io.fitserve.training.algorithms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One algorithm's resolved hyperparameters: every value that applies is filled in,
 * defaults included. On the wire and in stored specs they are one flat JSON object under
 * the same keys as always ({@link #values()}); reading one back goes through the
 * algorithm's descriptor again.
 *
 * <p>
 * Sealed, so code that must handle every algorithm's parameters is checked for
 * exhaustiveness. Java requires the permitted records of a sealed type in the unnamed
 * module to share its package, so each algorithm's parameter record lives here while the
 * rest of the algorithm lives in its own package.
 */
public sealed interface TrainingParameters
		permits LinearRegressionParameters, LogisticRegressionParameters, LinearSvmParameters, SvmParameters,
		MlpParameters, GradientBoostingParameters, RandomForestParameters, KMeansParameters {

	/**
	 * The order in which keys are written: the order of the one record that held every
	 * algorithm's hyperparameters before (stored specs and responses read the same).
	 */
	List<String> KEY_ORDER = List.of("optimizer", "solver", "learningRate", "epochs", "batchSize", "l1", "l2", "C",
			"hiddenLayers", "activation", "dropout", "batchNorm", "earlyStoppingPatience", "earlyStoppingMonitor",
			"earlyStoppingMinDelta", "schedule", "momentum", "loss", "classWeights", "kernel", "gamma", "degree",
			"coef0", "probabilities");

	/** The values that apply, by wire key; absent keys do not apply. */
	@JsonValue
	default Map<String, Object> values() {
		Map<String, Object> raw = new LinkedHashMap<>();
		write(raw);
		Map<String, Object> ordered = new LinkedHashMap<>();
		for (String key : KEY_ORDER) {
			if (raw.get(key) != null) {
				ordered.put(key, raw.remove(key));
			}
		}
		raw.forEach((k, v) -> {
			if (v != null) {
				ordered.put(k, v);
			}
		});
		return ordered;
	}

	/** Puts each value under its wire key (nulls are left out by {@link #values()}). */
	void write(Map<String, Object> out);

	/**
	 * How a classifier's training rows are rebalanced; null for none (and for algorithms
	 * that take no resample).
	 */
	default Resampling resampling() {
		return null;
	}

	/** Epochs (or iterations) the model trains for; null when it has none. */
	default Integer epochs() {
		return null;
	}

}
