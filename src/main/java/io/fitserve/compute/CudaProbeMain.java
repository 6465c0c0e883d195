package io.fitserve.compute;

import java.io.PrintStream;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GPU check, run in a child JVM by {@link ChildJvmCudaProbe} so that a crash, a hang
 * or a half-initialised CUDA backend cannot affect the service: reads device 0's name and
 * compute capability through the CUDA runtime (javacpp's cuda presets, by reflection
 * since they are only on the class path of a {@code -Pcuda} build), refuses architectures
 * ND4J's kernels were not built for, then loads ND4J on CUDA and checks a small matrix
 * product, an element-wise op and a reduction against their known values. Writes
 * {@code fitserve-probe: key=value} lines to standard output; exit status 0 only when
 * everything passed.
 */
public final class CudaProbeMain {

	static final String PREFIX = "fitserve-probe: ";

	private CudaProbeMain() {
	}

	public static void main(String[] args) {
		PrintStream out = System.out;
		try {
			String failure = run(out);
			if (failure != null) {
				out.println(PREFIX + "fail=" + oneLine(failure));
				out.flush();
				System.exit(2);
			}
			out.println(PREFIX + "ok");
			out.flush();
			System.exit(0);
		}
		catch (Throwable ex) {
			out.println(PREFIX + "fail=" + oneLine(describe(ex)));
			out.flush();
			System.exit(3);
		}
	}

	private static String run(PrintStream out) throws Exception {
		Class<?> cudart;
		try {
			cudart = Class.forName("org.bytedeco.cuda.global.cudart");
		}
		catch (ClassNotFoundException ex) {
			return "ND4J's CUDA backend (javacpp's cuda presets) is not on the class path";
		}
		catch (Throwable ex) {
			return "the CUDA 11.6 runtime could not be loaded (no NVIDIA driver, or no CUDA 11.6 libraries on the "
					+ "library path): " + describe(ex);
		}
		int[] count = new int[1];
		int rc = (int) cudart.getMethod("cudaGetDeviceCount", int[].class).invoke(null, (Object) count);
		if (rc != 0) {
			return "cudaGetDeviceCount failed: " + cudaError(cudart, rc);
		}
		if (count[0] < 1) {
			return "no CUDA device found";
		}
		Class<?> propClass = Class.forName("org.bytedeco.cuda.cudart.cudaDeviceProp");
		Object prop = propClass.getConstructor().newInstance();
		rc = (int) cudart.getMethod("cudaGetDeviceProperties", propClass, int.class).invoke(null, prop, 0);
		if (rc != 0) {
			return "cudaGetDeviceProperties failed: " + cudaError(cudart, rc);
		}
		String name = ((BytePointer) propClass.getMethod("name").invoke(prop)).getString().trim();
		int major = (int) propClass.getMethod("major").invoke(prop);
		int minor = (int) propClass.getMethod("minor").invoke(prop);
		out.println(PREFIX + "device=" + oneLine(name));
		out.println(PREFIX + "capability=" + major + "." + minor);
		out.flush();
		if (!CudaArchitectures.runs(major, minor)) {
			return CudaArchitectures.unsupported(major, minor);
		}

		Nd4jBackends.use(Selection.CUDA);
		String backend = Nd4j.getBackend().getClass().getSimpleName();
		if (!backend.equals("JCublasBackend")) {
			return "ND4J loaded " + backend + " instead of the CUDA backend";
		}
		INDArray a = Nd4j.createFromArray(new float[][] { { 1, 2 }, { 3, 4 } });
		INDArray b = Nd4j.createFromArray(new float[][] { { 5, 6 }, { 7, 8 } });
		INDArray product = a.mmul(b);
		INDArray shifted = product.add(1.0f);
		double sum = shifted.sumNumber().doubleValue();
		Nd4j.getExecutioner().commit();
		float[] values = shifted.data().asFloat();
		float[] expected = { 20, 23, 44, 51 };
		if (!Arrays.equals(values, expected) || Math.abs(sum - 138.0) > 1e-6) {
			return "wrong results from the GPU: [[1,2],[3,4]] x [[5,6],[7,8]] + 1 gave " + Arrays.toString(values)
					+ " (expected " + Arrays.toString(expected) + "), sum " + sum + " (expected 138)";
		}
		return null;
	}

	private static String cudaError(Class<?> cudart, int rc) {
		try {
			return ((BytePointer) cudart.getMethod("cudaGetErrorString", int.class).invoke(null, rc)).getString()
					+ " (error " + rc + ")";
		}
		catch (ReflectiveOperationException ex) {
			return "error " + rc;
		}
	}

	/**
	 * The innermost cause, which names what is missing (e.g.
	 * {@code libcuda.so.1: cannot open shared object}).
	 */
	static String describe(Throwable ex) {
		Throwable t = ex;
		for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 10; depth++) {
			t = t.getCause();
		}
		return t.getClass().getSimpleName() + ": " + t.getMessage();
	}

	static String oneLine(String text) {
		String line = text.replaceAll("\\s+", " ").trim();
		return line.length() > 500 ? line.substring(0, 500) + "..." : line;
	}

}
