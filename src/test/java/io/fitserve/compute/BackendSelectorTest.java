package io.fitserve.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.fitserve.compute.ComputeProperties.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSelectorTest {

	private static final String H200 = "NVIDIA H200, compute capability 9.0";

	private static final String HOPPER_REASON = "compute capability 9.0 cannot run ND4J 1.0.0-M2.1's CUDA kernels "
			+ "(built for sm_37 to sm_86, no PTX)";

	private final List<String> info = new ArrayList<>();

	private final List<String> warn = new ArrayList<>();

	private final AtomicInteger probes = new AtomicInteger();

	private BackendSelector selector(CudaProbe.Result result, Map<String, String> env) {
		return new BackendSelector(() -> {
			this.probes.incrementAndGet();
			return result;
		}, env, this.info::add, this.warn::add);
	}

	private BackendSelector selector(CudaProbe.Result result) {
		return selector(result, Map.of());
	}

	@Test
	void autoWithoutCudaOnTheClassPathIsCpuWithoutProbing() {
		Selection selection = selector(CudaProbe.Result.passed("A100")).select(Mode.AUTO, false);
		assertThat(selection.name()).isEqualTo("cpu");
		assertThat(selection.reason()).isEqualTo("ND4J's CUDA backend is not on the class path");
		assertThat(this.probes).hasValue(0);
		assertThat(this.warn).isEmpty();
		assertThat(this.info).containsExactly("Compute backend: cpu: ND4J's CUDA backend is not on the class path");
	}

	@Test
	void autoWithAFailingProbeFallsBackToCpuWithOneLineNamingTheDeviceAndReason() {
		Selection selection = selector(CudaProbe.Result.failed(H200, HOPPER_REASON)).select(Mode.AUTO, true);
		assertThat(selection.name()).isEqualTo("cpu");
		assertThat(selection.device()).isEqualTo(H200);
		assertThat(this.probes).hasValue(1);
		assertThat(this.warn).singleElement()
			.asString()
			.startsWith("CUDA backend not usable on NVIDIA H200, compute capability 9.0: " + HOPPER_REASON
					+ "; falling back to CPU (GPU check took ");
		assertThat(this.info).as("one line for the fallback").isEmpty();
	}

	@Test
	void autoWithAFailingProbeThatFoundNoDeviceSaysSo() {
		selector(CudaProbe.Result.failed(null, "no CUDA device found")).select(Mode.AUTO, true);
		assertThat(this.warn).singleElement()
			.asString()
			.startsWith("CUDA backend not usable on device unknown: no CUDA device found; falling back to CPU");
	}

	@Test
	void autoWithAProbeThatThrowsFallsBackToCpu() {
		BackendSelector selector = new BackendSelector(() -> {
			throw new IllegalStateException("boom");
		}, Map.of(), this.info::add, this.warn::add);
		assertThat(selector.select(Mode.AUTO, true).name()).isEqualTo("cpu");
		assertThat(this.warn).singleElement().asString().contains("boom").contains("falling back to CPU");
	}

	@Test
	void autoWithAPassingProbeIsCuda() {
		Selection selection = selector(CudaProbe.Result.passed("NVIDIA A100-SXM4-40GB, compute capability 8.0"))
			.select(Mode.AUTO, true);
		assertThat(selection.name()).isEqualTo("cuda");
		assertThat(selection.device()).isEqualTo("NVIDIA A100-SXM4-40GB, compute capability 8.0");
		assertThat(this.warn).isEmpty();
		assertThat(this.info).singleElement()
			.asString()
			.startsWith("Compute backend: cuda (NVIDIA A100-SXM4-40GB, compute capability 8.0): ");
	}

	@Test
	void autoFollowsNd4jsEnvironmentPrioritiesWhenTheyPreferTheCpu() {
		BackendSelector selector = selector(CudaProbe.Result.passed("A100"),
				Map.of("BACKEND_PRIORITY_CPU", "200", "BACKEND_PRIORITY_GPU", "100"));
		assertThat(selector.needsProbe(Mode.AUTO, true)).isFalse();
		Selection selection = selector.select(Mode.AUTO, true);
		assertThat(selection.name()).isEqualTo("cpu");
		assertThat(selection.reason()).contains("BACKEND_PRIORITY_CPU (200) outranks BACKEND_PRIORITY_GPU (100)");
		assertThat(this.probes).hasValue(0);
	}

	@Test
	void forcedCpuIsCpuWithoutProbing() {
		BackendSelector selector = selector(CudaProbe.Result.passed("A100"));
		assertThat(selector.needsProbe(Mode.CPU, true)).isFalse();
		Selection selection = selector.select(Mode.CPU, true);
		assertThat(selection.name()).isEqualTo("cpu");
		assertThat(selection.reason()).isEqualTo("fitserve.compute.backend=cpu");
		assertThat(this.probes).hasValue(0);
	}

	@Test
	void forcedCudaWithAFailingProbeRefusesToStartWithTheMessage() {
		assertThatThrownBy(() -> selector(CudaProbe.Result.failed(H200, HOPPER_REASON)).select(Mode.CUDA, true))
			.isInstanceOf(ComputeBackendException.class)
			.hasMessage("fitserve.compute.backend=cuda, but CUDA cannot be used on " + H200 + ": " + HOPPER_REASON
					+ " (set fitserve.compute.backend to auto or cpu to train on the CPU)");
		assertThat(this.info).isEmpty();
	}

	@Test
	void forcedCudaWithoutCudaOnTheClassPathRefusesToStart() {
		assertThatThrownBy(() -> selector(CudaProbe.Result.passed("A100")).select(Mode.CUDA, false))
			.isInstanceOf(ComputeBackendException.class)
			.hasMessageContaining("not on the class path")
			.hasMessageContaining("-Pcuda");
		assertThat(this.probes).hasValue(0);
	}

	@Test
	void forcedCudaWithAPassingProbeIsCudaEvenWhenTheEnvironmentPrefersTheCpu() {
		Selection selection = selector(CudaProbe.Result.passed("A100"), Map.of("BACKEND_PRIORITY_CPU", "500"))
			.select(Mode.CUDA, true);
		assertThat(selection.name()).isEqualTo("cuda");
	}

}
