package io.fitserve.compute;

import java.net.URL;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4jBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hiding a backend's service files, checked with the CPU backend (the only one in the
 * default build).
 */
class Nd4jBackendsTest {

	private final ClassLoader loader = getClass().getClassLoader();

	@Test
	void theDefaultBuildHasNoCudaBackend() {
		assertThat(Nd4jBackends.cudaOnClassPath(this.loader)).isFalse();
		assertThat(this.loader.getResource(Nd4jBackends.CPU_BACKEND_CLASS)).isNotNull();
	}

	@Test
	void aHiddenJarsBackendIsNotOfferedToNd4j() {
		URL cpu = this.loader.getResource(Nd4jBackends.CPU_BACKEND_CLASS);
		String jar = Nd4jBackends.jarOf(cpu, Nd4jBackends.CPU_BACKEND_CLASS);
		assertThat(jar).endsWith(".jar!/");
		assertThat(backends(this.loader)).contains("CpuBackend");

		Nd4jBackends.HidingClassLoader hiding = new Nd4jBackends.HidingClassLoader(this.loader, jar);
		assertThat(backends(hiding)).doesNotContain("CpuBackend");
		// classes and other resources still come from the parent
		assertThat(hiding.getResource(Nd4jBackends.CPU_BACKEND_CLASS)).isEqualTo(cpu);
	}

	@Test
	void hidingAnotherJarKeepsTheBackend() {
		Nd4jBackends.HidingClassLoader hiding = new Nd4jBackends.HidingClassLoader(this.loader,
				"jar:file:/nowhere/nd4j-cuda-11.6-1.0.0-M2.1.jar!/");
		assertThat(backends(hiding)).contains("CpuBackend");
	}

	private static List<String> backends(ClassLoader loader) {
		// the provider types only: nothing is instantiated and ND4J is not initialised
		return ServiceLoader.load(Nd4jBackend.class, loader).stream().map(p -> p.type().getSimpleName()).toList();
	}

}
