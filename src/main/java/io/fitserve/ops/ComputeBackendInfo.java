package io.fitserve.ops;

/**
 * Names the ND4J backend for the start-up line and {@code /actuator/info}, without
 * loading ND4J (it loads lazily on the first training job, and start-up time matters). A
 * bean of this type replaces the class-path guess of
 * {@link OperationsConfig#computeBackendInfo()}, e.g. one that knows a configured
 * CUDA/CPU selection.
 */
@FunctionalInterface
public interface ComputeBackendInfo {

	/** A short description such as {@code cpu (nd4j-native)}. */
	String describe();

	/**
	 * From the class path: the CUDA backend if its jar is present, else the native CPU
	 * backend.
	 */
	static ComputeBackendInfo fromClassPath(ClassLoader classLoader) {
		String backend = present("org.nd4j.linalg.jcublas.JCublasBackend", classLoader) ? "cuda (nd4j-cuda)"
				: present("org.nd4j.linalg.cpu.nativecpu.CpuBackend", classLoader) ? "cpu (nd4j-native)" : "none found";
		return () -> backend;
	}

	private static boolean present(String className, ClassLoader classLoader) {
		// a resource lookup: neither loads nor initializes the class (so no native
		// library is loaded)
		return classLoader.getResource(className.replace('.', '/') + ".class") != null;
	}

}
