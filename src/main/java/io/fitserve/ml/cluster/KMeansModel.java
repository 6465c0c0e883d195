package io.fitserve.ml.cluster;

/**
 * A fitted k-means model: immutable after training.
 *
 * @param centroids k rows in the space the model was fitted in
 * @param labels the cluster of each training row
 * @param inertia sum of squared distances of the training rows to their centroid
 * @param iterations Lloyd iterations of the kept restart
 */
public record KMeansModel(double[][] centroids, int[] labels, double inertia, int iterations) {

	/** Number of clusters. */
	public int k() {
		return this.centroids.length;
	}

	/** The closest centroid's index (the lowest on a tie) for one row. */
	public int predict(double[] x) {
		return KMeans.closest(this.centroids, x);
	}

	/** Training rows per cluster. */
	public int[] sizes() {
		int[] sizes = new int[k()];
		for (int label : this.labels) {
			sizes[label]++;
		}
		return sizes;
	}

}
