package io.fitserve.ml;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mutable ND4J form of a dense network during training. All weights and biases live in one flat native vector (and
 * the gradients in another of the same layout), so an optimizer step or a snapshot is one pass; the per-layer weight
 * matrices are views into it. Matrix products run through BLAS (gemm); bias, activation derivative and loss passes are
 * plain Java loops over the same native memory.
 */
final class TrainableNetwork {

	/** Rows per chunk: with 50 features a chunk of x is 3.2 MB, so it is still cached for the backward product. */
	static final int DEFAULT_CHUNK_ROWS = 8192;

	private final int[] sizes;

	private final Activation activation;

	private final LossKind loss;

	private final double l2;

	private final NativeMatrix params;

	private final NativeMatrix gradient;

	private final INDArray[] weights;

	private final INDArray[] biases;

	private final INDArray[] weightGradients;

	/** Flat (row vector) views of the weight matrices and their gradients, for the L2 term. */
	private final INDArray[] flatWeights;

	private final INDArray[] flatWeightGradients;

	/** Offset of each layer's bias in the flat vectors. */
	private final long[] biasOffsets;

	/** Rows per forward/backward chunk. */
	private int chunkRows = DEFAULT_CHUNK_ROWS;

	/** Buffers per chunk size: the full chunk, the last chunk of a batch and of the last batch. */
	private final Map<Integer, BatchBuffers> buffers = new HashMap<>();

	/**
	 * @param sizes layer widths: inputs, hidden..., outputs
	 * @param initialParams flat parameters: per layer, weights row-major [inputs][outputs] then the bias
	 */
	TrainableNetwork(int[] sizes, Activation activation, LossKind loss, double l2, double[] initialParams) {
		this.sizes = sizes.clone();
		this.activation = activation;
		this.loss = loss;
		this.l2 = l2;
		int layers = sizes.length - 1;
		long count = parameterCount(sizes);
		if (initialParams.length != count) {
			throw new IllegalArgumentException("expected " + count + " parameters, got " + initialParams.length);
		}
		this.params = NativeMatrix.wrap(Nd4j.create(initialParams, new long[] { 1, count }, DataType.DOUBLE));
		this.gradient = NativeMatrix.wrap(Nd4j.zeros(DataType.DOUBLE, 1, count));
		this.weights = new INDArray[layers];
		this.biases = new INDArray[layers];
		this.weightGradients = new INDArray[layers];
		this.flatWeights = new INDArray[layers];
		this.flatWeightGradients = new INDArray[layers];
		this.biasOffsets = new long[layers];
		long offset = 0;
		for (int l = 0; l < layers; l++) {
			int in = sizes[l];
			int out = sizes[l + 1];
			long w = (long) in * out;
			this.flatWeights[l] = segment(this.params.array, offset, w);
			this.flatWeightGradients[l] = segment(this.gradient.array, offset, w);
			this.weights[l] = this.flatWeights[l].reshape('c', in, out);
			this.weightGradients[l] = this.flatWeightGradients[l].reshape('c', in, out);
			offset += w;
			this.biasOffsets[l] = offset;
			this.biases[l] = segment(this.params.array, offset, out);
			offset += out;
		}
	}

	static long parameterCount(int[] sizes) {
		long count = 0;
		for (int l = 0; l + 1 < sizes.length; l++) {
			count += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
		}
		return count;
	}

	/** Builds the ND4J form of trained weights (for evaluation and tests). */
	static TrainableNetwork of(NetworkWeights net, LossKind loss) {
		int[] sizes = layerSizes(net);
		double[] flat = new double[Math.toIntExact(parameterCount(sizes))];
		int offset = 0;
		for (DenseLayer layer : net.layers()) {
			System.arraycopy(layer.weights(), 0, flat, offset, layer.weights().length);
			offset += layer.weights().length;
			System.arraycopy(layer.bias(), 0, flat, offset, layer.bias().length);
			offset += layer.bias().length;
		}
		return new TrainableNetwork(sizes, net.hiddenActivation(), loss, 0.0, flat);
	}

	private static int[] layerSizes(NetworkWeights net) {
		int[] sizes = new int[net.layers().size() + 1];
		sizes[0] = net.layers().get(0).inputs();
		for (int l = 0; l < net.layers().size(); l++) {
			sizes[l + 1] = net.layers().get(l).outputs();
		}
		return sizes;
	}

