package io.fitserve.models;

import java.util.List;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.errors.DomainException;
import io.fitserve.ml.eval.GroupFairness;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link FairnessController}'s web layer: the stored report mapped to its response (201
 * with Location), the datasetId checked before the service runs, a domain refusal as its
 * problem, and which roles may measure and read.
 */
@WebMvcTest(FairnessController.class)
class FairnessControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	static final UUID DATASET = UUID.fromString("3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f");

	@MockitoBean
	FairnessService fairness;

	static ModelFairness report() {
		GroupFairness.GroupRates a = new GroupFairness.GroupRates("A", 4, 0.75, 0.5, 1.0, null, null);
		GroupFairness.GroupRates all = new GroupFairness.GroupRates("(overall)", 4, 0.75, 0.5, 1.0, null, null);
		GroupFairness.Disparity d = new GroupFairness.Disparity("true", 0.0, 1.0, 0.0, 0.0, null);
		return ModelFairness.of(MODEL, DATASET, "holdout", "abc", "sex", "true", 0.5, 4, 1,
				new FairnessFigures("binary", List.of("false", "true"), all, List.of(a), d, null),
				List.of("1 row(s) without a target value were skipped"));
	}

	@Test
	void aReportAnswers201WithItsLocation() throws Exception {
		ModelFairness report = report();
		given(this.fairness.report(any(), any())).willReturn(report);
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/fairness").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"sensitiveFeature\": \"sex\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/models/" + MODEL + "/fairness/" + report.getId()))
			.andExpect(jsonPath("$.sensitiveFeature").value("sex"))
			.andExpect(jsonPath("$.classification").value("binary"))
			.andExpect(jsonPath("$.positiveLabel").value("true"))
			.andExpect(jsonPath("$.threshold").value(0.5))
			.andExpect(jsonPath("$.rows").value(4))
			.andExpect(jsonPath("$.rowsSkipped").value(1))
			.andExpect(jsonPath("$.groups[0].group").value("A"))
			.andExpect(jsonPath("$.groups[0].truePositiveRate").value(1.0))
			.andExpect(jsonPath("$.disparity.demographicParityRatio").value(1.0));
	}

	@Test
	void aReportNeedsADatasetUuid() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/fairness").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"holdout\", \"sensitiveFeature\": \"sex\"}"))
			.andExpect(invalidField("datasetId"));
		then(this.fairness).should(never()).report(any(), any());
	}

	@Test
	void anUnknownReportIsAProblem() throws Exception {
		given(this.fairness.get(any(), any())).willThrow(DomainException.notFound("Fairness report", "x"));
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/fairness/x").with(trainer()))
			.andExpect(problem(404, "not-found"));
	}

	@Test
	void predictorKeysNeitherMeasureNorRead() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/fairness").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"sensitiveFeature\": \"sex\"}"))
			.andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/fairness").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/fairness")).andExpect(unauthorized());
		then(this.fairness).shouldHaveNoInteractions();
	}

}
