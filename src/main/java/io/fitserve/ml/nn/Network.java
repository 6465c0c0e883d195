package io.fitserve.ml.nn;

import java.util.List;
import java.util.Objects;

/**
 * Pure-Java, thread-safe inference for a trained {@link NetworkWeights}: no ND4J, so
 * single rows are cheap and no per-thread native state is created.
 */
public final class Network {

	private Network() {
	}

	/**
	 * Predicts one row. REGRESSION ({@link OutputKind#IDENTITY}): {@code {value}}.
	 * CLASSIFICATION: class probabilities of length {@code numClasses}, summing to 1.
	 * One-unit binary models ({@link OutputKind#SIGMOID} and {@link OutputKind#SVM}) give
	 * {@code {1 - sigmoid(z), sigmoid(z)}}; multiclass SVM gives a softmax over the
	 * one-vs-rest margins (uncalibrated).
	 */
	public static double[] predict(NetworkWeights net, double[] x, int numClasses) {
		checkNetwork(net);
		double[][] work = workBuffers(net);
		return toOutput(net.output(), forward(net, x, work), numClasses);
	}

	/** Predicts each row of {@code x}, as {@link #predict}. */
	public static double[][] predictBatch(NetworkWeights net, double[][] x, int numClasses) {
		checkNetwork(net);
		Objects.requireNonNull(x, "x");
		if (net.layers().size() == 1 && net.layers().get(0).outputs() == 1) {
			return predictOneUnit(net, x, numClasses);
		}
		double[][] work = workBuffers(net);
		double[][] result = new double[x.length][];
		for (int r = 0; r < x.length; r++) {
			result[r] = toOutput(net.output(), forward(net, x[r], work), numClasses);
		}
		return result;
	}

	/**
	 * {@link #predictBatch} for a network of one unit (linear and logistic regression, a
	 * binary linear SVM): four rows at a time, so that four sums are under way at once
	 * instead of one chain of dependent additions. Each row's score is summed in the
	 * order {@link #forward} sums it, so each prediction has the same bits as the row's
	 * alone.
	 */
	private static double[][] predictOneUnit(NetworkWeights net, double[][] x, int numClasses) {
		DenseLayer layer = net.layers().get(0);
		double[] w = layer.weights();
		double bias = layer.bias()[0];
		int d = layer.inputs();
		OutputKind kind = net.output();
		// toOutput copies the scores it is given, so one array serves every row
		double[] score = new double[1];
		double[][] result = new double[x.length][];
		int r = 0;
		for (; r + 3 < x.length; r += 4) {
			double[] x0 = checkRow(x[r], d);
			double[] x1 = checkRow(x[r + 1], d);
			double[] x2 = checkRow(x[r + 2], d);
			double[] x3 = checkRow(x[r + 3], d);
			double s0 = 0.0;
			double s1 = 0.0;
			double s2 = 0.0;
			double s3 = 0.0;
			for (int i = 0; i < d; i++) {
				double wi = w[i];
				s0 += x0[i] * wi;
				s1 += x1[i] * wi;
				s2 += x2[i] * wi;
				s3 += x3[i] * wi;
			}
			score[0] = s0 + bias;
			result[r] = toOutput(kind, score, numClasses);
			score[0] = s1 + bias;
			result[r + 1] = toOutput(kind, score, numClasses);
			score[0] = s2 + bias;
			result[r + 2] = toOutput(kind, score, numClasses);
			score[0] = s3 + bias;
			result[r + 3] = toOutput(kind, score, numClasses);
		}
		for (; r < x.length; r++) {
			double[] row = checkRow(x[r], d);
			double s = 0.0;
			for (int i = 0; i < d; i++) {
				s += row[i] * w[i];
			}
			score[0] = s + bias;
			result[r] = toOutput(kind, score, numClasses);
		}
		return result;
	}

	private static double[] checkRow(double[] x, int inputs) {
		Objects.requireNonNull(x, "x");
		if (x.length != inputs) {
			throw new IllegalArgumentException("expected " + inputs + " input values but got " + x.length);
		}
		return x;
	}

