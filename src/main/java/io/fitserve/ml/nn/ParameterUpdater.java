package io.fitserve.ml.nn;

import io.fitserve.ml.linalg.NativeMatrix;

import org.bytedeco.javacpp.DoublePointer;

/**
 * A gradient step rule over all parameters of a network, held as one flat native vector.
 * One fused Java pass per step: cheaper than a chain of ND4J element-wise ops, whose
 * per-op overhead dominates at these sizes.
 * <p>
 * With an L1 penalty each step is followed by the proximal soft-threshold
 * {@code p = sign(p) * max(|p| - t, 0)} on the penalized parameters (the weights, not
 * biases), which sets coefficients exactly to zero. t is {@code l1} times the step size
 * the rule applied to that coordinate: {@code lr} for SGD, MOMENTUM and NESTEROV, and the
 * per-coordinate {@code lr / (sqrt(accumulator) + eps)} for ADAM, RMSPROP and ADAGRAD
 * (the diagonal-metric proximal step).
 * <p>
 * Every rule is coordinate-wise: a step is {@link #begin()} (what all coordinates share)
 * and then {@link #update(int, int)} over ranges of coordinates, which
 * {@link #applyRange} lets two threads run at once on disjoint ranges with the same
 * result as one {@link #apply}.
 */
abstract class ParameterUpdater {

	protected double learningRate;

	private final double l1;

	/** Which parameters the L1 penalty applies to; null = none. */
	private final boolean[] penalized;

	/**
	 * The parameters, gradient and per-coordinate step sizes of one step on the heap: the
	 * native vectors are copied in and out once, and the rule runs over plain arrays in a
	 * loop without calls (Adam over 3,300 parameters: 22 us a step read and written
	 * through indexers, 7 us here).
	 */
	protected final double[] p;

	protected final double[] g;

	protected final double[] steps;

	ParameterUpdater(double learningRate, double l1, boolean[] penalized, int size) {
		this.learningRate = learningRate;
		this.l1 = l1;
		this.penalized = (l1 > 0) ? penalized : null;
		this.p = new double[size];
		this.g = new double[size];
		this.steps = (l1 > 0) ? new double[size] : null;
	}

	/**
	 * Applies one step to {@code params} in place from {@code gradient} (both of length
	 * size).
	 */
	final void apply(NativeMatrix params, NativeMatrix gradient) {
		params.copyTo(this.p);
		gradient.copyTo(this.g);
		begin();
		update(0, this.p.length);
		params.copyFrom(this.p);
	}

	/**
	 * Coordinates [from, to) of one step whose gradient is held in parts: g = the sum of
	 * the parts in order, plus {@code l2 * p} where {@code l2Mask} is set, fused (BLAS's
	 * axpy in {@link TrainableNetwork#addL2Gradient} fuses all but some tail elements, so
	 * a weight may differ in its last bit from the unshared step's). Each pointer is
	 * positioned at coordinate {@code from} and moved by no one else while this runs.
	 * After one {@link #begin()}, disjoint ranges may run at once on different threads;
	 * which thread runs which range never changes the result.
	 * @param scratch at least to - from long, this thread's own
	 */
	final void applyRange(DoublePointer params, DoublePointer[] parts, double l2, boolean[] l2Mask, int from, int to,
			double[] scratch) {
		int n = to - from;
		double[] p = this.p;
		double[] g = this.g;
		params.get(p, from, n);
		parts[0].get(g, from, n);
		for (int k = 1; k < parts.length; k++) {
			parts[k].get(scratch, 0, n);
			for (int i = 0; i < n; i++) {
				g[from + i] += scratch[i];
			}
		}
		if (l2 > 0) {
			for (int i = from; i < to; i++) {
				if (l2Mask[i]) {
					g[i] = Math.fma(l2, p[i], g[i]);
				}
			}
		}
		update(from, to);
		params.put(p, from, n);
	}

	/** Starts a step: what all coordinates' updates share. */
	void begin() {
	}

	/**
	 * The rule over coordinates [from, to) of {@link #p} from {@link #g}, followed by
	 * {@link #shrink}.
	 */
	abstract void update(int from, int to);

