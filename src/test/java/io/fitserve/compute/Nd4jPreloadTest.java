package io.fitserve.compute;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preload loads the backend the selection chose, after the selection, and only when
 * asked to.
 */
class Nd4jPreloadTest {

	@Test
	void loadsTheCpuBackendAndChecksAProduct() {
		Nd4jPreload preload = new Nd4jPreload(properties(true),
				ComputeBackend.of(new Selection(Selection.CPU, null, "test")));
		assertThat(preload.load()).isGreaterThanOrEqualTo(0);
		assertThat(Nd4j.getBackend().getClass().getSimpleName()).isEqualTo("CpuBackend");
	}

	@Test
	void waitsForThePendingSelection() throws Exception {
		CompletableFuture<Selection> pending = new CompletableFuture<>();
		Nd4jPreload preload = new Nd4jPreload(properties(true), new ComputeBackend(pending));
		CompletableFuture<Long> loaded = CompletableFuture.supplyAsync(preload::load);
		Thread.sleep(200);
		assertThat(loaded).isNotDone();
		pending.complete(new Selection(Selection.CPU, null, "test"));
		assertThat(loaded.get()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void startsNothingWhenOff() {
		Nd4jPreload preload = new Nd4jPreload(properties(false), new ComputeBackend(new CompletableFuture<>()));
		preload.start();
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("fitserve-nd4j-preload"));
	}

	private static ComputeProperties properties(boolean preload) {
		return new ComputeProperties(ComputeProperties.Mode.AUTO, Duration.ofSeconds(1), preload, null, null, false);
	}

}
