package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.Network;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The predictor kinds and their capabilities: linear models explain exactly as
 * {@link Explanations} does, MLPs and kernel SVMs are not {@link Explainable} (they are
 * explained by sampling, see SamplingShapleyTest), and ONNX export takes the dense
 * networks only.
 */
class PredictorTest {

	/** Encoded width 1 + 3 = 4. */
	private static final Preprocessing PREPROCESSING = new Preprocessing(
			List.of(FeatureTransform.numeric("x", 1, 2), FeatureTransform.categorical("color",
					FeatureTransform.CATEGORICAL, List.of("blue", "green", "red"), "red")));

	private static final double[] ROW = { 0.5, 0, 1, 0 };

	private static NetworkWeights softmax() {
		return new NetworkWeights(List.of(new DenseLayer(4, 3,
				new double[] { 1, -1, 0.5, 2, 0, -2, 0.25, 3, -0.5, -1, 1, 0 }, new double[] { 0.1, -0.2, 0.3 })), null,
				OutputKind.SOFTMAX);
	}

	private static NetworkWeights mlp() {
		return new NetworkWeights(
				List.of(new DenseLayer(4, 2, new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new double[2]),
						new DenseLayer(2, 1, new double[] { 0.5, -0.5 }, new double[] { 1 })),
				Activation.RELU, OutputKind.IDENTITY);
	}

	private static KernelModel kernel() {
		return new KernelModel(Kernel.LINEAR, 1, 1, 0, KernelModel.EXACT, 4, new double[][] { { 1, 0, 0, 0 } },
				new double[][] { { 2 } }, new double[] { -1 }, new double[] { -1 }, new double[] { 0 }, false, 2);
	}

	@Test
	void networksAreLinearWithOneLayer() {
		assertThat(Predictor.network(softmax())).isInstanceOf(LinearPredictor.class)
			.isInstanceOf(Explainable.class)
			.isInstanceOf(DenseNetwork.class);
		assertThat(Predictor.network(mlp())).isInstanceOf(NetworkPredictor.class)
			.isNotInstanceOf(Explainable.class)
			.isInstanceOf(DenseNetwork.class);
		assertThat(Predictor.kernel(kernel())).isInstanceOf(KernelPredictor.class)
			.isNotInstanceOf(Explainable.class)
			.isNotInstanceOf(DenseNetwork.class);
		assertThat(Predictor.network(softmax()).kind()).isEqualTo("network");
		assertThat(Predictor.network(mlp()).kind()).isEqualTo("network");
		assertThat(Predictor.kernel(kernel()).kind()).isEqualTo("kernel");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Predictor.network(new NetworkWeights(List.of(), null, OutputKind.IDENTITY)));
	}

	@Test
	void predictorsPredictAsTheirModels() {
		assertThat(Predictor.network(softmax()).predict(ROW, 3)).containsExactly(Network.predict(softmax(), ROW, 3));
		assertThat(Predictor.network(mlp()).predict(ROW, 0)).containsExactly(Network.predict(mlp(), ROW, 0));
		assertThat(Predictor.kernel(kernel()).predict(ROW, 2)).containsExactly(kernel().predictProba(ROW));
		double[][] rows = { ROW, { -1, 1, 0, 0 } };
		assertThat(Predictor.kernel(kernel()).predictBatch(rows, 2))
			.isDeepEqualTo(new double[][] { kernel().predictProba(rows[0]), kernel().predictProba(rows[1]) });
		assertThat(Predictor.network(mlp()).predictBatch(rows, 0)).isDeepEqualTo(Network.predictBatch(mlp(), rows, 0));
	}

	@Test
	void linearModelsExplainExactlyAsExplanations() {
		Explainable linear = (Explainable) Predictor.network(softmax());
		assertThat(linear.scoreOutputs()).isEqualTo(3);
		for (int output = 0; output < 3; output++) {
			assertThat(linear.explain(PREPROCESSING, ROW, output))
				.isEqualTo(Explanations.contributions(PREPROCESSING, softmax(), ROW, output));
		}
		List<String> labels = List.of("a", "b", "c");
		assertThat(((LinearCoefficients) linear).standardizedCoefficients(PREPROCESSING, labels))
			.isEqualTo(Explanations.standardizedCoefficients(PREPROCESSING, softmax(), labels));
		Explainable regression = (Explainable) Predictor
			.network(new NetworkWeights(List.of(new DenseLayer(4, 1, new double[] { 1, 2, 3, 4 }, new double[] { 9 })),
					null, OutputKind.IDENTITY));
		assertThat(regression.scoreOutputs()).isEqualTo(1);
		assertThat(regression.explain(PREPROCESSING, ROW, 0).score()).isEqualTo(9 + 0.5 + 3);
	}

	@Test
	void onnxExportRefusesKernelModelsWithTheSameMessage() {
		ModelArtifact svm = new ModelArtifact(Task.CLASSIFICATION, List.of("no", "yes"), PREPROCESSING,
				Predictor.kernel(kernel()));
		assertThatThrownBy(() -> OnnxExporter.export(svm, Double.NaN, "t", Map.of()))
			.isInstanceOf(OnnxExportNotSupportedException.class)
			.hasMessage("Kernel SVM models (algorithm svm) cannot be exported to ONNX yet: their one-vs-one votes "
					+ "and pairwise probability coupling have no ONNX form here.");
	}

}
