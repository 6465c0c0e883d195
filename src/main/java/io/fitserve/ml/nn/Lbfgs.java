package io.fitserve.ml.nn;

/**
 * Full-batch limited-memory BFGS (Nocedal and Wright, algorithm 7.4: two-loop recursion,
 * history of 10 pairs, {@code gamma = s'y / y'y} initial scaling) with a backtracking
 * Armijo line search. With an L1 penalty it is OWL-QN (Andrew and Gao 2007): the L1
 * term's pseudo-gradient replaces the gradient, the direction is kept in the orthant of
 * the descent, and every trial point is projected onto that orthant, so penalized
 * coordinates reach exactly zero. Curvature pairs with {@code s'y <= 1e-10 * |s| |y|} are
 * skipped (flat directions without L2, and kinks of the hinge loss), so the inverse
 * Hessian approximation stays positive definite.
 */
final class Lbfgs {

	/** A smooth objective: returns its value at x and writes its gradient into grad. */
	interface Objective {

		double evaluate(double[] x, double[] grad);

	}

	/** What an iteration found. */
	enum Status {

		/** Progress was made and the stopping tests were not met. */
		CONTINUE,
		/** The projected gradient or the objective change fell below tolerance. */
		CONVERGED,
		/**
		 * The line search found no decrease (reached the precision of the objective, or a
		 * kink); x is unchanged.
		 */
		STALLED

	}

	static final int HISTORY = 10;

	/** Projected-gradient tolerance, relative to max(1, |objective|). */
	static final double GRADIENT_TOLERANCE = 1e-6;

	/**
	 * Objective-change tolerance, relative to max(|f_old|, |f_new|, 1): scipy's ftol test
	 * with the value scikit-learn passes for LogisticRegression (64 machine epsilons). A
	 * looser 1e-10 stopped ill-conditioned problems (raw, unscaled features) with
	 * coefficients still 1e-4 away from the optimum.
	 */
	static final double VALUE_TOLERANCE = 64 * Math.ulp(1.0);

	private static final double ARMIJO = 1e-4;

	private static final int MAX_BACKTRACKS = 50;

	private final Objective objective;

	private final double l1;

	private final boolean[] penalized;

	private final int n;

	private double[] x;

	private double[] g;

	/** The full objective at x: smooth part plus the L1 term. */
	private double value;

	private final double[][] s = new double[HISTORY][];

	private final double[][] y = new double[HISTORY][];

	private final double[] rho = new double[HISTORY];

	private int stored;

	private int newest = -1;

	/**
	 * Evaluates the objective once at x0.
	 * @param l1 penalty on the coordinates marked in penalized (0 = plain L-BFGS)
	 */
	Lbfgs(Objective objective, double[] x0, double l1, boolean[] penalized) {
		this.objective = objective;
		this.l1 = l1;
		this.penalized = penalized;
		this.n = x0.length;
		this.x = x0.clone();
		this.g = new double[this.n];
		this.value = objective.evaluate(this.x, this.g) + l1Term(this.x);
	}

	double[] x() {
		return this.x.clone();
	}

	double value() {
		return this.value;
	}

	/** One L-BFGS iteration: direction, line search, history update, stopping tests. */
	Status iterate() {
		double[] pg = pseudoGradient();
		double pgNorm = maxAbs(pg);
		if (pgNorm == 0) {
			return Status.CONVERGED;
		}
		double[] d = direction(pg);
		double slope = dot(pg, d);
		if (!(slope < 0)) {
			// not a descent direction (numerical trouble): restart from steepest descent
			this.stored = 0;
			d = negate(pg);
			constrainToOrthant(d, pg);
			slope = dot(pg, d);
		}
		double[] orthant = orthant(pg);
		double step = (this.stored == 0) ? Math.min(1.0, 1.0 / norm(pg)) : 1.0;
		double[] trial = new double[this.n];
		double[] trialGradient = new double[this.n];
		double trialValue = Double.NaN;
		boolean accepted = false;
		for (int k = 0; k < MAX_BACKTRACKS; k++) {
			for (int i = 0; i < this.n; i++) {
				double v = this.x[i] + step * d[i];
				if (this.l1 > 0 && this.penalized[i] && Math.signum(v) != orthant[i]) {
					v = 0.0;
				}
				trial[i] = v;
			}
			trialValue = this.objective.evaluate(trial, trialGradient) + l1Term(trial);
			double decrease = 0;
			for (int i = 0; i < this.n; i++) {
				decrease += pg[i] * (trial[i] - this.x[i]);
			}
			if (trialValue <= this.value + ARMIJO * decrease) {
				accepted = true;
				break;
			}
			if (!Double.isFinite(trialValue) && !Double.isFinite(this.value)) {
				break;
			}
			step *= 0.5;
		}
		if (!accepted) {
			// leave the objective's state (the network's parameters) at x again
			this.objective.evaluate(this.x, this.g);
			return Status.STALLED;
		}
		double[] sNew = new double[this.n];
		double[] yNew = new double[this.n];
		for (int i = 0; i < this.n; i++) {
			sNew[i] = trial[i] - this.x[i];
			yNew[i] = trialGradient[i] - this.g[i];
		}
		double sy = dot(sNew, yNew);
		if (sy > 1e-10 * norm(sNew) * norm(yNew)) {
			this.newest = (this.newest + 1) % HISTORY;
			this.s[this.newest] = sNew;
			this.y[this.newest] = yNew;
			this.rho[this.newest] = 1.0 / sy;
			this.stored = Math.min(this.stored + 1, HISTORY);
		}
		double previous = this.value;
		this.x = trial;
		this.g = trialGradient;
		this.value = trialValue;
		if (Math.abs(previous - trialValue) <= VALUE_TOLERANCE
				* Math.max(1.0, Math.max(Math.abs(previous), Math.abs(trialValue)))) {
			return Status.CONVERGED;
		}
		if (maxAbs(pseudoGradient()) <= GRADIENT_TOLERANCE * Math.max(1.0, Math.abs(this.value))) {
			return Status.CONVERGED;
		}
		return Status.CONTINUE;
	}

