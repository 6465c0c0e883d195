package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.preprocess.Encoding;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.trees.FeatureKinds;
import io.fitserve.ml.trees.GradientBoostingParams;
import io.fitserve.ml.trees.GradientBoostingTrainer;
import io.fitserve.ml.trees.RandomForestParams;
import io.fitserve.ml.trees.RandomForestTrainer;
import io.fitserve.ml.trees.TreeDataset;
import io.fitserve.ml.trees.TreeEnsemble;
import io.fitserve.ml.trees.TreeLoss;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tree models in artifacts: the ordinal preprocessing, the codec's "trees" layout and the
 * TreeSHAP explanation.
 */
class TreePredictorTest {

	private static final int N = 200;

	private static List<ColumnData> columns() {
		Random random = new Random(3);
		double[] x = new double[N];
		int[] codes = new int[N];
		for (int i = 0; i < N; i++) {
			x[i] = (i % 17 == 0) ? Double.NaN : random.nextGaussian();
			codes[i] = (i % 23 == 0) ? -1 : random.nextInt(3);
		}
		return List.of(new ColumnData("x", ColumnType.NUMERIC, x, null, null),
				new ColumnData("color", ColumnType.CATEGORICAL, null, codes, List.of("red", "blue", "green")));
	}

	private static int[] all() {
		int[] rows = new int[N];
		for (int i = 0; i < N; i++) {
			rows[i] = i;
		}
		return rows;
	}

	@Test
	void ordinalPreprocessingKeepsNumbersAndCodesCategoriesByTheirSortedIndex() {
		List<ColumnData> columns = columns();
		Preprocessing p = Preprocessing.fit(columns, all(), Encoding.ORDINAL);
		assertThat(p.outputWidth()).isEqualTo(2);
		assertThat(p.outputNames()).containsExactly("x", "color");
		double[][] x = p.transform(columns, new int[] { 0, 1, 23 });
		assertThat(x[0][0]).isNaN(); // row 0: x missing
		assertThat(x[1][0]).isEqualTo(columns.get(0).values()[1]);
		assertThat(x[2][1]).isNaN(); // row 23: color missing
		// sorted categories: blue, green, red
		assertThat(p.transformRow(new Object[] { 1.5, "red" })).containsExactly(1.5, 2.0);
		assertThat(p.transformRow(new Object[] { null, "purple" })).satisfies((row) -> {
			assertThat(row[0]).isNaN();
			assertThat(row[1]).isNaN();
		});
		// standard preprocessing is unchanged
		assertThat(Preprocessing.fit(columns, all()).encoding()).isEqualTo(Encoding.STANDARD);
		assertThat(new Preprocessing(p.features(), null).encoding()).isEqualTo(Encoding.STANDARD);
	}

	private static ModelArtifact artifact(boolean boosting, Task task) {
		List<ColumnData> columns = columns();
		Preprocessing p = Preprocessing.fit(columns, all(), Encoding.ORDINAL);
		double[][] rows = p.transform(columns, all());
		double[] y = new double[N];
		for (int i = 0; i < N; i++) {
			double x = Double.isNaN(rows[i][0]) ? 0 : rows[i][0];
			double c = Double.isNaN(rows[i][1]) ? 1 : rows[i][1];
			y[i] = (task == Task.CLASSIFICATION) ? ((x + c > 1) ? 1 : 0) : 3 * x - 2 * c;
		}
		FeatureKinds kinds = new FeatureKinds(new boolean[] { false, true }, new int[] { 0, 3 });
		TreeDataset data = new TreeDataset(TreeDataset.toColumns(rows), y);
		int classes = (task == Task.CLASSIFICATION) ? 2 : 0;
		TreeEnsemble model = boosting
				? GradientBoostingTrainer.fit(GradientBoostingParams
					.defaults(task == Task.CLASSIFICATION ? TreeLoss.LOG_LOSS : TreeLoss.SQUARED_ERROR)
					.withNEstimators(20), kinds, data, null, classes, null)
				: RandomForestTrainer.fit(RandomForestParams.classifierDefaults().withNEstimators(10), kinds, data,
						classes, null);
		List<String> labels = (task == Task.CLASSIFICATION) ? List.of("no", "yes") : List.of();
		return new ModelArtifact(task, labels, p, Predictor.trees(model));
	}

