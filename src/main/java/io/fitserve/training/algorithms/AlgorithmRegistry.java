package io.fitserve.training.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fitserve.training.algorithms.gradientboosting.GradientBoostingAlgorithm;
import io.fitserve.training.algorithms.kmeans.KMeansAlgorithm;
import io.fitserve.training.algorithms.linearregression.LinearRegressionAlgorithm;
import io.fitserve.training.algorithms.linearsvm.LinearSvmAlgorithm;
import io.fitserve.training.algorithms.logisticregression.LogisticRegressionAlgorithm;
import io.fitserve.training.algorithms.mlp.MlpAlgorithm;
import io.fitserve.training.algorithms.randomforest.RandomForestAlgorithm;
import io.fitserve.training.algorithms.svm.SvmAlgorithm;

/**
 * The algorithms fitserve trains, in catalogue order. Adding one is its package plus one
 * line here.
 */
public final class AlgorithmRegistry {

	private static final List<AlgorithmDescriptor<?>> ALL = List.of(new LinearRegressionAlgorithm(),
			new LogisticRegressionAlgorithm(), new LinearSvmAlgorithm(), new SvmAlgorithm(), new MlpAlgorithm(),
			new GradientBoostingAlgorithm(), new RandomForestAlgorithm(), new KMeansAlgorithm());

	private static final Map<String, AlgorithmDescriptor<?>> BY_NAME = ALL.stream()
		.collect(Collectors.toUnmodifiableMap(AlgorithmDescriptor::name, Function.identity()));

	private AlgorithmRegistry() {
	}

	public static List<AlgorithmDescriptor<?>> all() {
		return ALL;
	}

	public static List<String> names() {
		return ALL.stream().map(AlgorithmDescriptor::name).toList();
	}

	/** The descriptor called name; null if none. */
	public static AlgorithmDescriptor<?> find(String name) {
		return name == null ? null : BY_NAME.get(name);
	}

	/** The descriptor called name; IllegalArgumentException if none. */
	public static AlgorithmDescriptor<?> get(String name) {
		AlgorithmDescriptor<?> descriptor = find(name);
		if (descriptor == null) {
			throw new IllegalArgumentException("no algorithm called " + name);
		}
		return descriptor;
	}

	/**
	 * Every hyperparameter name of every algorithm, each once, in the order the
	 * algorithms list them (the order of {@link TrainingParameters#KEY_ORDER} where
	 * known).
	 */
	public static List<String> parameterNames() {
		List<String> names = new ArrayList<>();
		for (AlgorithmDescriptor<?> descriptor : ALL) {
			for (String name : descriptor.parameterNames()) {
				if (!names.contains(name)) {
					names.add(name);
				}
			}
		}
		return List.copyOf(names);
	}

}
