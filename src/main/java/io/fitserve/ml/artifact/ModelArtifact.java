package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Objects;

/**
 * The stored model: fitted preprocessing, class labels (empty for regression) and exactly
 * one predictor, either network weights (linear models, MLPs) or a kernel SVM.
 */
public record ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, NetworkWeights network,
		KernelModel kernel) {

	public ModelArtifact {
		Objects.requireNonNull(task, "task");
		Objects.requireNonNull(preprocessing, "preprocessing");
		classLabels = (classLabels != null) ? List.copyOf(classLabels) : List.of();
		if ((network == null) == (kernel == null)) {
			throw new IllegalArgumentException("a model artifact needs exactly one of network and kernel");
		}
		if (kernel != null) {
			if (task != Task.CLASSIFICATION) {
				throw new IllegalArgumentException("kernel models are classifiers");
			}
			if (kernel.numClasses() != classLabels.size()) {
				throw new IllegalArgumentException("the kernel model has " + kernel.numClasses()
						+ " classes but there are " + classLabels.size() + " class labels");
			}
		}
	}

	/** A network artifact (no kernel model). */
	public ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, NetworkWeights network) {
		this(task, classLabels, preprocessing, Objects.requireNonNull(network, "network"), null);
	}

	/**
	 * Predicts one row already transformed by {@link #preprocessing()}: {@code {value}}
	 * for regression, class probabilities (length {@code classLabels().size()}, summing
	 * to 1) for classification.
	 */
	public double[] predict(double[] x) {
		if (this.kernel != null) {
			return this.kernel.predictProba(x);
		}
		return Network.predict(this.network, x, outputs());
	}

	/** Predicts each row, as {@link #predict}. */
	public double[][] predictBatch(double[][] x) {
		Objects.requireNonNull(x, "x");
		if (this.kernel == null) {
			return Network.predictBatch(this.network, x, outputs());
		}
		double[][] result = new double[x.length][];
		for (int r = 0; r < x.length; r++) {
			result[r] = this.kernel.predictProba(x[r]);
		}
		return result;
	}

	private int outputs() {
		return (this.task == Task.CLASSIFICATION) ? this.classLabels.size() : 0;
	}

}
