package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** k-means models in artifacts: the answer, the codec's "kmeans" layout. */
class KMeansPredictorTest {

	private static final double[][] CENTROIDS = { { 0, 0, 1, 0 }, { 3, 4, 0, 1 } };

	/** x (mean 2, population sd 1) and a two-level category: 1 + 2 one-hot columns. */
	private static ModelArtifact artifact() {
		List<ColumnData> columns = List.of(new ColumnData("x", ColumnType.NUMERIC, new double[] { 1, 3 }, null, null),
				new ColumnData("y", ColumnType.NUMERIC, new double[] { 0, 2 }, null, null),
				new ColumnData("color", ColumnType.CATEGORICAL, null, new int[] { 0, 1 }, List.of("blue", "red")));
		Preprocessing p = Preprocessing.fit(columns, new int[] { 0, 1 });
		return new ModelArtifact(Task.CLUSTERING, List.of(), p,
				new KMeansPredictor(new double[][] { { 0, 0, 1, 0 }, { 3, 4, 0, 1 } }));
	}

	@Test
	void answersTheClosestCentroidAndTheEuclideanDistanceToIt() {
		KMeansPredictor predictor = new KMeansPredictor(CENTROIDS);
		// x = (3, 0, 0, 1): squared distance to centroid 0 is 9 + 0 + 1 + 1 = 11, to
		// centroid 1 0 + 16 + 0 + 0 = 16
		assertThat(predictor.predict(new double[] { 3, 0, 0, 1 }, 0)[0]).isEqualTo(0.0);
		assertThat(predictor.predict(new double[] { 3, 0, 0, 1 }, 0)[1]).isCloseTo(Math.sqrt(11), within(1e-15));
		// (3, 3, 0, 1): 9 + 9 + 1 + 1 = 20 to centroid 0, 0 + 1 + 0 + 0 = 1 to centroid 1
		assertThat(predictor.predict(new double[] { 3, 3, 0, 1 }, 0)).containsExactly(1.0, 1.0);
		// equidistant (squared 2.25 + 4 + 0.25 + 0.25 each): the lower index
		assertThat(predictor.predict(new double[] { 1.5, 2, 0.5, 0.5 }, 0)[0]).isEqualTo(0.0);
	}

	@Test
	void roundTripsThroughTheCodecByteIdentically() {
		ModelArtifact artifact = artifact();
		byte[] bytes = ModelArtifactCodec.encode(artifact);
		ModelArtifact back = ModelArtifactCodec.decode(bytes);
		assertThat(back.task()).isEqualTo(Task.CLUSTERING);
		assertThat(((KMeansPredictor) back.predictor()).centroids()).isDeepEqualTo(CENTROIDS);
		assertThat(ModelArtifactCodec.encode(back)).isEqualTo(bytes);
		// version 4: no background
		assertThat(Arrays.copyOfRange(bytes, 4, 8)).containsExactly(0, 0, 0, 4);
	}

	@Test
	void refusesAnotherTaskOrRaggedCentroids() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new KMeansPredictor(CENTROIDS).checkFits(Task.CLASSIFICATION, List.of("a", "b")));
		assertThatIllegalArgumentException().isThrownBy(() -> new KMeansPredictor(new double[][] { { 1, 2 }, { 3 } }));
	}

}
