package io.fitserve.compute;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.nd4j.common.config.ND4JClassLoading;

/**
 * Where ND4J's backends are on the class path, and how one of them is hidden from ND4J
 * before it loads.
 *
 * ND4J picks its backend once per process, on first use: {@code Nd4jBackend.load()} reads
 * every {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend} through
 * {@link ND4JClassLoading}'s class loader and takes the available one with the highest
 * priority (GPU 100, CPU 0, changeable only through the environment variables
 * BACKEND_PRIORITY_GPU / BACKEND_PRIORITY_CPU, read once into static finals). To choose
 * in-process, the class loader ND4J uses is replaced by one that delegates everything to
 * the original, except that it leaves out the {@code META-INF/services} files of the
 * hidden backend's jar. This must happen before ND4J's first use.
 */
final class Nd4jBackends {

	static final String CUDA_BACKEND_CLASS = "org/nd4j/linalg/jcublas/JCublasBackend.class";

	static final String CPU_BACKEND_CLASS = "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class";

	private Nd4jBackends() {
	}

	/**
	 * Whether ND4J's CUDA backend is on the class path (one resource look-up; ND4J is not
	 * loaded).
	 */
	static boolean cudaOnClassPath(ClassLoader loader) {
		return loader.getResource(CUDA_BACKEND_CLASS) != null;
	}

	/**
	 * Makes ND4J load the given backend, when both are present: the other one's service
	 * files are hidden.
	 */
	static synchronized void use(String backend) {
		String hiddenClass = Selection.CUDA.equals(backend) ? CPU_BACKEND_CLASS : CUDA_BACKEND_CLASS;
		ClassLoader current = ND4JClassLoading.getNd4jClassloader();
		if (current == null) {
			current = Nd4jBackends.class.getClassLoader();
		}
		if (current instanceof HidingClassLoader hiding) {
			current = hiding.getParent();
		}
		URL hidden = current.getResource(hiddenClass);
		if (hidden == null) {
			return;
		}
		ND4JClassLoading.setNd4jClassloader(new HidingClassLoader(current, jarOf(hidden, hiddenClass)));
	}

	/**
	 * The prefix every resource URL of the jar holding the given resource starts with.
	 */
	static String jarOf(URL resource, String name) {
		String url = resource.toString();
		int bang = url.lastIndexOf("!/");
		return bang >= 0 ? url.substring(0, bang + 2) : url.substring(0, url.length() - name.length());
	}

	/**
	 * Delegates everything to its parent, but lists no META-INF/services files of one
	 * jar.
	 */
	static final class HidingClassLoader extends ClassLoader {

		static {
			registerAsParallelCapable();
		}

		private final String hiddenJar;

		HidingClassLoader(ClassLoader parent, String hiddenJar) {
			super(parent);
			this.hiddenJar = hiddenJar;
		}

		String hiddenJar() {
			return this.hiddenJar;
		}

		@Override
		public Enumeration<URL> getResources(String name) throws IOException {
			Enumeration<URL> all = getParent().getResources(name);
			if (!name.startsWith("META-INF/services/")) {
				return all;
			}
			List<URL> kept = new ArrayList<>();
			while (all.hasMoreElements()) {
				URL url = all.nextElement();
				if (!url.toString().startsWith(this.hiddenJar)) {
					kept.add(url);
				}
			}
			return Collections.enumeration(kept);
		}

		@Override
		public URL getResource(String name) {
			return getParent().getResource(name);
		}

	}

}
