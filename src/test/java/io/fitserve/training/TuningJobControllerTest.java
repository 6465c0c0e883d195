package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.fitserve.WebSliceTest;
import io.fitserve.datasets.TestDatasets;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

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
 * {@link TuningJobController}'s web layer: 202 with Location, the search mapped to its
 * response (trial i of n, metric), the leaderboard, cancel statuses, checks and roles.
 */
@WebMvcTest(TuningJobController.class)
class TuningJobControllerTest extends WebSliceTest {

	static final TestDatasets.Loaded DATA = TestDatasets.fromCsv("a,b,label\n1,2,x\n2,3,y\n3,1,x\n4,4,y\n");

	static final String DATASET = "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f";

	@MockitoBean
	TuningJobService tuning;

	@MockitoBean
	JobEventStreams events;

	static TuningJob queuedSearch() {
		TuningSpec spec = TuningResolver.resolve(
				new TuningJobRequest(DATASET, "label", null, null, "logistic_regression", "grid",
						Map.of("C", List.of(0.1, 1.0)), null, 2, null, null, null, null, null, null),
				DATA.dataset(), DATA.frame());
		return TuningJob.queued(spec);
	}

	@Test
	void submitAnswers202WithLocationAndTheSearchsProgress() throws Exception {
		TuningJob job = queuedSearch();
		given(this.tuning.submit(any())).willReturn(job);
		this.mvc
			.perform(post("/api/v1/tuning-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"target\": \"label\", \"algorithm\": "
						+ "\"logistic_regression\", \"strategy\": \"grid\", \"space\": {\"C\": [0.1, 1.0]}}"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("Location", "/api/v1/tuning-jobs/" + job.getId()))
			.andExpect(jsonPath("$.id").value(job.getId().toString()))
			.andExpect(jsonPath("$.status").value("queued"))
			.andExpect(jsonPath("$.spec.strategy").value("grid"))
			.andExpect(jsonPath("$.progress.trials").value(2))
			.andExpect(jsonPath("$.progress.metric").value("accuracy"));
	}

	@Test
	void requestChecksComeBeforeTheService() throws Exception {
		this.mvc
			.perform(post("/api/v1/tuning-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"nope\", \"target\": \"label\", \"algorithm\": \"mlp\"}"))
			.andExpect(invalidField("datasetId"));
		this.mvc
			.perform(post("/api/v1/tuning-jobs").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"datasetId\": \"" + DATASET + "\", \"trials\": \"many\"}"))
			.andExpect(invalidField("trials"));
		this.mvc.perform(get("/api/v1/tuning-jobs?status=paused").with(trainer())).andExpect(invalidField("status"));
		then(this.tuning).should(never()).submit(any());
	}

	@Test
	void getListAndLeaderboardMapTheSearch() throws Exception {
		TuningJob job = queuedSearch();
		given(this.tuning.get(job.getId().toString())).willReturn(job);
		given(this.tuning.list(eq(null), any(Pageable.class))).willReturn(new PageImpl<>(List.of(job)));
		this.mvc.perform(get("/api/v1/tuning-jobs/" + job.getId()).with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.spec.algorithm").value("logistic_regression"))
			.andExpect(jsonPath("$.progress.trial").value(0));
		this.mvc.perform(get("/api/v1/tuning-jobs").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(job.getId().toString()))
			.andExpect(jsonPath("$.totalItems").value(1));
		this.mvc.perform(get("/api/v1/tuning-jobs/" + job.getId() + "/leaderboard").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$").isEmpty());
	}

	@Test
	void cancelAnswers202WhileRunningAnd200Otherwise() throws Exception {
		TuningJob running = queuedSearch();
		running.start("slice-test");
		running.requestCancel();
		given(this.tuning.cancel("r")).willReturn(running);
		this.mvc.perform(post("/api/v1/tuning-jobs/r/cancel").with(trainer()))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.status").value("running"));
		TuningJob queued = queuedSearch();
		queued.requestCancel();
		given(this.tuning.cancel("q")).willReturn(queued);
		this.mvc.perform(post("/api/v1/tuning-jobs/q/cancel").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("cancelled"));
	}

	@Test
	void predictorKeysCannotSearchAndAnonymousCallersAreRefused() throws Exception {
		this.mvc.perform(get("/api/v1/tuning-jobs").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/tuning-jobs")).andExpect(unauthorized());
		then(this.tuning).should(never()).list(any(), any());
	}

}