	/**
	 * The last layer's raw scores for one row; work holds one buffer per layer and is
	 * overwritten.
	 */
	static double[] forward(NetworkWeights net, double[] x, double[][] work) {
		List<DenseLayer> layers = net.layers();
		double[] in = checkRow(x, layers.get(0).inputs());
		for (int l = 0; l < layers.size(); l++) {
			DenseLayer layer = layers.get(l);
			double[] z = work[l];
			int outputs = layer.outputs();
			double[] w = layer.weights();
			java.util.Arrays.fill(z, 0.0);
			for (int i = 0; i < layer.inputs(); i++) {
				double a = in[i];
				int row = i * outputs;
				for (int j = 0; j < outputs; j++) {
					z[j] += a * w[row + j];
				}
			}
			double[] b = layer.bias();
			for (int j = 0; j < outputs; j++) {
				z[j] += b[j];
			}
			if (l < layers.size() - 1) {
				activate(net.hiddenActivation(), z);
			}
			in = z;
		}
		return in;
	}

	static void activate(Activation activation, double[] z) {
		switch (activation) {
			case RELU -> {
				for (int j = 0; j < z.length; j++) {
					z[j] = z[j] > 0 ? z[j] : 0.0;
				}
			}
			case TANH -> {
				for (int j = 0; j < z.length; j++) {
					z[j] = Math.tanh(z[j]);
				}
			}
			case SIGMOID -> {
				for (int j = 0; j < z.length; j++) {
					z[j] = sigmoid(z[j]);
				}
			}
		}
	}

	static double sigmoid(double z) {
		if (z >= 0) {
			return 1.0 / (1.0 + Math.exp(-z));
		}
		double e = Math.exp(z);
		return e / (1.0 + e);
	}

	private static double[] toOutput(OutputKind kind, double[] scores, int numClasses) {
		if (kind == OutputKind.IDENTITY) {
			return scores.clone();
		}
		double[] probabilities;
		if (scores.length == 1 && (kind == OutputKind.SIGMOID || kind == OutputKind.SVM)) {
			double p = sigmoid(scores[0]);
			probabilities = new double[] { 1.0 - p, p };
		}
		else if (kind == OutputKind.SIGMOID) {
			throw new IllegalArgumentException("a SIGMOID output must have exactly one unit, got " + scores.length);
		}
		else {
			probabilities = softmax(scores);
		}
		if (probabilities.length != numClasses) {
			throw new IllegalArgumentException(
					"the network predicts " + probabilities.length + " classes but numClasses is " + numClasses);
		}
		return probabilities;
	}

	private static double[] softmax(double[] scores) {
		double max = Double.NEGATIVE_INFINITY;
		for (double s : scores) {
			max = Math.max(max, s);
		}
		double[] p = new double[scores.length];
		double sum = 0;
		for (int j = 0; j < scores.length; j++) {
			p[j] = Math.exp(scores[j] - max);
			sum += p[j];
		}
		for (int j = 0; j < p.length; j++) {
			p[j] /= sum;
		}
		return p;
	}

	private static double[][] workBuffers(NetworkWeights net) {
		double[][] work = new double[net.layers().size()][];
		for (int l = 0; l < work.length; l++) {
			work[l] = new double[net.layers().get(l).outputs()];
		}
		return work;
	}

	private static void checkNetwork(NetworkWeights net) {
		Objects.requireNonNull(net, "net");
		if (net.layers() == null || net.layers().isEmpty()) {
			throw new IllegalArgumentException("the network has no layers");
		}
		if (net.output() == null) {
			throw new IllegalArgumentException("the network has no output kind");
		}
		if (net.layers().size() > 1 && net.hiddenActivation() == null) {
			throw new IllegalArgumentException("the network has hidden layers but no activation");
		}
		int expectedInputs = net.layers().get(0).inputs();
		for (DenseLayer layer : net.layers()) {
			if (layer.inputs() != expectedInputs || layer.outputs() < 1 || layer.weights() == null
					|| layer.bias() == null || layer.weights().length != (long) layer.inputs() * layer.outputs()
					|| layer.bias().length != layer.outputs()) {
				throw new IllegalArgumentException("the network's layer shapes are inconsistent");
			}
			expectedInputs = layer.outputs();
		}
	}

}
