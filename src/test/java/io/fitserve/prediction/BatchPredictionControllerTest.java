package io.fitserve.prediction;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.training.JobStatus;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link BatchPredictionController}'s web layer: 202 with Location and the job's links,
 * listing with a status filter, 200/202 on cancel, the result CSV as an attachment,
 * delete, and that batch scoring is a trainer's (not a predictor's).
 */
@WebMvcTest(BatchPredictionController.class)
class BatchPredictionControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	static final UUID DATASET = UUID.fromString("3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f");

	@MockitoBean
	BatchPredictionService jobs;

	@MockitoBean
	BatchPredictionEvents events;

	static BatchPredictionJob queued() {
		return BatchPredictionJob.queued(MODEL, DATASET, 150, CsvScoring.OnError.SKIP, null, false, null);
	}

	@Test
	void startAnswers202WithLocationAndLinks() throws Exception {
		BatchPredictionJob job = queued();
		given(this.jobs.submit(eq(MODEL.toString()), any())).willReturn(job);
		String self = "/api/v1/batch-predictions/" + job.getId();
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/batch-predictions").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"onError\": \"skip\", \"saveAsDataset\": true}"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", self))
			.andExpect(jsonPath("$.id").value(job.getId().toString()))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()))
			.andExpect(jsonPath("$.status").value("queued"))
			.andExpect(jsonPath("$.rowsTotal").value(150))
			.andExpect(jsonPath("$.progress").value(0.0))
			.andExpect(jsonPath("$.links.self").value(self))
			.andExpect(jsonPath("$.links.events").value(self + "/events"))
			.andExpect(jsonPath("$.links.result").doesNotExist());
		ArgumentCaptor<BatchPredictionRequest> request = ArgumentCaptor.forClass(BatchPredictionRequest.class);
		then(this.jobs).should().submit(eq(MODEL.toString()), request.capture());
		assertThat(request.getValue().saveAsDataset()).isTrue();
		assertThat(request.getValue().onError()).isEqualTo("skip");
	}

	@Test
	void listGetAndCancel() throws Exception {
		BatchPredictionJob job = queued();
		given(this.jobs.list(eq(JobStatus.QUEUED), any(Pageable.class))).willReturn(new PageImpl<>(List.of(job)));
		this.mvc.perform(get("/api/v1/batch-predictions?status=queued").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(job.getId().toString()));
		this.mvc.perform(get("/api/v1/batch-predictions?status=finished").with(trainer()))
			.andExpect(invalidField("status"));

		given(this.jobs.get("b1")).willReturn(job);
		this.mvc.perform(get("/api/v1/batch-predictions/b1").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.datasetId").value(DATASET.toString()));

		BatchPredictionJob running = queued();
		running.start("worker-1");
		given(this.jobs.cancel("r")).willReturn(running);
		this.mvc.perform(post("/api/v1/batch-predictions/r/cancel").with(trainer()))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.status").value("running"));
		BatchPredictionJob cancelled = queued();
		cancelled.requestCancel();
		given(this.jobs.cancel("c")).willReturn(cancelled);
		this.mvc.perform(post("/api/v1/batch-predictions/c/cancel").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("cancelled"));
	}

	@Test
	void theResultIsACsvAttachment() throws Exception {
		BatchPredictionJob job = queued();
		given(this.jobs.get("b1")).willReturn(job);
		given(this.jobs.result(job))
			.willReturn(new ByteArrayInputStream("row,label\n1,setosa\n".getBytes(StandardCharsets.UTF_8)));
		this.mvc.perform(get("/api/v1/batch-predictions/b1/result").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andExpect(header().string("Content-Disposition",
					"attachment; filename=\"batch-prediction-" + job.getId() + ".csv\""))
			.andExpect(content().string("row,label\n1,setosa\n"));
	}

	@Test
	void deleteAnswers204() throws Exception {
		this.mvc.perform(delete("/api/v1/batch-predictions/b1").with(trainer())).andExpect(status().isNoContent());
		then(this.jobs).should().delete("b1");
	}

	@Test
	void predictorKeysCannotRunBatchesAndAnonymousCallersAreRefused() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/batch-predictions").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\"}"))
			.andExpect(forbidden());
		this.mvc.perform(get("/api/v1/batch-predictions")).andExpect(unauthorized());
		then(this.jobs).should(never()).submit(any(), any());
	}

}
