package io.fitserve.compute;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ChildJvmCudaProbeTest {

	@Test
	void withoutTheCudaBackendTheChildJvmFailsSafelyWithAReason() {
		long start = System.nanoTime();
		CudaProbe.Result result = new ChildJvmCudaProbe(Duration.ofSeconds(60)).probe();
		assertThat(result.passed()).isFalse();
		assertThat(result.device()).isNull();
		assertThat(result.reason()).contains("is not on the class path");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
	}

	@Test
	void aProbeThatRunsPastItsTimeoutFails() {
		CudaProbe.Result result = new ChildJvmCudaProbe(Duration.ofMillis(1)).probe();
		assertThat(result.passed()).isFalse();
		assertThat(result.reason()).contains("did not finish within");
	}

	@Test
	void aBootJarStartsTheProbeThroughPropertiesLauncher(@TempDir Path dir) throws Exception {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().putValue("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
		manifest.getMainAttributes().putValue("Start-Class", "io.fitserve.FitserveApplication");
		Path jar = dir.resolve("fitserve.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			out.flush();
		}
		List<String> command = ChildJvmCudaProbe.command(jar.toString());
		assertThat(command).containsSubsequence("-cp", jar.toString(),
				"-Dloader.main=io.fitserve.compute.CudaProbeMain", ChildJvmCudaProbe.BOOT_LAUNCHER);

		List<String> plain = ChildJvmCudaProbe.command("a.jar" + java.io.File.pathSeparator + "b");
		assertThat(plain).endsWith("io.fitserve.compute.CudaProbeMain");
	}

	@Test
	void theDeviceIsNameAndComputeCapability() {
		assertThat(ChildJvmCudaProbe
			.device(new java.util.HashMap<>(java.util.Map.of("device", "NVIDIA H200", "capability", "9.0"))))
			.isEqualTo("NVIDIA H200, compute capability 9.0");
	}

}
