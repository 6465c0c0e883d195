package io.fitserve.ml.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A kernel with its parameters resolved (gamma already numeric). */
public record KernelFunction(Kernel kernel, double gamma, int degree, double coef0) {

	double evaluate(double[] a, double[] b) {
		return fromDot(dot(a, b), dot(a, a), dot(b, b));
	}

	/**
	 * The kernel from the dot product and the two squared norms (RBF: |a-b|^2 = |a|^2 +
	 * |b|^2 - 2 a.b).
	 */
	double fromDot(double dot, double squaredNormA, double squaredNormB) {
		return switch (this.kernel) {
			case LINEAR -> dot;
			case POLY -> Math.pow(this.gamma * dot + this.coef0, this.degree);
			// rounding can make the expanded distance slightly negative for
			// (near-)identical rows
			case RBF -> Math.exp(-this.gamma * Math.max(0.0, squaredNormA + squaredNormB - 2 * dot));
		};
	}

	/** K(a_i, b_j) for all pairs, the dot products by one gemm. */
	double[][] matrix(double[][] a, double[][] b) {
		INDArray left = Nd4j.createFromArray(a);
		INDArray right = Nd4j.createFromArray(b);
		double[][] result = rows(left.mmul(right.transpose()));
		left.close();
		right.close();
		double[] normsB = new double[b.length];
		for (int j = 0; j < b.length; j++) {
			normsB[j] = dot(b[j], b[j]);
		}
		for (int i = 0; i < a.length; i++) {
			double normA = dot(a[i], a[i]);
			double[] row = result[i];
			for (int j = 0; j < row.length; j++) {
				row[j] = fromDot(row[j], normA, normsB[j]);
			}
		}
		return result;
	}

	/**
	 * A matrix's rows, by one bulk copy (toDoubleMatrix() reads element by element and is
	 * several times slower).
	 */
	public static double[][] rows(INDArray matrix) {
		INDArray plain = (matrix.ordering() == 'c' && !matrix.isView()) ? matrix : matrix.dup('c');
		int rows = (int) plain.rows();
		int cols = (int) plain.columns();
		double[] flat = plain.data().asDouble();
		if (plain != matrix) {
			plain.close();
		}
		double[][] result = new double[rows][];
		for (int r = 0; r < rows; r++) {
			result[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
		}
		return result;
	}

	static double dot(double[] a, double[] b) {
		double s = 0;
		for (int j = 0; j < a.length; j++) {
			s += a[j] * b[j];
		}
		return s;
	}

}
