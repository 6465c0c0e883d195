package io.fitserve.training;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.datasets.TestDatasets;
import io.fitserve.errors.DomainException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
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
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link TrainingJobController}'s web layer: 202 with Location on submit, the job mapped
 * to its response, 200/202 on cancel, request checks before the service, paging and
 * status filters, roles.
 */
@WebMvcTest(TrainingJobController.class)
class TrainingJobControllerTest extends WebSliceTest {

	static final TestDatasets.Loaded DATA = TestDatasets.fromCsv("a,b,label\n1,2,x\n2,3,y\n3,1,x\n4,4,y\n");

	static final String DATASET = "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f";

	@MockitoBean
	TrainingJobService jobs;

	@MockitoBean
	JobEventStreams events;

	static TrainingJob queuedJob() {
		TrainingSpec spec = SpecResolver.resolve(new TrainingJobRequest(DATASET, "label", null, null,
				"logistic_regression", null, null, null, null, null, null), DATA.dataset(), DATA.frame());
		return TrainingJob.queued(spec);
	}

	@Test
	void submitAnswers202WithTheJobsLocationAndItsResolvedSpec() throws Exception {
		TrainingJob job = queuedJob();
		given(this.jobs.submit(any())).willReturn(job);
		this.mvc
			.perform(post("/api/v1/training-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"target\": \"label\", \"algorithm\": "
						+ "\"logistic_regression\", \"hyperparameters\": {\"C\": 0.5}, \"seed\": 7}"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", "/api/v1/training-jobs/" + job.getId()))
			.andExpect(jsonPath("$.id").value(job.getId().toString()))
			.andExpect(jsonPath("$.status").value("queued"))
			.andExpect(jsonPath("$.attempt").value(1))
			.andExpect(jsonPath("$.spec.algorithm").value("logistic_regression"))
			.andExpect(jsonPath("$.spec.target").value("label"))
			.andExpect(jsonPath("$.spec.hyperparameters.optimizer").value("lbfgs"))
			.andExpect(jsonPath("$.progress.epochs").value(500));
		ArgumentCaptor<TrainingJobRequest> request = ArgumentCaptor.forClass(TrainingJobRequest.class);
		then(this.jobs).should().submit(request.capture());
		assertThat(request.getValue().datasetId()).isEqualTo(DATASET);
		assertThat(request.getValue().hyperparameters()).isEqualTo(Map.of("C", 0.5));
		assertThat(request.getValue().seed()).isEqualTo(7L);
	}

	@Test
	void aDatasetIdThatIsNotAUuidIsRefusedBeforeTheService() throws Exception {
		this.mvc
			.perform(post("/api/v1/training-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"iris\", \"target\": \"label\", \"algorithm\": \"mlp\"}"))
			.andExpect(invalidField("datasetId"))
			.andExpect(jsonPath("$.errors[0].message").value("must be a UUID"));
		then(this.jobs).should(never()).submit(any());
	}

	@Test
	void bodiesAreReadStrictly() throws Exception {
		this.mvc
			.perform(post("/api/v1/training-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"testFracton\": 0.1}"))
			.andExpect(invalidField("testFracton"));
		this.mvc
			.perform(post("/api/v1/training-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"seed\": 1.5}"))
			.andExpect(invalidField("seed"));
		this.mvc.perform(post("/api/v1/training-jobs").with(trainer()).contentType(MediaType.TEXT_PLAIN).content("x"))
			.andExpect(problem(415, "unsupported-media-type"));
		then(this.jobs).should(never()).submit(any());
	}

	@Test
	void theServicesValidationErrorsBecomeTheProblemsErrors() throws Exception {
		given(this.jobs.submit(any()))
			.willThrow(DomainException.invalid("The training job specification is not valid.", List
				.of(io.fitserve.errors.FieldError.field("hyperparameters.C", "must be > 0 and <= 1000000, got 0"))));
		this.mvc
			.perform(post("/api/v1/training-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"target\": \"label\", \"algorithm\": "
						+ "\"logistic_regression\", \"hyperparameters\": {\"C\": 0}}"))
			.andExpect(invalidField("hyperparameters.C"))
			.andExpect(jsonPath("$.errors[0].message").value("must be > 0 and <= 1000000, got 0"))
			.andExpect(jsonPath("$.detail").value("The training job specification is not valid."));
	}

	@Test
	void getAndListMapTheJob() throws Exception {
		TrainingJob job = queuedJob();
		given(this.jobs.getWithProgress(job.getId().toString()))
			.willReturn(new TrainingJobService.WithProgress(job, null));
		this.mvc.perform(get("/api/v1/training-jobs/" + job.getId()).with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(job.getId().toString()))
			.andExpect(jsonPath("$.status").value("queued"))
			.andExpect(jsonPath("$.cancelRequested").value(false))
			.andExpect(jsonPath("$.spec.datasetId").value(DATA.dataset().getId().toString()));

		given(this.jobs.listWithProgress(eq(JobStatus.QUEUED), any(Pageable.class))).willReturn(
				new PageImpl<>(List.of(new TrainingJobService.WithProgress(job, null)), PageRequest.of(1, 5), 6));
		this.mvc.perform(get("/api/v1/training-jobs?status=queued&page=1&size=5").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(job.getId().toString()))
			.andExpect(jsonPath("$.page").value(1))
			.andExpect(jsonPath("$.size").value(5))
			.andExpect(jsonPath("$.totalItems").value(6))
			.andExpect(jsonPath("$.totalPages").value(2));
	}

	@Test
	void listingParametersAreChecked() throws Exception {
		this.mvc.perform(get("/api/v1/training-jobs?status=done").with(trainer())).andExpect(invalidField("status"));
		this.mvc.perform(get("/api/v1/training-jobs?size=501").with(trainer())).andExpect(invalidField("size"));
		this.mvc.perform(get("/api/v1/training-jobs?page=-1").with(trainer())).andExpect(invalidField("page"));
		this.mvc.perform(get("/api/v1/training-jobs?page=x").with(trainer())).andExpect(problem(400, "bad-request"));
		then(this.jobs).should(never()).list(any(), any());
	}

	@Test
	void cancelAnswers202WhileTheJobRunsAnd200OnceItIsCancelled() throws Exception {
		TrainingJob running = queuedJob();
		running.start("worker-1");
		running.requestCancel();
		given(this.jobs.cancel(running.getId().toString())).willReturn(running);
		this.mvc.perform(post("/api/v1/training-jobs/" + running.getId() + "/cancel").with(trainer()))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.status").value("running"))
			.andExpect(jsonPath("$.cancelRequested").value(true))
			.andExpect(jsonPath("$.worker").value("worker-1"));

		TrainingJob queued = queuedJob();
		queued.requestCancel();
		given(this.jobs.cancel(queued.getId().toString())).willReturn(queued);
		this.mvc.perform(post("/api/v1/training-jobs/" + queued.getId() + "/cancel").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("cancelled"));
	}

	@Test
	void historyListsTheEpochs() throws Exception {
		given(this.jobs.history("j1")).willReturn(List.of(new EpochRecord(1, 0.9, 1.0), new EpochRecord(2, 0.5, null)));
		this.mvc.perform(get("/api/v1/training-jobs/j1/history").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[1].epoch").value(2))
			.andExpect(jsonPath("$[1].trainLoss").value(0.5))
			.andExpect(jsonPath("$[0].validationLoss").value(1.0));
	}

	@Test
	void anUnknownJobIsA404Problem() throws Exception {
		String id = UUID.randomUUID().toString();
		given(this.jobs.getWithProgress(id)).willThrow(DomainException.notFound("Training job", id));
		this.mvc.perform(get("/api/v1/training-jobs/" + id).with(trainer())).andExpect(problem(404, "not-found"));
	}

	@Test
	void predictorKeysCannotTrainAndAnonymousCallersAreRefused() throws Exception {
		String body = "{\"datasetId\": \"" + DATASET + "\", \"target\": \"label\", \"algorithm\": \"mlp\"}";
		this.mvc.perform(
				post("/api/v1/training-jobs").with(predictor()).contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(forbidden());
		this.mvc.perform(post("/api/v1/training-jobs").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(unauthorized());
		then(this.jobs).should(never()).submit(any());
	}

}
