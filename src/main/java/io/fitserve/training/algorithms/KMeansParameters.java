package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * kmeans: k-means clustering (scikit-learn's KMeans defaults, with n_init 10 as
 * scikit-learn before 1.4).
 *
 * @param k clusters, or "auto": the k in kMin..kMax with the best silhouette
 * @param kMin smallest k tried when k is "auto"
 * @param kMax largest k tried when k is "auto"
 * @param nInit k-means++ restarts, or "auto" (1, as scikit-learn's "auto" for k-means++)
 * @param maxIter Lloyd iterations per restart at most
 * @param tol relative tolerance on the centroid shift (times the mean feature variance)
 */
public record KMeansParameters(Object k, int kMin, int kMax, Object nInit, int maxIter,
		double tol) implements TrainingParameters {

	/** The restarts the nInit value stands for. */
	public int restarts() {
		return (this.nInit instanceof Number n) ? n.intValue() : 1;
	}

	/** Whether k is chosen by silhouette. */
	public boolean autoK() {
		return "auto".equals(this.k);
	}

	@Override
	public void write(Map<String, Object> out) {
		out.put("k", this.k);
		out.put("kMin", this.kMin);
		out.put("kMax", this.kMax);
		out.put("nInit", this.nInit);
		out.put("maxIter", this.maxIter);
		out.put("tol", this.tol);
	}

}
