package io.fitserve.training;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingExecutorTest {

	@Test
	void capacityRecoveryAndShutdown() throws Exception {
		TrainingExecutor executor = new TrainingExecutor(new TrainingProperties(1, 1, 5_000_000, 2_000_000_000, 20_000, 10_000, 3), new LiveProgress(),
				Duration.ofSeconds(5));
		executor.start();
		assertThat(executor.tryReserve()).isTrue();
		assertThat(executor.tryReserve()).isTrue();
		assertThat(executor.tryReserve()).as("1 running + 1 waiting").isFalse();
		executor.release();
		executor.release();

		// jobs acknowledged by an earlier process run even past the capacity
		executor.reserveForRecovery();
		executor.reserveForRecovery();
		executor.reserveForRecovery();
		CountDownLatch ran = new CountDownLatch(3);
		for (int i = 0; i < 3; i++) {
			executor.execute(ran::countDown);
		}
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

		executor.stop();
		assertThat(executor.isRunning()).isFalse();
		assertThat(executor.shuttingDown()).isTrue();
		assertThat(executor.tryReserve()).isFalse();
		// a job recorded just before the stop is left queued for the next start, not a 500
		AtomicBoolean dropped = new AtomicBoolean(true);
		executor.execute(() -> dropped.set(false));
		assertThat(dropped).isTrue();
		executor.destroy();
	}

}
