package io.fitserve.ml.explain;

import io.fitserve.ml.Task;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Model explanations: permutation importance, coefficients of linear models and per-row
 * contributions.
 */
public final class Explanations {

	private Explanations() {
	}

	/**
	 * Drop in score when one original feature is shuffled: mean and population standard
	 * deviation over repeats.
	 */
	public record FeatureImportance(String feature, double mean, double std) {
	}

	/**
	 * One weight of a one-layer (linear) network on one encoded column.
	 *
	 * @param feature the original feature name
	 * @param encodedColumn the encoded column name ("age", "color=red"); null in grouped
	 * magnitudes
	 * @param classLabel the class of the output unit; null for a single-output network
	 * (regression, or binary where a positive value pushes towards the positive class,
	 * classLabels.get(1))
	 * @param value the weight
	 */
	public record Coefficient(String feature, String encodedColumn, String classLabel, double value) {
	}

	/**
	 * Part of one output unit's score owed to one original feature: the sum of w_j * x_j
	 * over its columns.
	 */
	public record Contribution(String feature, double value) {
	}

	/**
	 * A row's score for one output unit split into intercept + contributions; score is
	 * the pre-activation.
	 */
	public record RowExplanation(double intercept, List<Contribution> contributions, double score) {

		public RowExplanation {
			contributions = List.copyOf(contributions);
		}

	}

	/**
	 * Permutation importance as scikit-learn's permutation_importance: score = accuracy
	 * of the argmax (classification, yTrue holding class indices) or R^2 of output 0
	 * (regression); each original feature's block of encoded columns (widths from the
	 * preprocessing, in order, so one-hot groups move together) has its rows permuted
	 * together, repeats times; importance = baseline - permuted score. Features of width
	 * 0 get 0. Sorted by mean descending (ties keep feature order). Deterministic per
	 * seed.
	 * @param predictBatch model outputs for encoded rows (probabilities per class, or
	 * {value})
	 */
	public static List<FeatureImportance> permutationImportance(Function<double[][], double[][]> predictBatch,
			Preprocessing p, double[][] xEncoded, double[] yTrue, Task task, int repeats, long seed) {
		Objects.requireNonNull(predictBatch, "predictBatch");
		Objects.requireNonNull(p, "p");
		Objects.requireNonNull(xEncoded, "xEncoded");
		Objects.requireNonNull(yTrue, "yTrue");
		Objects.requireNonNull(task, "task");
		int n = xEncoded.length;
		if (n == 0 || yTrue.length != n) {
			throw new IllegalArgumentException("need the same positive number of rows in xEncoded and yTrue");
		}
		if (repeats < 1) {
			throw new IllegalArgumentException("repeats must be >= 1");
		}
		int width = p.outputWidth();
		double[][] work = new double[n][];
		for (int i = 0; i < n; i++) {
			if (xEncoded[i].length != width) {
				throw new IllegalArgumentException(
						"row " + i + " has " + xEncoded[i].length + " columns, expected " + width);
			}
			work[i] = xEncoded[i].clone();
		}
		double baseline = score(predictBatch.apply(work), yTrue, task);
		SplittableRandom random = new SplittableRandom(seed);
		List<FeatureImportance> out = new ArrayList<>();
		int offset = 0;
		int[] permutation = new int[n];
		for (FeatureTransform f : p.features()) {
			int w = p.width(f);
			double[] drops = new double[repeats];
			if (w > 0) {
				for (int r = 0; r < repeats; r++) {
					for (int i = 0; i < n; i++) {
						permutation[i] = i;
					}
					for (int i = n - 1; i > 0; i--) {
						int j = random.nextInt(i + 1);
						int t = permutation[i];
						permutation[i] = permutation[j];
						permutation[j] = t;
					}
					for (int i = 0; i < n; i++) {
						System.arraycopy(xEncoded[permutation[i]], offset, work[i], offset, w);
					}
					drops[r] = baseline - score(predictBatch.apply(work), yTrue, task);
				}
				for (int i = 0; i < n; i++) { // restore this block before the next
												// feature
					System.arraycopy(xEncoded[i], offset, work[i], offset, w);
				}
			}
			double mean = 0;
			for (double d : drops) {
				mean += d;
			}
			mean /= repeats;
			double variance = 0;
			for (double d : drops) {
				variance += (d - mean) * (d - mean);
			}
			out.add(new FeatureImportance(f.name(), mean, Math.sqrt(variance / repeats)));
			offset += w;
		}
		out.sort(Comparator.comparingDouble(FeatureImportance::mean).reversed()); // List.sort
																					// is
																					// stable
		return List.copyOf(out);
	}

	private static double score(double[][] predicted, double[] yTrue, Task task) {
		int n = yTrue.length;
		if (predicted.length != n) {
			throw new IllegalArgumentException("predictBatch returned " + predicted.length + " rows for " + n);
		}
		if (task == Task.REGRESSION) {
			double[] values = new double[n];
			for (int i = 0; i < n; i++) {
				values[i] = predicted[i][0];
			}
			return Metrics.r2(yTrue, values);
		}
		long correct = 0;
		for (int i = 0; i < n; i++) {
			if (Metrics.argmax(predicted[i]) == (int) yTrue[i]) {
				correct++;
			}
		}
		return (double) correct / n;
	}

