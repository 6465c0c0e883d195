package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.kernel.KernelModel;
import java.util.List;
import java.util.Objects;

/** A kernel SVM (classification only); its outputs are class probabilities. */
public record KernelPredictor(KernelModel model) implements Predictor {

	/** Header kind of kernel models. */
	static final String KIND = "kernel";

	public KernelPredictor {
		Objects.requireNonNull(model, "model");
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public double[] predict(double[] x, int outputs) {
		return this.model.predictProba(x);
	}

	@Override
	public void checkFits(Task task, List<String> classLabels) {
		if (task != Task.CLASSIFICATION) {
			throw new IllegalArgumentException("kernel models are classifiers");
		}
		if (this.model.numClasses() != classLabels.size()) {
			throw new IllegalArgumentException("the kernel model has " + this.model.numClasses()
					+ " classes but there are " + classLabels.size() + " class labels");
		}
	}

}