	private static INDArray segment(INDArray flat, long offset, long length) {
		return flat.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(offset, offset + length));
	}

	INDArray params() {
		return this.params.array;
	}

	int parameterCount() {
		return this.params.cols;
	}

	/** A copy of the current gradient, in the flat parameter layout. */
	double[] gradientArray() {
		return this.gradient.array.toDoubleVector();
	}

	/** Applies one optimizer step from the current gradient. */
	void step(ParameterUpdater updater) {
		updater.apply(this.params.ix, this.gradient.ix);
		Reference.reachabilityFence(this);
	}

	/**
	 * One forward and backward pass over a batch: fills the gradient with that of the batch objective (mean data loss
	 * plus {@code l2/2 * |W|^2}) and returns the summed per-row data loss. Large batches are processed in row chunks
	 * whose gradients are accumulated: the activation buffers stay bounded, and each chunk of x is still in cache when
	 * the backward product reads it again.
	 */
	double forwardBackward(NativeMatrix x, NativeMatrix y) {
		try {
			int rows = x.rows;
			double gradScale = 1.0 / rows;
			double dataLoss = 0;
			for (int start = 0; start < rows; start += this.chunkRows) {
				int end = Math.min(rows, start + this.chunkRows);
				INDArray xChunk = (start == 0 && end == rows) ? x.array
						: x.array.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
				NativeMatrix yChunk = (start == 0 && end == rows) ? y : y.rowSlice(start, end);
				dataLoss += forwardBackwardChunk(xChunk, yChunk, gradScale, start > 0);
			}
			if (this.l2 > 0) {
				for (int l = 0; l < this.weights.length; l++) {
					Nd4j.getBlasWrapper().axpy(this.l2, this.flatWeights[l], this.flatWeightGradients[l]);
				}
			}
			return dataLoss;
		}
		finally {
			// the raw indexers do not keep the native memory alive; the arrays must stay reachable while in use
			Reference.reachabilityFence(x);
			Reference.reachabilityFence(y);
		}
	}

	private double forwardBackwardChunk(INDArray x, NativeMatrix y, double gradScale, boolean accumulate) {
		BatchBuffers buffers = buffersFor((int) x.rows());
		int layers = this.weights.length;
		INDArray in = x;
		for (int l = 0; l < layers; l++) {
			NativeMatrix z = buffers.activations[l];
			Nd4j.gemm(in, this.weights[l], z.array, false, false, 1.0, 0.0);
			boolean hidden = l < layers - 1;
			addBias(z, l, hidden && this.activation == Activation.RELU);
			if (hidden && this.activation != Activation.RELU) {
				activate(z.array);
			}
			in = z.array;
		}
		NativeMatrix output = buffers.activations[layers - 1];
		double dataLoss = this.loss.evaluate(output.ix, y.ix, buffers.deltas[layers - 1].ix, output.rows, output.cols,
				gradScale);
		double beta = accumulate ? 1.0 : 0.0;
		for (int l = layers - 1; l >= 0; l--) {
			NativeMatrix delta = buffers.deltas[l];
			INDArray previous = (l == 0) ? x : buffers.activations[l - 1].array;
			Nd4j.gemm(previous, delta.array, this.weightGradients[l], true, false, 1.0, beta);
			columnSums(delta, this.biasOffsets[l], accumulate);
			if (l > 0) {
				NativeMatrix previousDelta = buffers.deltas[l - 1];
				Nd4j.gemm(delta.array, this.weights[l], previousDelta.array, false, true, 1.0, 0.0);
				multiplyByDerivative(previousDelta, buffers.activations[l - 1]);
			}
		}
		return dataLoss;
	}

	/** z += bias of layer l, row by row; optionally followed by ReLU in the same pass. */
	private void addBias(NativeMatrix z, int layer, boolean relu) {
		int cols = z.cols;
		double[] bias = new double[cols];
		long offset = this.biasOffsets[layer];
		for (int j = 0; j < cols; j++) {
			bias[j] = this.params.ix.get(offset + j);
		}
		long n = (long) z.rows * cols;
		for (long i = 0, j = 0; i < n; i++) {
			double v = z.ix.get(i) + bias[(int) j];
			z.ix.put(i, (relu && !(v > 0)) ? 0.0 : v);
			if (++j == cols) {
				j = 0;
			}
		}
	}

	/** Writes (or adds) the column sums of delta, the bias gradient, into the gradient vector at offset. */
	private void columnSums(NativeMatrix delta, long offset, boolean accumulate) {
		int cols = delta.cols;
		double[] sums = new double[cols];
		long n = (long) delta.rows * cols;
		for (long i = 0, j = 0; i < n; i++) {
			sums[(int) j] += delta.ix.get(i);
			if (++j == cols) {
				j = 0;
			}
		}
		for (int j = 0; j < cols; j++) {
			this.gradient.ix.put(offset + j, accumulate ? this.gradient.ix.get(offset + j) + sums[j] : sums[j]);
		}
	}

	/** delta *= f'(a), with the derivative expressed through the activation's output a. */
	private void multiplyByDerivative(NativeMatrix delta, NativeMatrix a) {
		long n = (long) delta.rows * delta.cols;
		switch (this.activation) {
			case RELU -> {
				for (long i = 0; i < n; i++) {
					if (!(a.ix.get(i) > 0)) {
						delta.ix.put(i, 0.0);
					}
				}
			}
			case TANH -> {
				for (long i = 0; i < n; i++) {
					double v = a.ix.get(i);
					delta.ix.put(i, delta.ix.get(i) * (1 - v * v));
				}
			}
			case SIGMOID -> {
				for (long i = 0; i < n; i++) {
					double v = a.ix.get(i);
					delta.ix.put(i, delta.ix.get(i) * v * (1 - v));
				}
			}
		}
	}

	/** The summed per-row data loss over x (allocates; used for validation). */
	double lossSum(NativeMatrix x, NativeMatrix y) {
		NativeMatrix z = NativeMatrix.wrap(scores(x.array));
		try {
			return this.loss.evaluate(z.ix, y.ix, null, z.rows, z.cols, 0.0);
		}
		finally {
			Reference.reachabilityFence(z);
			Reference.reachabilityFence(y);
		}
	}

	/** The last layer's raw scores, with ND4J ops only (allocates). */
	INDArray scores(INDArray x) {
		INDArray in = x;
		for (int l = 0; l < this.weights.length; l++) {
			INDArray z = Nd4j.createUninitialized(DataType.DOUBLE, new long[] { in.rows(), this.sizes[l + 1] }, 'c');
			Nd4j.gemm(in, this.weights[l], z, false, false, 1.0, 0.0);
			z.addiRowVector(this.biases[l]);
			if (l < this.weights.length - 1) {
				if (this.activation == Activation.RELU) {
					Transforms.relu(z, false);
				}
				else {
					activate(z);
				}
			}
			in = z;
		}
		return in;
	}

	/** tanh or sigmoid in place (native transforms: cheap per call, and threaded on large arrays). */
	private void activate(INDArray z) {
		switch (this.activation) {
			case RELU -> Transforms.relu(z, false);
			case TANH -> Transforms.tanh(z, false);
			case SIGMOID -> Transforms.sigmoid(z, false);
		}
	}

	private BatchBuffers buffersFor(int rows) {
		return this.buffers.computeIfAbsent(rows, BatchBuffers::new);
	}

	/** For tests: process batches in chunks of this many rows. */
	void setChunkRows(int chunkRows) {
		this.chunkRows = chunkRows;
		this.buffers.clear();
	}

	/** Copies the current parameters into a Java array (same flat layout as the constructor takes). */
	double[] toArray() {
		return this.params.array.toDoubleVector();
	}

	/**
	 * Converts to immutable weights; the last layer is mapped through {@code value * scale + shift} (used to fold
	 * regression target standardization back into original units).
	 */
	NetworkWeights toWeights(OutputKind output, double scale, double shift) {
		double[] flat = toArray();
		List<DenseLayer> layers = new ArrayList<>();
		int offset = 0;
		for (int l = 0; l + 1 < this.sizes.length; l++) {
			int in = this.sizes[l];
			int out = this.sizes[l + 1];
			double[] w = java.util.Arrays.copyOfRange(flat, offset, offset + in * out);
			offset += in * out;
			double[] b = java.util.Arrays.copyOfRange(flat, offset, offset + out);
			offset += out;
			if (l + 2 == this.sizes.length && (scale != 1.0 || shift != 0.0)) {
				for (int i = 0; i < w.length; i++) {
					w[i] *= scale;
				}
				for (int j = 0; j < b.length; j++) {
					b[j] = b[j] * scale + shift;
				}
			}
			layers.add(new DenseLayer(in, out, w, b));
		}
		return new NetworkWeights(List.copyOf(layers), this.activation, output);
	}

	/** Preallocated per-batch arrays, reused while the batch size stays the same. */
	private final class BatchBuffers {

		final int rows;

		final NativeMatrix[] activations;

		final NativeMatrix[] deltas;

		BatchBuffers(int rows) {
			this.rows = rows;
			int layers = TrainableNetwork.this.weights.length;
			this.activations = new NativeMatrix[layers];
			this.deltas = new NativeMatrix[layers];
			for (int l = 0; l < layers; l++) {
				int width = TrainableNetwork.this.sizes[l + 1];
				this.activations[l] = NativeMatrix.allocate(rows, width);
				this.deltas[l] = NativeMatrix.allocate(rows, width);
			}
		}

	}

}