	/**
	 * The proximal L1 step on the penalized coordinates in [from, to) of {@link #p} (the
	 * step size of coordinate i in steps[i], or step for all when steps is null).
	 */
	protected final void shrink(int from, int to, double[] steps, double step) {
		if (this.penalized != null) {
			for (int i = from; i < to; i++) {
				this.p[i] = shrink(i, this.p[i], steps == null ? step : steps[i]);
			}
		}
	}

	/**
	 * Changes the base learning rate for the following steps (schedules); accumulated
	 * state is kept.
	 */
	void setLearningRate(double learningRate) {
		this.learningRate = learningRate;
	}

	double learningRate() {
		return this.learningRate;
	}

	static ParameterUpdater create(OptimizerKind kind, double learningRate, double momentum, int size) {
		return create(kind, learningRate, momentum, size, 0.0, null);
	}

	/**
	 * @param l1 L1 penalty applied as a proximal step to the parameters marked in
	 * {@code penalized}; 0 = none
	 */
	static ParameterUpdater create(OptimizerKind kind, double learningRate, double momentum, int size, double l1,
			boolean[] penalized) {
		if (l1 > 0 && (penalized == null || penalized.length != size)) {
			throw new IllegalArgumentException("an L1 penalty needs a mask of the penalized parameters");
		}
		return switch (kind) {
			case SGD -> new Sgd(learningRate, size, l1, penalized);
			case MOMENTUM -> new Momentum(learningRate, momentum, size, false, l1, penalized);
			case NESTEROV -> new Momentum(learningRate, momentum, size, true, l1, penalized);
			case ADAM -> new Adam(learningRate, size, l1, penalized);
			case RMSPROP -> new Adaptive(learningRate, size, Adaptive.RHO, Adaptive.RMSPROP_EPSILON, l1, penalized);
			case ADAGRAD -> new Adaptive(learningRate, size, 1.0, Adaptive.ADAGRAD_EPSILON, l1, penalized);
			case LBFGS -> throw new IllegalArgumentException("L-BFGS is not a per-step update rule");
		};
	}

	/**
	 * The proximal L1 step on parameter i after an update with step size {@code step};
	 * returns the new value.
	 */
	protected final double shrink(int i, double value, double step) {
		if (this.penalized == null || !this.penalized[i]) {
			return value;
		}
		double threshold = this.l1 * step;
		if (value > threshold) {
			return value - threshold;
		}
		if (value < -threshold) {
			return value + threshold;
		}
		return 0.0;
	}

	/** Plain gradient descent: {@code p -= lr * g}. */
	static final class Sgd extends ParameterUpdater {

		Sgd(double learningRate, int size, double l1, boolean[] penalized) {
			super(learningRate, l1, penalized, size);
		}

		@Override
		void update(int from, int to) {
			double lr = this.learningRate;
			double[] p = this.p;
			double[] g = this.g;
			for (int i = from; i < to; i++) {
				p[i] = p[i] - lr * g[i];
			}
			shrink(from, to, null, lr);
		}

	}

	/**
	 * Classical momentum: {@code v = mu * v - lr * g; p += v}. Nesterov's accelerated
	 * gradient in the usual reformulation that needs no look-ahead gradient (Sutskever et
	 * al. 2013, as in Keras/PyTorch): {@code v = mu * v - lr * g; p += mu * v - lr * g}.
	 */
	static final class Momentum extends ParameterUpdater {

		private final double momentum;

		private final boolean nesterov;

		private final double[] velocity;

		Momentum(double learningRate, double momentum, int size, boolean nesterov, double l1, boolean[] penalized) {
			super(learningRate, l1, penalized, size);
			this.momentum = momentum;
			this.nesterov = nesterov;
			this.velocity = new double[size];
		}

		@Override
		void update(int from, int to) {
			double lr = this.learningRate;
			double mu = this.momentum;
			double[] p = this.p;
			double[] g = this.g;
			double[] velocity = this.velocity;
			if (this.nesterov) {
				for (int i = from; i < to; i++) {
					double v = mu * velocity[i] - lr * g[i];
					velocity[i] = v;
					p[i] = p[i] + (mu * v - lr * g[i]);
				}
			}
			else {
				for (int i = from; i < to; i++) {
					double v = mu * velocity[i] - lr * g[i];
					velocity[i] = v;
					p[i] = p[i] + v;
				}
			}
			shrink(from, to, null, lr);
		}

	}