	/**
	 * The first-layer weights of a one-layer network, one per encoded column and output
	 * unit (output-major: all columns of unit 0, then unit 1, ...). The inputs are
	 * already standardized / one-hot, so these are standardized coefficients. A single
	 * output unit gets classLabel null; otherwise unit k is classLabels.get(k).
	 * @param classLabels the class labels (null or ignored for regression)
	 */
	public static List<Coefficient> standardizedCoefficients(Preprocessing p, NetworkWeights linear,
			List<String> classLabels) {
		DenseLayer layer = linearLayer(p, linear);
		int outputs = layer.outputs();
		if (outputs > 1 && (classLabels == null || classLabels.size() != outputs)) {
			throw new IllegalArgumentException(
					"a network with " + outputs + " outputs needs " + outputs + " class labels");
		}
		List<String> columns = p.outputNames();
		String[] featureOfColumn = featureOfColumn(p);
		List<Coefficient> out = new ArrayList<>(columns.size() * outputs);
		for (int k = 0; k < outputs; k++) {
			String label = outputs == 1 ? null : classLabels.get(k);
			for (int j = 0; j < columns.size(); j++) {
				out.add(new Coefficient(featureOfColumn[j], columns.get(j), label, layer.weights()[j * outputs + k]));
			}
		}
		return List.copyOf(out);
	}

	/**
	 * Sum of |coefficient| per original feature and output unit, in the order of
	 * {@link #standardizedCoefficients} (encodedColumn null). Features of width 0 get 0.
	 */
	public static List<Coefficient> groupedCoefficientMagnitude(Preprocessing p, NetworkWeights linear,
			List<String> classLabels) {
		List<Coefficient> coefficients = standardizedCoefficients(p, linear, classLabels);
		int outputs = linear.layers().get(0).outputs();
		Map<List<Object>, Double> sums = new LinkedHashMap<>();
		for (int k = 0; k < outputs; k++) {
			String label = outputs == 1 ? null : classLabels.get(k);
			for (FeatureTransform f : p.features()) {
				sums.put(key(f.name(), label), 0.0);
			}
		}
		for (Coefficient c : coefficients) {
			sums.merge(key(c.feature(), c.classLabel()), Math.abs(c.value()), Double::sum);
		}
		List<Coefficient> out = new ArrayList<>(sums.size());
		sums.forEach((key, sum) -> out.add(new Coefficient((String) key.get(0), null, (String) key.get(1), sum)));
		return List.copyOf(out);
	}

	private static List<Object> key(String feature, String label) {
		return Arrays.asList(feature, label); // Arrays.asList allows the null label
	}

	/**
	 * Splits one encoded row's pre-activation of an output unit of a one-layer network
	 * into its intercept and the per-original-feature sums of w_j * x_j (feature order);
	 * score = intercept + their sum.
	 */
	public static RowExplanation contributions(Preprocessing p, NetworkWeights linear, double[] xEncoded, int output) {
		DenseLayer layer = linearLayer(p, linear);
		Objects.requireNonNull(xEncoded, "xEncoded");
		int outputs = layer.outputs();
		if (output < 0 || output >= outputs) {
			throw new IllegalArgumentException("output " + output + " out of range for " + outputs + " outputs");
		}
		if (xEncoded.length != layer.inputs()) {
			throw new IllegalArgumentException(
					"expected " + layer.inputs() + " encoded values, got " + xEncoded.length);
		}
		double intercept = layer.bias()[output];
		double score = intercept;
		List<Contribution> contributions = new ArrayList<>(p.features().size());
		int j = 0;
		for (FeatureTransform f : p.features()) {
			double sum = 0;
			for (int end = j + f.width(); j < end; j++) {
				sum += layer.weights()[j * outputs + output] * xEncoded[j];
			}
			contributions.add(new Contribution(f.name(), sum));
			score += sum;
		}
		return new RowExplanation(intercept, contributions, score);
	}

	private static DenseLayer linearLayer(Preprocessing p, NetworkWeights linear) {
		Objects.requireNonNull(p, "p");
		Objects.requireNonNull(linear, "linear");
		if (linear.layers().size() != 1) {
			throw new IllegalArgumentException(
					"coefficients need a one-layer (linear) network, got " + linear.layers().size() + " layers");
		}
		DenseLayer layer = linear.layers().get(0);
		if (layer.inputs() != p.outputWidth()) {
			throw new IllegalArgumentException("network has " + layer.inputs()
					+ " inputs but the preprocessing encodes " + p.outputWidth() + " columns");
		}
		return layer;
	}

	private static String[] featureOfColumn(Preprocessing p) {
		String[] out = new String[p.outputWidth()];
		int j = 0;
		for (FeatureTransform f : p.features()) {
			for (int c = 0; c < f.width(); c++) {
				out[j++] = f.name();
			}
		}
		return out;
	}

}
