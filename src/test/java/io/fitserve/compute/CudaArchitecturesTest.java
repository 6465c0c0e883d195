package io.fitserve.compute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CudaArchitecturesTest {

	@Test
	void keplerK80ThroughAmpereRun() {
		assertThat(CudaArchitectures.runs(3, 7)).as("K80").isTrue();
		assertThat(CudaArchitectures.runs(5, 2)).as("Maxwell").isTrue();
		assertThat(CudaArchitectures.runs(6, 1)).as("Pascal").isTrue();
		assertThat(CudaArchitectures.runs(7, 0)).as("V100").isTrue();
		assertThat(CudaArchitectures.runs(7, 5)).as("T4").isTrue();
		assertThat(CudaArchitectures.runs(8, 0)).as("A100").isTrue();
		assertThat(CudaArchitectures.runs(8, 6)).as("A10, RTX 30xx").isTrue();
		assertThat(CudaArchitectures.runs(8, 7)).as("Orin: sm_86 cubins, same major").isTrue();
		assertThat(CudaArchitectures.runs(8, 9)).as("Ada: sm_86 cubins, same major").isTrue();
	}

	@Test
	void olderKeplerAndHopperOrNewerDoNot() {
		assertThat(CudaArchitectures.runs(3, 5)).as("K40").isFalse();
		assertThat(CudaArchitectures.runs(9, 0)).as("H100/H200").isFalse();
		assertThat(CudaArchitectures.runs(10, 0)).as("Blackwell").isFalse();
		assertThat(CudaArchitectures.runs(12, 0)).isFalse();
	}

}
