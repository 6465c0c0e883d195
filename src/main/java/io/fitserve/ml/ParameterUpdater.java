package io.fitserve.ml;

import org.bytedeco.javacpp.indexer.DoubleIndexer;

/**
 * A gradient step rule over all parameters of a network, held as one flat native vector. One fused Java pass per step:
 * cheaper than a chain of ND4J element-wise ops, whose per-op overhead dominates at these sizes.
 */
abstract class ParameterUpdater {

	/** Applies one step to {@code params} in place from {@code gradient} (both of length size). */
	abstract void apply(DoubleIndexer params, DoubleIndexer gradient);

	static ParameterUpdater create(OptimizerKind kind, double learningRate, double momentum, int size) {
		return switch (kind) {
			case SGD -> new Sgd(learningRate, size);
			case MOMENTUM -> new Momentum(learningRate, momentum, size);
			case ADAM -> new Adam(learningRate, size);
			default -> throw new IllegalArgumentException("optimizer " + kind.wireName() + " is not supported yet");
		};
	}

	/** Plain gradient descent: {@code p -= lr * g}. */
	static final class Sgd extends ParameterUpdater {

		private final double learningRate;

		private final int size;

		Sgd(double learningRate, int size) {
			this.learningRate = learningRate;
			this.size = size;
		}

		@Override
		void apply(DoubleIndexer params, DoubleIndexer gradient) {
			for (long i = 0; i < this.size; i++) {
				params.put(i, params.get(i) - this.learningRate * gradient.get(i));
			}
		}

	}

	/** Classical momentum: {@code v = mu * v - lr * g; p += v}. */
	static final class Momentum extends ParameterUpdater {

		private final double learningRate;

		private final double momentum;

		private final double[] velocity;

		Momentum(double learningRate, double momentum, int size) {
			this.learningRate = learningRate;
			this.momentum = momentum;
			this.velocity = new double[size];
		}

		@Override
		void apply(DoubleIndexer params, DoubleIndexer gradient) {
			for (int i = 0; i < this.velocity.length; i++) {
				double v = this.momentum * this.velocity[i] - this.learningRate * gradient.get(i);
				this.velocity[i] = v;
				params.put(i, params.get(i) + v);
			}
		}

	}

	/** Adam (Kingma and Ba) with bias-corrected moments; beta1 0.9, beta2 0.999, epsilon 1e-8. */
	static final class Adam extends ParameterUpdater {

		static final double BETA1 = 0.9;

		static final double BETA2 = 0.999;

		static final double EPSILON = 1e-8;

		private final double learningRate;

		private final double[] firstMoment;

		private final double[] secondMoment;

		private int step;

		Adam(double learningRate, int size) {
			this.learningRate = learningRate;
			this.firstMoment = new double[size];
			this.secondMoment = new double[size];
		}

		@Override
		void apply(DoubleIndexer params, DoubleIndexer gradient) {
			this.step++;
			double correction1 = 1 - Math.pow(BETA1, this.step);
			double correction2 = 1 - Math.pow(BETA2, this.step);
			for (int i = 0; i < this.firstMoment.length; i++) {
				double g = gradient.get(i);
				double m = BETA1 * this.firstMoment[i] + (1 - BETA1) * g;
				double v = BETA2 * this.secondMoment[i] + (1 - BETA2) * g * g;
				this.firstMoment[i] = m;
				this.secondMoment[i] = v;
				double update = this.learningRate * (m / correction1) / (Math.sqrt(v / correction2) + EPSILON);
				params.put(i, params.get(i) - update);
			}
		}

	}

}
