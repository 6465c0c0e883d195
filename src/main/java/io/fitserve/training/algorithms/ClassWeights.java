package io.fitserve.training.algorithms;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fitserve.ml.Task;

/**
 * The classWeights hyperparameter: "balanced" or a map class label -> weight, and the
 * weight of each class it gives on the training rows.
 */
public final class ClassWeights {

	public static final ParameterSpec SPEC = ParameterSpec
		.string("classWeights", List.of("balanced"),
				"Weights of the classes in the loss: "
						+ "\"balanced\" (inverse class frequency) or a JSON object class label -> weight in (0, 1e6]; "
						+ "none by default (every class weighs 1)")
		.or(ParameterSpec.numberMap("classWeights", 0, true, 1e6, "Class label -> weight in (0, 1e6]"));

	private ClassWeights() {
	}

	/** The validated value; null when not given. */
	public static Object read(ParameterReader in, Task task, List<String> classLabels) {
		if (!in.has("classWeights")) {
			return null;
		}
		if (task == Task.REGRESSION) {
			in.error("classWeights", "applies only to classification");
			return null;
		}
		Object value = in.raw("classWeights");
		if ("balanced".equals(value)) {
			return "balanced";
		}
		if (value instanceof Map<?, ?> map && !map.isEmpty()) {
			Map<String, Double> weights = new TreeMap<>();
			for (Map.Entry<?, ?> e : map.entrySet()) {
				String label = String.valueOf(e.getKey());
				if (classLabels != null && !classLabels.contains(label)) {
					in.error("classWeights",
							"'" + label + "' is not a class of the target; classes: " + String.join(", ", classLabels));
				}
				else if (!(e.getValue() instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > 1e6) {
					in.error("classWeights", "the weight of '" + label + "' must be a number in (0, 1e6]");
				}
				else {
					weights.put(label, n.doubleValue());
				}
			}
			return weights;
		}
		in.error("classWeights", "must be \"balanced\" or a map of class label to weight");
		return null;
	}

	/**
	 * The weight of each class; null without classWeights. "balanced" weighs class c by n
	 * / (k * n_c) over the training rows, as scikit-learn does.
	 */
	public static double[] resolve(Object spec, List<String> classLabels, int[] trainClasses) {
		if (spec == null) {
			return null;
		}
		int k = classLabels.size();
		double[] weights = new double[k];
		if ("balanced".equals(spec)) {
			int[] counts = new int[k];
			for (int c : trainClasses) {
				counts[c]++;
			}
			for (int c = 0; c < k; c++) {
				weights[c] = counts[c] == 0 ? 1.0 : trainClasses.length / (double) (k * counts[c]);
			}
			return weights;
		}
		@SuppressWarnings("unchecked")
		Map<String, Number> byLabel = (Map<String, Number>) spec;
		for (int c = 0; c < k; c++) {
			Number w = byLabel.get(classLabels.get(c));
			weights[c] = w == null ? 1.0 : w.doubleValue();
		}
		return weights;
	}

}
