package io.fitserve.prediction;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import io.fitserve.ClusterProperties;
import io.fitserve.training.JobQueue;
import io.fitserve.training.JobTasks;
import io.fitserve.training.TrainingExecutor;
import io.fitserve.training.TrainingProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Batch predictions on the job engine, exactly as training jobs
 * (training.JobEngineConfig): one db-scheduler execution per queued or running job, run
 * on the training slots, revived on another replica when its replica stops heartbeating
 * (the job's next attempt, up to fitserve.training.max-attempts).
 */
@Configuration(proxyBeanMethods = false)
class BatchPredictionEngine {

	private static final Log log = LogFactory.getLog(BatchPredictionEngine.class);

	@Bean
	CustomTask<Void> batchPredictionTask(BatchPredictionRunner runner, BatchPredictionRepository jobs,
			BatchPredictionTransitions transitions, TrainingExecutor executor, TrainingProperties properties) {
		return JobTasks.task(JobQueue.BATCH_PREDICTION, executor, runner::run, jobs::findStatusById,
				id -> transitions.recoverInterrupted(id, properties.maxAttempts()));
	}

	/**
	 * Before the scheduler starts (training.JobEngineConfig.JobRecovery releases the
	 * executions a dead process had picked): jobs that process left running are decided
	 * at once, on a database only this process uses or for this replica's fixed name, so
	 * they do not show as running until picked; a job without an execution gets one.
	 */
	@Bean
	SmartInitializingSingleton batchPredictionRecovery(JdbcTemplate jdbc, Scheduler scheduler,
			ClusterProperties cluster, Environment environment, BatchPredictionTransitions transitions,
			TrainingProperties properties) {
		return () -> {
			int attempts = properties.maxAttempts();
			if (JobTasks.exclusiveDatabase(environment.getProperty("spring.datasource.url", ""))) {
				jdbc.queryForList("SELECT id FROM batch_prediction WHERE status = 'RUNNING'", UUID.class)
					.forEach(id -> transitions.recoverInterrupted(id, attempts));
			}
			else if (cluster.replicaName() != null && !cluster.replicaName().isBlank()) {
				jdbc.queryForList("SELECT id FROM batch_prediction WHERE status = 'RUNNING' AND worker = ?", UUID.class,
						cluster.replica())
					.forEach(id -> transitions.recoverInterrupted(id, attempts));
			}
			int scheduled = 0;
			for (var row : jdbc
				.queryForList("SELECT id, created_at FROM batch_prediction WHERE status IN ('QUEUED', 'RUNNING')")) {
				Object createdAt = row.get("created_at");
				Instant at = createdAt instanceof Timestamp t ? t.toInstant()
						: createdAt instanceof OffsetDateTime o ? o.toInstant() : Instant.now();
				if (scheduler.scheduleIfNotExists(JobQueue.BATCH_PREDICTION.instance(row.get("id").toString()).build(),
						at)) {
					scheduled++;
				}
			}
			if (scheduled > 0) {
				log.info("Queued again " + scheduled + " batch prediction(s) that had no execution");
			}
		};
	}

}
