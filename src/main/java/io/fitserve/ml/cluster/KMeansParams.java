package io.fitserve.ml.cluster;

/**
 * Settings of one k-means fit (scikit-learn's {@code KMeans} with
 * {@code init="k-means++"} and {@code algorithm="lloyd"}).
 *
 * @param k clusters
 * @param nInit k-means++ restarts; the one with the lowest inertia is kept
 * @param maxIter Lloyd iterations per restart at most
 * @param tol relative tolerance: a restart stops when the squared centroid shift summed
 * over clusters is at most {@code tol} times the mean feature variance (as scikit-learn)
 * @param seed fixes every restart's initialisation
 */
public record KMeansParams(int k, int nInit, int maxIter, double tol, long seed) {

	public KMeansParams {
		if (k < 1) {
			throw new IllegalArgumentException("k must be at least 1");
		}
		if (nInit < 1 || maxIter < 1) {
			throw new IllegalArgumentException("nInit and maxIter must be at least 1");
		}
		if (!(tol >= 0)) {
			throw new IllegalArgumentException("tol must be >= 0");
		}
	}

}