	/**
	 * Adam (Kingma and Ba) with bias-corrected moments; beta1 0.9, beta2 0.999, epsilon
	 * 1e-8.
	 */
	static final class Adam extends ParameterUpdater {

		static final double BETA1 = 0.9;

		static final double BETA2 = 0.999;

		static final double EPSILON = 1e-8;

		private final double[] firstMoment;

		private final double[] secondMoment;

		private int step;

		private double correction1;

		private double correction2;

		Adam(double learningRate, int size, double l1, boolean[] penalized) {
			super(learningRate, l1, penalized, size);
			this.firstMoment = new double[size];
			this.secondMoment = new double[size];
		}

		@Override
		void begin() {
			this.step++;
			this.correction1 = 1 - Math.pow(BETA1, this.step);
			this.correction2 = 1 - Math.pow(BETA2, this.step);
		}

		@Override
		void update(int from, int to) {
			double correction1 = this.correction1;
			double correction2 = this.correction2;
			double lr = this.learningRate;
			double[] p = this.p;
			double[] g = this.g;
			double[] first = this.firstMoment;
			double[] second = this.secondMoment;
			if (this.steps == null) {
				for (int i = from; i < to; i++) {
					double m = BETA1 * first[i] + (1 - BETA1) * g[i];
					double v = BETA2 * second[i] + (1 - BETA2) * g[i] * g[i];
					first[i] = m;
					second[i] = v;
					p[i] = p[i] - lr / (Math.sqrt(v / correction2) + EPSILON) * (m / correction1);
				}
			}
			else {
				double[] steps = this.steps;
				for (int i = from; i < to; i++) {
					double m = BETA1 * first[i] + (1 - BETA1) * g[i];
					double v = BETA2 * second[i] + (1 - BETA2) * g[i] * g[i];
					first[i] = m;
					second[i] = v;
					double stepSize = lr / (Math.sqrt(v / correction2) + EPSILON);
					steps[i] = stepSize;
					p[i] = p[i] - stepSize * (m / correction1);
				}
			}
			shrink(from, to, this.steps, 0);
		}

	}

	/**
	 * Per-coordinate step sizes from a running sum of squared gradients:
	 * {@code s = rho * s + c * g^2;
	 * p -= lr * g / (sqrt(s) + eps)}. RMSPROP: rho 0.9, c = 1 - rho, eps 1e-8 (Hinton;
	 * Keras' form). ADAGRAD: rho = c = 1 (a plain sum starting at 0), eps 1e-10 (Duchi et
	 * al.; PyTorch's defaults).
	 */
	static final class Adaptive extends ParameterUpdater {

		static final double RHO = 0.9;

		static final double RMSPROP_EPSILON = 1e-8;

		static final double ADAGRAD_EPSILON = 1e-10;

		private final double rho;

		private final double gain;

		private final double epsilon;

		private final double[] accumulator;

		/**
		 * @param rho decay of the accumulator; 1 = Adagrad's plain sum
		 */
		Adaptive(double learningRate, int size, double rho, double epsilon, double l1, boolean[] penalized) {
			super(learningRate, l1, penalized, size);
			this.rho = rho;
			this.gain = (rho < 1) ? 1 - rho : 1.0;
			this.epsilon = epsilon;
			this.accumulator = new double[size];
		}

		@Override
		void update(int from, int to) {
			double lr = this.learningRate;
			double rho = this.rho;
			double gain = this.gain;
			double epsilon = this.epsilon;
			double[] p = this.p;
			double[] g = this.g;
			double[] accumulator = this.accumulator;
			double[] steps = this.steps;
			for (int i = from; i < to; i++) {
				double s = rho * accumulator[i] + gain * g[i] * g[i];
				accumulator[i] = s;
				double stepSize = lr / (Math.sqrt(s) + epsilon);
				if (steps != null) {
					steps[i] = stepSize;
				}
				p[i] = p[i] - stepSize * g[i];
			}
			shrink(from, to, steps, 0);
		}

	}

}
