package io.fitserve.compute;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * fitserve.compute.blas-threads: resolved against OMP_NUM_THREADS, and set on OpenBLAS
 * when ND4J is loaded for training.
 */
class BlasThreadsTest {

	@Test
	void oneThreadUnlessTheSettingOrOmpNumThreadsSaysOtherwise() {
		assertThat(properties(null).resolvedBlasThreads(Map.of())).isEqualTo(1);
		assertThat(properties(null).resolvedBlasThreads(Map.of("OMP_NUM_THREADS", " "))).isEqualTo(1);
		// ND4J already follows OMP_NUM_THREADS: left as it is
		assertThat(properties(null).resolvedBlasThreads(Map.of("OMP_NUM_THREADS", "4"))).isZero();
		assertThat(properties(3).resolvedBlasThreads(Map.of("OMP_NUM_THREADS", "4"))).isEqualTo(3);
		assertThat(properties(2).resolvedBlasThreads(Map.of())).isEqualTo(2);
		assertThatThrownBy(() -> properties(0)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("fitserve.compute.blas-threads must be at least 1, not 0");
	}

	@Test
	void loadingNd4jSetsOpenBlasThreadsOnce() {
		Blas blas = Nd4j.factory().blas();
		int before = blas.getMaxThreads();
		try {
			blas.setMaxThreads(2);
			int two = blas.getMaxThreads();
			ComputeBackend cpu = ComputeBackend.of(new Selection(Selection.CPU, null, "test"));
			// 0: ND4J's own choice stays
			assertThat(cpu.withBlasThreads(0).loadNd4j().name()).isEqualTo(Selection.CPU);
			assertThat(blas.getMaxThreads()).isEqualTo(two);
			ComputeBackend one = cpu.withBlasThreads(1);
			one.loadNd4j();
			assertThat(blas.getMaxThreads()).isEqualTo(1);
			// once: a later change (by whoever) is not undone by the next job
			blas.setMaxThreads(2);
			one.loadNd4j();
			assertThat(blas.getMaxThreads()).isEqualTo(two);
		}
		finally {
			blas.setMaxThreads(before);
		}
	}

	private static ComputeProperties properties(Integer blasThreads) {
		return new ComputeProperties(ComputeProperties.Mode.AUTO, Duration.ofSeconds(1), true, blasThreads, null,
				false);
	}

}
