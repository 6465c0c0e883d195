package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.cluster.KMeans;
import java.util.List;
import java.util.Objects;

/**
 * A k-means model: its centroids in the encoded (standardized, one-hot) space. A row's
 * prediction is {@code {cluster, distance}}: the closest centroid's index (the lowest on
 * a tie) and the Euclidean distance to it, as scikit-learn's {@code predict} and
 * {@code transform}.
 */
public record KMeansPredictor(double[][] centroids) implements Predictor {

	/** Header kind of k-means models. */
	static final String KIND = "kmeans";

	public KMeansPredictor {
		Objects.requireNonNull(centroids, "centroids");
		if (centroids.length == 0) {
			throw new IllegalArgumentException("a k-means model needs at least one centroid");
		}
		double[][] copy = new double[centroids.length][];
		for (int c = 0; c < centroids.length; c++) {
			if (centroids[c] == null || centroids[c].length != centroids[0].length) {
				throw new IllegalArgumentException("every centroid must have " + centroids[0].length + " values");
			}
			copy[c] = centroids[c].clone();
		}
		centroids = copy;
	}

	@Override
	public String kind() {
		return KIND;
	}

	/** Clusters. */
	public int k() {
		return this.centroids.length;
	}

	/** Encoded values per centroid. */
	public int width() {
		return this.centroids[0].length;
	}

	/** A copy of the centroids. */
	@Override
	public double[][] centroids() {
		double[][] copy = new double[this.centroids.length][];
		for (int c = 0; c < copy.length; c++) {
			copy[c] = this.centroids[c].clone();
		}
		return copy;
	}

	/** {@code {cluster, distance}}. */
	@Override
	public double[] predict(double[] x, int outputs) {
		int cluster = KMeans.closest(this.centroids, x);
		return new double[] { cluster, Math.sqrt(KMeans.squaredDistance(x, this.centroids[cluster])) };
	}

	@Override
	public void checkFits(Task task, List<String> classLabels) {
		if (task != Task.CLUSTERING || !classLabels.isEmpty()) {
			throw new IllegalArgumentException("a k-means model serves clustering without class labels, not " + task);
		}
	}

}
