package io.fitserve.training;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * How each kind of job runs on db-scheduler (training, tuning, and batch predictions in
 * io.fitserve.prediction): one factory, so every kind is claimed, revived after a dead
 * replica and put back after a shutdown the same way.
 */
public final class JobTasks {

	private static final Log log = LogFactory.getLog(JobTasks.class);

	/**
	 * A job stopped by a shutdown is put back this long later, so a replica that is
	 * stopping does not pick it again.
	 */
	private static final Duration REQUEUE_DELAY = Duration.ofSeconds(1);

	/**
	 * When running a job fails before the job could record why (e.g. the database was
	 * unreachable).
	 */
	private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

	private JobTasks() {
	}

	/**
	 * One kind of job: {@code run} runs it on this replica (the job's row says what
	 * became of it); {@code recover} decides at once about a job whose replica died (its
	 * next attempt, or failed or cancelled) before the execution is revived for any
	 * replica to pick. A job still queued after {@code run} was stopped by a shutdown and
	 * goes back in the queue.
	 */
	public static CustomTask<Void> task(TaskDescriptor<Void> descriptor, TrainingExecutor executor, Consumer<UUID> run,
			Function<UUID, Optional<JobStatus>> status, Consumer<UUID> recover) {
		DeadExecutionHandler<Void> revive = new DeadExecutionHandler.ReviveDeadExecution<>();
		return Tasks.custom(descriptor)
			.onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY_AFTER_FAILURE))
			.onDeadExecution((complete, operations) -> {
				UUID id = UUID.fromString(complete.getExecution().taskInstance.getId());
				log.warn("The replica running " + descriptor.getTaskName() + " " + id + " ("
						+ complete.getExecution().pickedBy + ") stopped heartbeating; the job runs again elsewhere");
				recover.accept(id);
				revive.deadExecution(complete, operations);
			})
			.execute((instance, context) -> {
				UUID id = UUID.fromString(instance.getId());
				executor.running(() -> run.accept(id));
				if (status.apply(id).orElse(null) == JobStatus.QUEUED) {
					// stopped by a shutdown (or not started because of one): back in the
					// queue for any replica
					return (complete, operations) -> operations.reschedule(complete, Instant.now().plus(REQUEUE_DELAY));
				}
				return new CompletionHandler.OnCompleteRemove<>();
			});
	}

	/**
	 * Whether only this process uses the database (an embedded H2 file): then every job
	 * found running at start was cut short by the previous process and is recovered at
	 * once.
	 */
	public static boolean exclusiveDatabase(String datasourceUrl) {
		String url = datasourceUrl.toUpperCase(Locale.ROOT);
		return url.startsWith("JDBC:H2:") && !url.contains("AUTO_SERVER=TRUE") && !url.startsWith("JDBC:H2:TCP:")
				&& !url.startsWith("JDBC:H2:SSL:");
	}

}
