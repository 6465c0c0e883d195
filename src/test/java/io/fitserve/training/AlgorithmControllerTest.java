package io.fitserve.training;

import io.fitserve.WebSliceTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link AlgorithmController}'s web layer: the catalogue as JSON, trainer and admin only.
 */
@WebMvcTest(AlgorithmController.class)
class AlgorithmControllerTest extends WebSliceTest {

	@Test
	void listsEveryAlgorithmWithItsTasksAndHyperparameters() throws Exception {
		this.mvc.perform(get("/api/v1/algorithms").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("linear_regression",
					"logistic_regression", "linear_svm", "svm", "mlp", "gradient_boosting", "random_forest", "kmeans")))
			.andExpect(jsonPath("$[4].tasks").value(org.hamcrest.Matchers.contains("classification", "regression")))
			.andExpect(jsonPath("$[4].hyperparameters[?(@.name == 'hiddenLayers')].default")
				.value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.contains(100))));
	}

	@Test
	void predictorKeysAndAnonymousCallersAreRefused() throws Exception {
		this.mvc.perform(get("/api/v1/algorithms").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/algorithms")).andExpect(unauthorized());
		this.mvc.perform(get("/api/v1/algorithms").with(admin())).andExpect(status().isOk());
	}

}
