package io.fitserve.prediction;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link PredictionController}'s web layer: JSON rows to the service and its predictions
 * back with Server-Timing, CSV bodies routed to CSV scoring with their query parameters
 * parsed, the body size filter and strict JSON, and that predictor keys may predict.
 */
@WebMvcTest(controllers = PredictionController.class, properties = "fitserve.prediction.max-body-size=1KB")
class PredictionControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	@MockitoBean
	PredictionService predictions;

	@MockitoBean
	CsvScoring csv;

	@Test
	void jsonBodiesGoToTheStreamingReaderAndAreAnsweredWithServerTiming() throws Exception {
		String body = "{\"rows\": [{\"sepal_length\": 5.1, \"species_hint\": null}], \"threshold\": 0.3}";
		given(this.predictions.predictJson(eq(MODEL.toString()), any())).willReturn(new PredictionResponse(MODEL, List
			.of(new PredictionResponse.Prediction(null, "setosa", Map.of("setosa", 0.97, "virginica", 0.03), null)),
				List.of()));
		this.mvc.perform(jsonPrediction().content(body))
			.andExpect(status().isOk())
			.andExpect(header().string("Server-Timing", org.hamcrest.Matchers.startsWith("predict;dur=")))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()))
			.andExpect(jsonPath("$.predictions[0].label").value("setosa"))
			.andExpect(jsonPath("$.predictions[0].probabilities.setosa").value(0.97));
		ArgumentCaptor<byte[]> bytes = ArgumentCaptor.forClass(byte[].class);
		then(this.predictions).should().predictJson(eq(MODEL.toString()), bytes.capture());
		assertThat(new String(bytes.getValue(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
		then(this.predictions).should(never()).predict(any(), any());
	}

	/**
	 * Doubles are written as the shortest decimal that reads back as the same double:
	 * Java 17's Double.toString writes 2.82879384806159008E17 and 9.999999999999999E22
	 * for these two.
	 */
	@Test
	void doublesAreWrittenAsTheirShortestDecimal() throws Exception {
		given(this.predictions.predictJson(eq(MODEL.toString()), any())).willReturn(new PredictionResponse(MODEL,
				List.of(new PredictionResponse.Prediction(2.82879384806159E17, null, null, null),
						new PredictionResponse.Prediction(1.0E23, null, null, null)),
				List.of()));
		this.mvc.perform(jsonPrediction().content("{\"rows\": [{}, {}]}"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers
				.containsString("\"predictions\":[{\"value\":2.82879384806159E17},{\"value\":1.0E23}]")));
	}

	@Test
	void bodiesTheReaderRefusesAreBoundAsBefore() throws Exception {
		given(this.predictions.predictJson(any(), any())).willThrow(new PredictionJsonReader.Unsupported("refused"));
		given(this.predictions.predict(eq(MODEL.toString()), any())).willReturn(new PredictionResponse(MODEL, List
			.of(new PredictionResponse.Prediction(null, "setosa", Map.of("setosa", 0.97, "virginica", 0.03), null)),
				List.of()));
		this.mvc
			.perform(jsonPrediction()
				.content("{\"rows\": [{\"sepal_length\": 5.1, \"species_hint\": null}], \"threshold\": 0.3}"))
			.andExpect(status().isOk())
			.andExpect(header().string("Server-Timing", org.hamcrest.Matchers.startsWith("predict;dur=")))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()))
			.andExpect(jsonPath("$.predictions[0].label").value("setosa"))
			.andExpect(jsonPath("$.predictions[0].probabilities.setosa").value(0.97));
		ArgumentCaptor<PredictionRequest> request = ArgumentCaptor.forClass(PredictionRequest.class);
		then(this.predictions).should().predict(eq(MODEL.toString()), request.capture());
		assertThat(request.getValue().rows()).hasSize(1);
		assertThat(request.getValue().rows().get(0)).containsEntry("sepal_length", 5.1).containsKey("species_hint");
		assertThat(request.getValue().threshold()).isEqualTo(0.3);
	}

	@Test
	void aCsvBodyGoesToCsvScoringWithItsParameters() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/predictions?onError=skip&threshold=0.25").with(predictor())
				.contentType("text/csv")
				.content("sepal_length\n5.1\n"))
			.andExpect(status().isOk());
		then(this.csv).should().score(eq(MODEL.toString()), eq(CsvScoring.OnError.SKIP), eq(0.25), any(), any());
		then(this.predictions).should(never()).predict(any(), any());
		then(this.predictions).should(never()).predictJson(any(), any());
	}

	@Test
	void anUnknownOnErrorPolicyIsAValidationProblem() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/predictions?onError=ignore").with(predictor())
				.contentType("text/csv")
				.content("sepal_length\n5.1\n"))
			.andExpect(invalidField("onError"));
		then(this.csv).should(never()).score(any(), any(), any(), any(), any());
	}

	@Test
	void jsonPredictionsAreOnlyWrittenAsJson() throws Exception {
		// the JSON handler produces application/json alone: another Accept is refused at
		// the mapping, before the body is read (YAML and problem+json were once written
		// with the prediction in them)
		for (String accept : List.of("text/csv", "application/yaml", "application/problem+json", "text/html")) {
			this.mvc.perform(jsonPrediction().accept(accept).content("{\"rows\": [{\"x\": 1}]}"))
				.andExpect(problem(406, "not-acceptable"))
				.andExpect(jsonPath("$.detail").value("Acceptable representations: [application/json]."));
		}
		then(this.predictions).should(never()).predictJson(any(), any());
		given(this.predictions.predictJson(eq(MODEL.toString()), any())).willReturn(new PredictionResponse(MODEL,
				List.of(new PredictionResponse.Prediction(1.5, null, null, null)), List.of()));
		for (String accept : List.of("application/json", "*/*", "application/*")) {
			this.mvc.perform(jsonPrediction().accept(accept).content("{\"rows\": [{\"x\": 1}]}"))
				.andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.APPLICATION_JSON))
				.andExpect(jsonPath("$.predictions[0].value").value(1.5));
		}
	}

	@Test
	void aBodyOverTheLimitIs413BeforeTheService() throws Exception {
		this.mvc.perform(jsonPrediction().content("{\"rows\": [" + "{\"x\": 1},".repeat(200) + "{\"x\": 1}]}"))
			.andExpect(problem(413, "content-too-large"))
			.andExpect(header().string("Connection", "close"));
		then(this.predictions).should(never()).predict(any(), any());
	}

	@Test
	void jsonBodiesAreReadStrictly() throws Exception {
		given(this.predictions.predictJson(any(), any())).willThrow(new PredictionJsonReader.Unsupported("refused"));
		this.mvc.perform(jsonPrediction().content("")).andExpect(problem(400, "bad-request"));
		this.mvc.perform(jsonPrediction().content("null")).andExpect(problem(400, "bad-request"));
		this.mvc.perform(jsonPrediction().content("{\"rows\": [{\"x\": 1}"))
			.andExpect(problem(400, "bad-request"))
			.andExpect(
					jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("The request body is not valid JSON")));
		this.mvc.perform(jsonPrediction().content("{\"row\": [{\"x\": 1}]}")).andExpect(invalidField("row"));
		this.mvc.perform(jsonPrediction().content("{\"rows\": 5}")).andExpect(invalidField("rows"));
		then(this.predictions).should(never()).predict(any(), any());
	}

	@Test
	void everyRoleMayPredictButNotAnonymously() throws Exception {
		given(this.predictions.predictJson(any(), any()))
			.willReturn(new PredictionResponse(MODEL, List.of(), List.of()));
		for (var key : List.of(admin(), trainer(), predictor())) {
			this.mvc
				.perform(post("/api/v1/models/" + MODEL + "/predictions").with(key)
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"rows\": []}"))
				.andExpect(status().isOk());
		}
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/predictions").contentType(MediaType.APPLICATION_JSON)
				.content("{\"rows\": []}"))
			.andExpect(unauthorized());
	}

	/** A JSON prediction request for MODEL, as the predictor key sends it. */
	private static MockHttpServletRequestBuilder jsonPrediction() {
		return post("/api/v1/models/" + MODEL + "/predictions").with(predictor())
			.contentType(MediaType.APPLICATION_JSON);
	}

}
