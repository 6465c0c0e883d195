package io.fitserve.compute;

/**
 * The GPU architectures ND4J 1.0.0-M2.1's CUDA kernels can run on. libnd4jcuda.so holds
 * cubins for sm_37, 50, 52, 60, 61, 70, 75, 80 and 86 and no PTX (counted from its 228
 * fat binaries), so nothing can be JIT-compiled for a newer architecture. A cubin for
 * sm_XY runs on compute capability X.Z with Z >= Y (same major), so 8.9 (Ada) should run
 * the sm_86 code; 9.0 (Hopper) and later majors cannot run any of it.
 */
final class CudaArchitectures {

	static final int[] CUBINS = { 37, 50, 52, 60, 61, 70, 75, 80, 86 };

	private CudaArchitectures() {
	}

	static boolean runs(int major, int minor) {
		for (int sm : CUBINS) {
			if (sm / 10 == major && sm % 10 <= minor) {
				return true;
			}
		}
		return false;
	}

	static String unsupported(int major, int minor) {
		return "compute capability " + major + "." + minor
				+ " cannot run ND4J 1.0.0-M2.1's CUDA kernels (built for sm_37 to sm_86, no PTX)";
	}

}
