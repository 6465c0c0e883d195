package io.fitserve.protocols;

import java.util.List;

import io.fitserve.WebSliceTest;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link KServeController}'s web layer: the Open Inference Protocol V2 paths, open health
 * probes that follow the application's availability, inference requests passed through
 * and answered as the protocol says, and errors in the protocol's {"error": "..."} shape
 * (KServeErrors and the security handlers) instead of problem details.
 */
@WebMvcTest(KServeController.class)
class KServeControllerTest extends WebSliceTest {

	@MockitoBean
	KServeService kserve;

	@MockitoBean
	ApplicationAvailability availability;

	@Test
	void healthProbesAreOpenAndFollowTheApplicationsState() throws Exception {
		given(this.availability.getLivenessState()).willReturn(LivenessState.CORRECT);
		given(this.availability.getReadinessState()).willReturn(ReadinessState.ACCEPTING_TRAFFIC);
		this.mvc.perform(get("/v2/health/live")).andExpect(status().isOk()).andExpect(jsonPath("$.live").value(true));
		this.mvc.perform(get("/v2/health/ready")).andExpect(status().isOk()).andExpect(jsonPath("$.ready").value(true));
		given(this.availability.getReadinessState()).willReturn(ReadinessState.REFUSING_TRAFFIC);
		this.mvc.perform(get("/v2/health/ready"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.ready").value(false));
	}

	@Test
	void metadataAndModelReadiness() throws Exception {
		given(this.kserve.metadata("iris", null))
			.willReturn(new KServeTypes.ModelMetadata("iris", List.of("1", "2"), "fitserve",
					List.of(new KServeTypes.MetadataTensor("sepal_length", "FP64", List.of(-1, 1), null)), List.of()));
		given(this.kserve.ready("iris", "2")).willReturn("iris");
		this.mvc.perform(get("/v2/models/iris").with(predictor()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("iris"))
			.andExpect(jsonPath("$.versions[1]").value("2"))
			.andExpect(jsonPath("$.inputs[0].datatype").value("FP64"));
		this.mvc.perform(get("/v2/models/iris/versions/2/ready").with(predictor()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("iris"))
			.andExpect(jsonPath("$.ready").value(true));
	}

	@Test
	void anInferenceRequestIsPassedThroughAndAnswered() throws Exception {
		given(this.kserve.infer(eq("iris"), eq("1"), any())).willReturn(new KServeTypes.InferenceResponse("iris", "1",
				"42", null, List.of(new KServeTypes.ResponseOutput("label", List.of(1), "BYTES", List.of("setosa")))));
		this.mvc
			.perform(post("/v2/models/iris/versions/1/infer").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"id\": \"42\", \"inputs\": [{\"name\": \"sepal_length\", \"shape\": [1], "
						+ "\"datatype\": \"FP64\", \"data\": [5.1]}]}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.model_name").value("iris"))
			.andExpect(jsonPath("$.model_version").value("1"))
			.andExpect(jsonPath("$.id").value("42"))
			.andExpect(jsonPath("$.outputs[0].data[0]").value("setosa"));
		ArgumentCaptor<KServeTypes.InferenceRequest> request = ArgumentCaptor
			.forClass(KServeTypes.InferenceRequest.class);
		then(this.kserve).should().infer(eq("iris"), eq("1"), request.capture());
		assertThat(request.getValue().inputs()).singleElement()
			.satisfies(input -> assertThat(input.shape()).containsExactly(1L));
	}

	@Test
	void errorsUseTheProtocolsShapeNotProblemDetails() throws Exception {
		given(this.kserve.infer(eq("iris"), eq(null), any())).willThrow(DomainException.unprocessable(
				"The rows cannot be scored.", List.of(FieldError.field("inputs", "no input 'petal_width'"))));
		this.mvc
			.perform(post("/v2/models/iris/infer").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"inputs\": []}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.startsWith("The rows cannot be scored.")))
			.andExpect(jsonPath("$.type").doesNotExist());
		this.mvc
			.perform(post("/v2/models/iris/infer").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"inputs\": "))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").isNotEmpty());
	}

	@Test
	void withoutAKeyTheProtocolsErrorShapeToo() throws Exception {
		this.mvc.perform(get("/v2/models/iris"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("Send an API key as 'Authorization: Bearer <key>'."))
			.andExpect(jsonPath("$.type").doesNotExist());
		then(this.kserve).should(never()).metadata(any(), any());
	}

}
