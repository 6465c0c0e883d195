package io.fitserve.ml.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major double matrix products straight through OpenBLAS's {@code cblas_dgemm} (the
 * library ND4J's CPU backend itself ships), on native memory that ND4J allocated.
 * <p>
 * A mini-batch of an MLP is a handful of small products (200 x 50 x 64 and smaller): as
 * an ND4J {@code Nd4j.gemm} each is a custom op (op context, shape buffers, argument
 * checks) whose fixed cost was about as large as the arithmetic; the direct call costs a
 * JNI transition. The arithmetic is OpenBLAS's either way, so results are those of the
 * same kernels. The normal equations of an exact linear regression add a 1,024-row
 * block's cross products the same way (about 0.2 ms a call at 22 columns, where the
 * {@code Nd4j.gemm} of a 4,096-row block took 0.8 ms).
 * <p>
 * Used only with ND4J's CPU backend (on another backend the arrays' host memory need not
 * be current) and when the OpenBLAS binding loads; otherwise callers fall back to
 * {@code Nd4j.gemm}.
 */
public final class DirectGemm {

	/** Whether {@link #gemm} may be used. */
	public static final boolean AVAILABLE = available();

	private DirectGemm() {
	}

	private static boolean available() {
		try {
			if (!Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu")) {
				return false;
			}
			Loader.load(openblas_nolapack.class);
			return true;
		}
		catch (Throwable ex) {
			return false;
		}
	}

	/**
	 * A pointer at element 0 of a C-order array (or view), for {@link #gemm}; the caller
	 * keeps the array reachable while the pointer is used.
	 */
	public static DoublePointer pointer(INDArray array) {
		DoublePointer pointer = new DoublePointer(array.data().pointer());
		pointer.position(array.offset());
		return pointer;
	}

	/**
	 * {@code C = alpha * op(A) op(B) + beta * C}, row-major; op(A) is m x k, op(B) k x n,
	 * C m x n. Each matrix is given by a pointer, an element offset and its leading
	 * dimension (the row length as stored).
	 */
	public static void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha, DoublePointer a,
			long aOffset, int lda, DoublePointer b, long bOffset, int ldb, double beta, DoublePointer c, long cOffset,
			int ldc) {
		openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
				transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
				transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, alpha,
				at(a, aOffset), lda, at(b, bOffset), ldb, beta, at(c, cOffset), ldc);
	}

	/** A pointer offset elements past p (p itself is left as it is: it may be shared). */
	private static DoublePointer at(DoublePointer p, long offset) {
		return (offset == 0) ? p : new DoublePointer(p).position(p.position() + offset);
	}

}