	/** The max-norm of the (pseudo-)gradient at the current point. */
	double projectedGradientNorm() {
		return maxAbs(pseudoGradient());
	}

	/**
	 * The gradient, or with L1 the minimum-norm subgradient of the full objective: for
	 * x_i != 0 {@code g + l1 sign(x)}; at 0 {@code g + l1} if that is negative,
	 * {@code g - l1} if that is positive, else 0.
	 */
	private double[] pseudoGradient() {
		double[] pg = this.g.clone();
		if (this.l1 <= 0) {
			return pg;
		}
		for (int i = 0; i < this.n; i++) {
			if (!this.penalized[i]) {
				continue;
			}
			double xi = this.x[i];
			double gi = this.g[i];
			if (xi > 0) {
				pg[i] = gi + this.l1;
			}
			else if (xi < 0) {
				pg[i] = gi - this.l1;
			}
			else if (gi + this.l1 < 0) {
				pg[i] = gi + this.l1;
			}
			else if (gi - this.l1 > 0) {
				pg[i] = gi - this.l1;
			}
			else {
				pg[i] = 0.0;
			}
		}
		return pg;
	}

	/**
	 * The orthant a step may explore: the sign of x_i, or of the descent -pg_i where x_i
	 * is 0.
	 */
	private double[] orthant(double[] pg) {
		double[] result = new double[this.n];
		for (int i = 0; i < this.n; i++) {
			result[i] = (this.x[i] != 0) ? Math.signum(this.x[i]) : -Math.signum(pg[i]);
		}
		return result;
	}

	/**
	 * -H * pg by the two-loop recursion, then (OWL-QN) zeroed where it disagrees in sign
	 * with -pg.
	 */
	private double[] direction(double[] pg) {
		double[] q = pg.clone();
		double[] alpha = new double[HISTORY];
		for (int k = 0, j = this.newest; k < this.stored; k++, j = (j - 1 + HISTORY) % HISTORY) {
			alpha[j] = this.rho[j] * dot(this.s[j], q);
			axpy(-alpha[j], this.y[j], q);
		}
		if (this.stored > 0) {
			double gamma = 1.0 / (this.rho[this.newest] * dot(this.y[this.newest], this.y[this.newest]));
			for (int i = 0; i < this.n; i++) {
				q[i] *= gamma;
			}
		}
		int oldest = (this.newest - this.stored + 1 + HISTORY) % HISTORY;
		for (int k = 0, j = oldest; k < this.stored; k++, j = (j + 1) % HISTORY) {
			double beta = this.rho[j] * dot(this.y[j], q);
			axpy(alpha[j] - beta, this.s[j], q);
		}
		double[] d = negate(q);
		constrainToOrthant(d, pg);
		return d;
	}

	private void constrainToOrthant(double[] d, double[] pg) {
		if (this.l1 <= 0) {
			return;
		}
		for (int i = 0; i < this.n; i++) {
			if (this.penalized[i] && d[i] * pg[i] >= 0) {
				d[i] = 0.0;
			}
		}
	}

	private double l1Term(double[] v) {
		if (this.l1 <= 0) {
			return 0.0;
		}
		double sum = 0;
		for (int i = 0; i < this.n; i++) {
			if (this.penalized[i]) {
				sum += Math.abs(v[i]);
			}
		}
		return this.l1 * sum;
	}

	private static double dot(double[] a, double[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

	private static void axpy(double a, double[] x, double[] y) {
		for (int i = 0; i < x.length; i++) {
			y[i] += a * x[i];
		}
	}

	private static double norm(double[] v) {
		return Math.sqrt(dot(v, v));
	}

	private static double maxAbs(double[] v) {
		double max = 0;
		for (double e : v) {
			max = Math.max(max, Math.abs(e));
		}
		return max;
	}

	private static double[] negate(double[] v) {
		double[] result = new double[v.length];
		for (int i = 0; i < v.length; i++) {
			result[i] = -v[i];
		}
		return result;
	}

}
