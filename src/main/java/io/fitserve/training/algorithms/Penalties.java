package io.fitserve.training.algorithms;

import java.util.List;

/**
 * The weight penalties several algorithms share: l1, l2, and C, scikit-learn's inverse
 * regularization (l2 = 1/(C n)), given instead of l2.
 */
public final class Penalties {

	public static final ParameterSpec L1 = ParameterSpec.number("l1", 0, false, 1000,
			"L1 penalty on the weights (with l2: elastic net)");

	public static final ParameterSpec L2 = ParameterSpec.number("l2", 0, false, 1000,
			"L2 penalty on the weights: mean(loss) + l2/2 |w|^2");

	public static final ParameterSpec L2_OR_C = ParameterSpec.number("l2", 0, false, 1000,
			"L2 penalty on the weights; an alternative to C (give one or the other): when l2 is "
					+ "not given, C applies");

	public static final ParameterSpec C = ParameterSpec.number("C", 0, true, 1e6,
			"Inverse regularization strength as in scikit-learn (l2 = 1/(C n)); > 0");

	private Penalties() {
	}

	public static double l1(ParameterReader in) {
		return in.number("l1", 0.0, 0, true, 1000);
	}

	public static double l2(ParameterReader in, double fallback) {
		return in.number("l2", fallback, 0, true, 1000);
	}

	/** C, or null when l2 is given instead; both given is an error. */
	public static Double c(ParameterReader in) {
		if (in.has("C") && in.has("l2")) {
			in.error("C", "give either C or l2, not both");
		}
		return in.has("l2") ? null : in.number("C", 1.0, 0, false, 1e6);
	}

	/** The l2 training applies: 1/(C n) with C, else l2 (0 when absent). */
	public static double effectiveL2(Double c, Double l2, int trainRows) {
		return c != null ? 1.0 / (c * trainRows) : (l2 == null ? 0.0 : l2);
	}

	static List<ParameterSpec> none() {
		return List.of();
	}

}
