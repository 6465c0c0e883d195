package io.fitserve.compute;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.fitserve.compute.ComputeProperties.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeConfigTest {

	@Test
	void autoRunsTheGpuCheckInTheBackgroundAndAwaitWaitsForIt() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CudaProbe slow = () -> {
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return CudaProbe.Result.failed("Tesla K40m, compute capability 3.5", CudaArchitectures.unsupported(3, 5));
		};
		ComputeBackend backend = ComputeConfig.start(Mode.AUTO, true, slow, Map.of());
		assertThat(backend.current()).isEmpty();
		release.countDown();
		assertThat(backend.name()).isEqualTo("cpu");
		assertThat(backend.device()).isEqualTo("Tesla K40m, compute capability 3.5");
		assertThat(backend.reason()).startsWith("the GPU test operation failed: compute capability 3.5");
		assertThat(backend.current()).isPresent();
	}

	@Test
	void withoutCudaTheChoiceIsMadeAtOnce() {
		ComputeBackend backend = ComputeConfig.start(Mode.AUTO, false, () -> {
			throw new AssertionError("no probe without CUDA");
		}, Map.of());
		assertThat(backend.current()).map(Selection::name).hasValue("cpu");
	}

}
