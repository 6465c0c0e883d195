package io.fitserve.protocols;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.registry.RegistryService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link MlflowController}'s web layer: MLflow's /invocations with a JSON or CSV body
 * (the body's bytes and its kind passed to the service), the predictions and the version
 * that answered, the prediction body limit as a 413 problem, predictor keys allowed.
 */
@WebMvcTest(controllers = MlflowController.class, properties = "fitserve.prediction.max-body-size=1KB")
class MlflowControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	@MockitoBean
	MlflowService mlflow;

	@Test
	void aJsonBodyIsScoredAndAnsweredWithTheVersion() throws Exception {
		String body = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0]]}}";
		given(this.mlflow.invoke("iris", body.getBytes(StandardCharsets.UTF_8), false))
			.willReturn(new MlflowService.Scored(new RegistryService.Resolved("iris", 3, MODEL), List.of("setosa")));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/invocations").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isOk())
			.andExpect(header().string("Fitserve-Model-Version", "3"))
			.andExpect(header().exists("Server-Timing"))
			.andExpect(jsonPath("$.predictions[0]").value("setosa"));
	}

	@Test
	void aCsvBodyIsScoredAsCsv() throws Exception {
		given(this.mlflow.invoke(eq("iris"), any(), eq(true)))
			.willReturn(new MlflowService.Scored(new RegistryService.Resolved("iris", 1, MODEL), List.of(1.5)));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/invocations").with(trainer())
				.contentType("text/csv")
				.content("x\n1.0\n"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.predictions[0]").value(1.5));
	}

	@Test
	void aBodyOverTheLimitIsA413Problem() throws Exception {
		this.mvc
			.perform(post("/api/v1/registered-models/iris/invocations").with(predictor())
				.contentType("text/csv")
				.content("x\n" + "1.0\n".repeat(400)))
			.andExpect(problem(413, "content-too-large"));
		then(this.mlflow).should(never()).invoke(any(), any(), anyBoolean());
	}

	@Test
	void otherMediaTypesAndAnonymousCallersAreRefused() throws Exception {
		this.mvc
			.perform(post("/api/v1/registered-models/iris/invocations").with(predictor())
				.contentType(MediaType.TEXT_PLAIN)
				.content("x"))
			.andExpect(problem(415, "unsupported-media-type"));
		this.mvc
			.perform(post("/api/v1/registered-models/iris/invocations").contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
			.andExpect(unauthorized());
		then(this.mlflow).should(never()).invoke(any(), any(), anyBoolean());
	}

}
