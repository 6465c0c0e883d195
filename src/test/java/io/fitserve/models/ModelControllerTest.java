package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.errors.DomainException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link ModelController}'s web layer: the model mapped to its summary and full response,
 * evaluations (201 with Location, datasetId checked first), the ONNX download's headers,
 * delete, and which roles may read, export or change models.
 */
@WebMvcTest(ModelController.class)
class ModelControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	static final UUID DATASET = UUID.fromString("3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f");

	@MockitoBean
	ModelService models;

	@MockitoBean
	EvaluationService evaluations;

	@MockitoBean
	ModelExportService exports;

	static TrainedModel model() {
		TrainedModel model = mock(TrainedModel.class);
		given(model.getId()).willReturn(MODEL);
		given(model.getDatasetId()).willReturn(DATASET);
		given(model.getAlgorithm()).willReturn("logistic_regression");
		given(model.getTask()).willReturn("classification");
		given(model.getTarget()).willReturn("species");
		given(model.getClassLabels()).willReturn(List.of("setosa", "versicolor"));
		given(model.getMetrics()).willReturn(Map.of("test", Map.of("accuracy", 0.96)));
		given(model.getArtifactSize()).willReturn(1234L);
		given(model.getCreatedAt()).willReturn(Instant.parse("2026-12-01T08:00:00Z"));
		given(model.getImportanceStatus()).willReturn(ImportanceStatus.PENDING);
		return model;
	}

	@Test
	void listAndGetMapTheModel() throws Exception {
		TrainedModel model = model();
		given(this.models.list(any(Pageable.class))).willReturn(new PageImpl<>(List.of(model)));
		given(this.models.get(MODEL.toString())).willReturn(model);
		this.mvc.perform(get("/api/v1/models").with(predictor()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(MODEL.toString()))
			.andExpect(jsonPath("$.items[0].algorithm").value("logistic_regression"))
			.andExpect(jsonPath("$.items[0].target").value("species"))
			.andExpect(jsonPath("$.items[0].metrics").doesNotExist());
		this.mvc.perform(get("/api/v1/models/" + MODEL).with(predictor()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.datasetId").value(DATASET.toString()))
			.andExpect(jsonPath("$.classLabels[1]").value("versicolor"))
			.andExpect(jsonPath("$.metrics.test.accuracy").value(0.96))
			.andExpect(jsonPath("$.artifactSize").value(1234))
			.andExpect(jsonPath("$.createdAt").value("2026-12-01T08:00:00Z"))
			.andExpect(jsonPath("$.importanceStatus").value("pending"));
	}

	@Test
	void anEvaluationAnswers201WithItsLocation() throws Exception {
		ModelEvaluation evaluation = ModelEvaluation.of(MODEL, DATASET, "holdout", "abc", 40, 2,
				Map.of("accuracy", 0.9), List.of("2 rows skipped"));
		given(this.evaluations.evaluate(any(), any())).willReturn(evaluation);
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/evaluations").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/models/" + MODEL + "/evaluations/" + evaluation.getId()))
			.andExpect(jsonPath("$.datasetName").value("holdout"))
			.andExpect(jsonPath("$.rows").value(40))
			.andExpect(jsonPath("$.rowsSkipped").value(2))
			.andExpect(jsonPath("$.metrics.accuracy").value(0.9))
			.andExpect(jsonPath("$.warnings[0]").value("2 rows skipped"));
	}

	@Test
	void anEvaluationNeedsADatasetUuid() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/evaluations").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"holdout\"}"))
			.andExpect(invalidField("datasetId"));
		then(this.evaluations).should(never()).evaluate(any(), any());
	}

	@Test
	void theExportIsAnAttachmentOfBytes() throws Exception {
		given(this.exports.export(MODEL.toString(), "onnx", null))
			.willReturn(new ModelExportService.ExportedModel("model-" + MODEL + ".onnx", new byte[] { 8, 1, 2 }));
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/export").with(predictor()))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_OCTET_STREAM))
			.andExpect(header().string("Content-Disposition", "attachment; filename=\"model-" + MODEL + ".onnx\""))
			.andExpect(content().bytes(new byte[] { 8, 1, 2 }));
	}

	@Test
	void anExportFailureIsAProblemNotAFile() throws Exception {
		given(this.exports.export(MODEL.toString(), "pmml", null))
			.willThrow(new DomainException(DomainException.Kind.INVALID, "export-not-supported", "Export not supported",
					"Only format=onnx is supported.", null, null));
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/export?format=pmml").with(predictor()))
			.andExpect(problem(400, "export-not-supported"))
			.andExpect(jsonPath("$.detail").value("Only format=onnx is supported."));
	}

	@Test
	void deleteAnswers204() throws Exception {
		this.mvc.perform(delete("/api/v1/models/" + MODEL).with(trainer())).andExpect(status().isNoContent());
		then(this.models).should().delete(MODEL.toString());
	}

	@Test
	void predictorKeysReadAndExportButDoNotChangeModels() throws Exception {
		this.mvc.perform(delete("/api/v1/models/" + MODEL).with(predictor())).andExpect(forbidden());
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/evaluations").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\"}"))
			.andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/evaluations").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models")).andExpect(unauthorized());
		then(this.models).should(never()).delete(any());
	}

}
