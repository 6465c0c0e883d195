package io.fitserve.training;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import io.fitserve.errors.DomainException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cluster's job queue, on db-scheduler's table: a job is admitted (or refused with
 * 429 when the cluster is full) and its execution scheduled in the same transaction as
 * its row, so an acknowledged job always has an execution and a refused one leaves
 * nothing behind.
 */
@Component
public class JobQueue {

	static final TaskDescriptor<Void> TRAINING = TaskDescriptor.of("training-job");

	static final TaskDescriptor<Void> TUNING = TaskDescriptor.of("tuning-job");

	/**
	 * Batch scoring of a stored dataset (io.fitserve.prediction): admitted and run in the
	 * same slots.
	 */
	public static final TaskDescriptor<Void> BATCH_PREDICTION = TaskDescriptor.of("batch-prediction");

	private final Scheduler scheduler;

	private final JdbcTemplate jdbc;

	private final Replicas replicas;

	private final TransactionTemplate tx;

	JobQueue(Scheduler scheduler, JdbcTemplate jdbc, Replicas replicas, PlatformTransactionManager transactions) {
		this.scheduler = scheduler;
		this.jdbc = jdbc;
		this.replicas = replicas;
		this.tx = new TransactionTemplate(transactions);
	}

	/**
	 * In one transaction, cluster-wide (the job_admission row is locked): checks that the
	 * queued and running jobs of every replica leave room, then creates the job with
	 * {@code create} and schedules it with {@code task}. 429 when the cluster holds as
	 * many jobs as its replicas' slots and queues.
	 */
	public <T> T admit(TaskDescriptor<Void> task, Supplier<T> create, java.util.function.Function<T, UUID> id,
			String fullMessage) {
		return tx.execute(status -> {
			jdbc.queryForObject("SELECT id FROM job_admission WHERE id = 1 FOR UPDATE", Integer.class);
			long capacity = replicas.clusterCapacity();
			if (inQueue() >= capacity) {
				throw DomainException.tooBusy(fullMessage, TrainingJobService.RETRY_AFTER);
			}
			T job = create.get();
			schedule(task, id.apply(job), Instant.now());
			return job;
		});
	}

	/**
	 * Schedules a job's execution (within the caller's transaction, if any); no-op if it
	 * has one.
	 */
	public void schedule(TaskDescriptor<Void> task, UUID id, Instant at) {
		scheduler.scheduleIfNotExists(task.instance(id.toString()).build(), at);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			// db-scheduler's own immediate check would run before the commit and miss the
			// new row
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					scheduler.triggerCheckForDueExecutions();
				}
			});
		}
		else {
			scheduler.triggerCheckForDueExecutions();
		}
	}

	/**
	 * Training, tuning and batch prediction jobs queued or running in the whole cluster.
	 */
	long inQueue() {
		// a job that has just finished keeps its execution row until its handler returns:
		// it no longer takes room (else a submit right after a cancel could get a 429)
		Long n = jdbc.queryForObject(
				"SELECT COUNT(*) FROM scheduled_tasks s WHERE s.task_name IN (?, ?, ?)" + finishedJob("training_job")
						+ finishedJob("tuning_job") + finishedJob("batch_prediction"),
				Long.class, TRAINING.getTaskName(), TUNING.getTaskName(), BATCH_PREDICTION.getTaskName());
		return n == null ? 0 : n;
	}

	private static String finishedJob(String table) {
		return " AND NOT EXISTS (SELECT 1 FROM " + table + " j WHERE CAST(j.id AS VARCHAR(36)) = s.task_instance"
				+ " AND j.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))";
	}

	/** Jobs waiting for a slot on any replica (the queue-depth gauge). */
	long waiting() {
		Long n = jdbc.queryForObject(
				"SELECT COUNT(*) FROM scheduled_tasks WHERE task_name IN (?, ?, ?) AND picked = FALSE", Long.class,
				TRAINING.getTaskName(), TUNING.getTaskName(), BATCH_PREDICTION.getTaskName());
		return n == null ? 0 : n;
	}

}