	@Test
	void treeArtifactsRoundTripAndPredictTheSame() {
		for (boolean boosting : new boolean[] { true, false }) {
			for (Task task : Task.values()) {
				ModelArtifact artifact = artifact(boosting, task);
				ModelArtifact back = ModelArtifactCodec.decode(ModelArtifactCodec.encode(artifact));
				assertThat(back.predictor()).isInstanceOf(TreePredictor.class).isInstanceOf(Explainable.class);
				assertThat(back.predictor()).isNotInstanceOf(LinearCoefficients.class);
				assertThat(back.preprocessing()).isEqualTo(artifact.preprocessing());
				double[][] x = artifact.preprocessing().transform(columns(), all());
				assertThat(back.predictBatch(x)).isDeepEqualTo(artifact.predictBatch(x));
			}
		}
	}

	/**
	 * Tree models explain exactly and are not given a background, but the format holds
	 * one for any kind of model (version 5): ordinal rows, NaN for missing, after the
	 * header.
	 */
	@Test
	void treeArtifactsCanCarryABackground() {
		ModelArtifact artifact = artifact(false, Task.CLASSIFICATION);
		double[][] background = artifact.preprocessing().transform(columns(), new int[] { 0, 5, 23 });
		assertThat(background[0][0]).isNaN();
		assertThat(background[2][1]).isNaN();
		byte[] bytes = ModelArtifactCodec.encode(artifact.withBackground(background));
		assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(5);
		ModelArtifact back = ModelArtifactCodec.decode(bytes);
		// bit for bit, NaN included
		assertThat(java.util.Arrays.deepEquals(back.background(), background)).isTrue();
		assertThat(ModelArtifactCodec.encode(back)).isEqualTo(bytes);
		byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 8);
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(cut))
			.withMessage("corrupt model artifact: truncated");
	}

	@Test
	void corruptTreeArtifactsAreRefused() {
		byte[] bytes = ModelArtifactCodec.encode(artifact(true, Task.REGRESSION));
		bytes[bytes.length - 1] ^= 1;
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec.decode(bytes))
			.withMessageContaining("checksum");
		ModelArtifact trees = artifact(true, Task.REGRESSION);
		Preprocessing standard = new Preprocessing(trees.preprocessing().features());
		assertThatIllegalArgumentException().isThrownBy(() -> ModelArtifactCodec
			.encode(new ModelArtifact(Task.REGRESSION, List.of(), standard, trees.predictor())));
	}

	@Test
	void explanationsAddUpToTheRawScore() {
		for (boolean boosting : new boolean[] { true, false }) {
			// the tasks trees learn (clustering is kmeans' alone)
			for (Task task : new Task[] { Task.REGRESSION, Task.CLASSIFICATION }) {
				ModelArtifact artifact = artifact(boosting, task);
				TreePredictor predictor = (TreePredictor) artifact.predictor();
				double[] x = artifact.preprocessing().transformRow(new Object[] { 0.7, null });
				for (int output = 0; output < predictor.scoreOutputs(); output++) {
					Explanations.RowExplanation e = predictor.explain(artifact.preprocessing(), x, output);
					double sum = e.intercept();
					for (Explanations.Contribution c : e.contributions()) {
						sum += c.value();
					}
					assertThat(e.contributions()).extracting(Explanations.Contribution::feature)
						.containsExactly("x", "color");
					assertThat(sum).isCloseTo(predictor.model().rawScores(x)[output], within(1e-9));
				}
				assertThat(predictor.scoreSpace(task))
					.isEqualTo(task == Task.REGRESSION ? "value" : boosting ? "log_odds" : "probability");
			}
		}
	}

}
