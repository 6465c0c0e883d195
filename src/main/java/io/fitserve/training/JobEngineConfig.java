package io.fitserve.training;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import com.github.kagkarlsson.scheduler.PollingStrategyConfig;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import io.fitserve.ClusterProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Training and tuning jobs run on db-scheduler (README "Jobs"): each queued or running
 * job has one execution row in scheduled_tasks; a replica with a free slot picks it,
 * heartbeats it while the job runs and removes it when the job ends. When a replica dies
 * its executions' heartbeats stop, and after db-scheduler.missed-heartbeats-limit x
 * heartbeat-interval another replica revives and runs them again (the job's next
 * attempt). fitserve keeps its own job rows, progress and cancel on top.
 */
@Configuration(proxyBeanMethods = false)
class JobEngineConfig {

	private static final Log log = LogFactory.getLog(JobEngineConfig.class);

	@Bean
	CustomTask<Void> trainingJobTask(TrainingRunner runner, TrainingJobRepository jobs, JobTransitions transitions,
			TrainingExecutor executor, TrainingProperties properties) {
		return JobTasks.task(JobQueue.TRAINING, executor, runner::run, jobs::findStatusById,
				id -> transitions.recoverInterrupted(id, properties.maxAttempts()));
	}

	@Bean
	CustomTask<Void> tuningJobTask(TuningRunner runner, TuningJobRepository jobs, TuningTransitions transitions,
			TrainingExecutor executor, TrainingProperties properties) {
		return JobTasks.task(JobQueue.TUNING, executor, runner::run, jobs::findStatusById,
				id -> transitions.recoverInterrupted(id, properties.maxAttempts()));
	}

	/**
	 * Jobs run on the training executor's threads; the scheduler is named after the
	 * replica.
	 */
	@Bean
	DbSchedulerCustomizer jobEngineCustomizer(TrainingExecutor executor, ClusterProperties cluster) {
		String name = cluster.replica();
		return new DbSchedulerCustomizer() {
			@Override
			public Optional<ExecutorService> executorService() {
				return Optional.of(executor.pool());
			}

			@Override
			public Optional<SchedulerName> schedulerName() {
				return Optional.of(new SchedulerName.Fixed(name));
			}
		};
	}

	/**
	 * db-scheduler's threads are the training slots
	 * (fitserve.training.max-concurrent-jobs); on PostgreSQL executions are claimed with
	 * SELECT ... FOR UPDATE SKIP LOCKED unless db-scheduler.polling-strategy says
	 * otherwise.
	 */
	@Bean
	static BeanPostProcessor jobEngineDefaults(Environment environment) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DbSchedulerProperties properties) {
					properties.setThreads(Binder.get(environment)
						.bind("fitserve.training.max-concurrent-jobs", Integer.class)
						.orElse(1));
					String url = environment.getProperty("spring.datasource.url", "");
					if (url.startsWith("jdbc:postgresql:")
							&& !environment.containsProperty("db-scheduler.polling-strategy")) {
						properties.setPollingStrategy(PollingStrategyConfig.Type.LOCK_AND_FETCH);
					}
				}
				return bean;
			}
		};
	}

	@Bean
	JobRecovery jobRecovery(JdbcTemplate jdbc, Scheduler scheduler, ClusterProperties cluster, Environment environment,
			JobTransitions training, TuningTransitions tuning, TrainingProperties properties) {
		int attempts = properties.maxAttempts();
		return new JobRecovery(jdbc, scheduler, cluster, environment.getProperty("spring.datasource.url", ""),
				id -> training.recoverInterrupted(id, attempts), id -> tuning.recoverInterrupted(id, attempts));
	}

	/**
	 * Before the scheduler starts: on a database only this process uses (an embedded H2
	 * file), the executions a previous process had picked are released at once rather
	 * than after the dead- execution timeout, as they are on a shared database when this
	 * replica has a fixed fitserve.cluster.replica-name; and jobs queued or running
	 * without an execution (left by a version without the job engine) get one.
	 */
	static final class JobRecovery implements SmartInitializingSingleton {

		private final JdbcTemplate jdbc;

		private final Scheduler scheduler;

		private final ClusterProperties cluster;

		private final String datasourceUrl;

		private final Consumer<UUID> recoverTraining;

		private final Consumer<UUID> recoverTuning;

		JobRecovery(JdbcTemplate jdbc, Scheduler scheduler, ClusterProperties cluster, String datasourceUrl,
				Consumer<UUID> recoverTraining, Consumer<UUID> recoverTuning) {
			this.recoverTraining = recoverTraining;
			this.recoverTuning = recoverTuning;
			this.jdbc = jdbc;
			this.scheduler = scheduler;
			this.cluster = cluster;
			this.datasourceUrl = datasourceUrl;
		}

		static boolean exclusive(String datasourceUrl) {
			return JobTasks.exclusiveDatabase(datasourceUrl);
		}

		@Override
		public void afterSingletonsInstantiated() {
			String release = "UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, last_heartbeat = NULL, "
					+ "version = version + 1 WHERE picked = TRUE";
			int released = 0;
			if (exclusive(datasourceUrl)) {
				released = jdbc.update(release);
				// nothing else runs on this database: every job left running was
				// cut short
				jdbc.queryForList("SELECT id FROM training_job WHERE status = 'RUNNING' AND tuning_job_id IS NULL",
						UUID.class)
					.forEach(recoverTraining);
				jdbc.queryForList("SELECT id FROM tuning_job WHERE status = 'RUNNING'", UUID.class)
					.forEach(recoverTuning);
			}
			else if (cluster.replicaName() != null && !cluster.replicaName().isBlank()) {
				released = jdbc.update(release + " AND picked_by = ?", cluster.replica());
				jdbc.queryForList("SELECT id FROM training_job WHERE status = 'RUNNING' AND worker = ? "
						+ "AND tuning_job_id IS NULL", UUID.class, cluster.replica())
					.forEach(recoverTraining);
			}
			int scheduled = 0;
			for (var row : jdbc.queryForList("SELECT id, created_at FROM training_job "
					+ "WHERE status IN ('QUEUED', 'RUNNING') AND tuning_job_id IS NULL")) {
				scheduled += schedule(JobQueue.TRAINING, row.get("id"), row.get("created_at"));
			}
			for (var row : jdbc
				.queryForList("SELECT id, created_at FROM tuning_job WHERE status IN ('QUEUED', 'RUNNING')")) {
				scheduled += schedule(JobQueue.TUNING, row.get("id"), row.get("created_at"));
			}
			if (released + scheduled > 0) {
				log.info("Queued again " + (released + scheduled)
						+ " job(s) left queued or running by an earlier process");
			}
		}

		private int schedule(TaskDescriptor<Void> task, Object id, Object createdAt) {
			Instant at = createdAt instanceof Timestamp t ? t.toInstant()
					: createdAt instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.now();
			return scheduler.scheduleIfNotExists(task.instance(id.toString()).build(), at) ? 1 : 0;
		}

	}

}
