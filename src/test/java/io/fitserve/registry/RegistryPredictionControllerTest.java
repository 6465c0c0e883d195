package io.fitserve.registry;

import java.util.List;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.prediction.PredictionResponse;
import io.fitserve.prediction.PredictionService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link RegistryPredictionController}'s web layer: an alias or version resolved to its
 * model, the prediction of that model answered with the version that answered
 * (Fitserve-Model-Version) and Server-Timing; predictor keys may call it.
 */
@WebMvcTest(RegistryPredictionController.class)
class RegistryPredictionControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	@MockitoBean
	RegistryService registry;

	@MockitoBean
	PredictionService predictions;

	@Test
	void anAliasAnswersWithTheVersionItPointsTo() throws Exception {
		given(this.registry.resolveAlias("iris", "champion"))
			.willReturn(new RegistryService.Resolved("iris", 4, MODEL));
		given(this.predictions.predict(eq(MODEL.toString()), any())).willReturn(new PredictionResponse(MODEL,
				List.of(new PredictionResponse.Prediction(null, "setosa", null, null)), List.of()));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/aliases/champion/predictions").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"rows\": [{\"sepal_length\": 5.1}]}"))
			.andExpect(status().isOk())
			.andExpect(header().string("Fitserve-Model-Version", "4"))
			.andExpect(header().string("Server-Timing", org.hamcrest.Matchers.startsWith("predict;dur=")))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()))
			.andExpect(jsonPath("$.predictions[0].label").value("setosa"));
	}

	@Test
	void aVersionAnswersWithItsModel() throws Exception {
		given(this.registry.resolveVersion("iris", "2")).willReturn(new RegistryService.Resolved("iris", 2, MODEL));
		given(this.predictions.predict(eq(MODEL.toString()), any()))
			.willReturn(new PredictionResponse(MODEL, List.of(), List.of()));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/versions/2/predictions").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"rows\": []}"))
			.andExpect(status().isOk())
			.andExpect(header().string("Fitserve-Model-Version", "2"));
	}

	@Test
	void strictBodiesAndNoAnonymousCallers() throws Exception {
		this.mvc
			.perform(post("/api/v1/registered-models/iris/aliases/champion/predictions").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"rows\": [], \"explian\": true}"))
			.andExpect(invalidField("explian"));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/aliases/champion/predictions")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"rows\": []}"))
			.andExpect(unauthorized());
		then(this.predictions).should(never()).predict(any(), any());
	}

}
