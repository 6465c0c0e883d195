package io.fitserve.ml.trees;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The models are plain records of arrays, lists and enums: Jackson (the service's JSON
 * library) writes and reads them back without annotations, and the read model predicts
 * the same.
 */
class TreeEnsembleJsonTest {

	@Test
	void modelsRoundTripThroughJacksonAndPredictTheSame() {
		JsonMapper mapper = JsonMapper.builder().build();
		TreeDataset d = TreeTestData.classification(600, 4, 3, true, true, 31);
		FeatureKinds kinds = TreeTestData.kinds(d, true);
		TreeEnsemble gbm = GradientBoostingTrainer
			.fit(GradientBoostingParams.defaults(TreeLoss.LOG_LOSS).withNEstimators(10), kinds, d, null, 3, null);
		TreeEnsemble rf = RandomForestTrainer.fit(RandomForestParams.classifierDefaults().withNEstimators(5), kinds, d,
				3, null);
		for (TreeEnsemble m : new TreeEnsemble[] { gbm, rf }) {
			String json = mapper.writeValueAsString(m);
			TreeEnsemble back = mapper.readValue(json, TreeEnsemble.class);
			TreeAssertions.assertSameModel(m, back);
			for (int r = 0; r < 50; r++) {
				double[] x = TreeTestData.row(d, r);
				assertThat(back.predict(x)).containsExactly(m.predict(x));
			}
			assertThat(mapper.readValue(mapper.writeValueAsString(kinds), FeatureKinds.class)).isEqualTo(kinds);
		}
	}

}
