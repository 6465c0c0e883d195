package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.trees.EnsembleKind;
import io.fitserve.ml.trees.TreeEnsemble;
import io.fitserve.ml.trees.TreeShap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tree ensemble (gradient boosting or random forest) on ordinally encoded inputs (one
 * column per feature, NaN = missing). Explainable through TreeSHAP in the model's raw
 * score space: boosting margins (log-odds, per-class logits for several classes), forest
 * class probabilities, or the regression value.
 */
public record TreePredictor(TreeEnsemble model) implements Predictor, Explainable {

	/** Header kind of tree models. */
	static final String KIND = "trees";

	public TreePredictor {
		Objects.requireNonNull(model, "model");
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public double[] predict(double[] x, int outputs) {
		return this.model.predict(x);
	}

	@Override
	public double[][] predictBatch(double[][] x, int outputs) {
		Objects.requireNonNull(x, "x");
		return this.model.predictBatch(x);
	}

	@Override
	public void checkFits(Task task, List<String> classLabels) {
		boolean classification = task == Task.CLASSIFICATION;
		if (classification != this.model.classification()) {
			throw new IllegalArgumentException("the tree model is a "
					+ (this.model.classification() ? "classifier" : "regressor") + ", the task " + task);
		}
		if (classification && this.model.numClasses() != classLabels.size()) {
			throw new IllegalArgumentException("the tree model has " + this.model.numClasses()
					+ " classes but there are " + classLabels.size() + " class labels");
		}
	}

	@Override
	public int scoreOutputs() {
		return this.model.numOutputs();
	}

	@Override
	public Explanations.RowExplanation explain(Preprocessing preprocessing, double[] xEncoded, int output) {
		TreeShap.Explanation shap = TreeShap.explain(this.model, xEncoded);
		double[] phi = shap.contributions()[output];
		List<Explanations.Contribution> contributions = new ArrayList<>(phi.length);
		for (int f = 0; f < phi.length; f++) {
			contributions.add(new Explanations.Contribution(preprocessing.features().get(f).name(), phi[f]));
		}
		return new Explanations.RowExplanation(shap.baseValues()[output], contributions, shap.total(output));
	}

	@Override
	public String method() {
		return "tree_shap";
	}

	@Override
	public String scoreSpace(Task task) {
		if (task != Task.CLASSIFICATION) {
			return "value";
		}
		return (this.model.kind() == EnsembleKind.GRADIENT_BOOSTING) ? "log_odds" : "probability";
	}

}
