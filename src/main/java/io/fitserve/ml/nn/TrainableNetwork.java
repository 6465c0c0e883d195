package io.fitserve.ml.nn;

import io.fitserve.ml.linalg.DirectGemm;
import io.fitserve.ml.linalg.NativeMatrix;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mutable ND4J form of a dense network during training. All weights and biases live
 * in one flat native vector (and the gradients in another of the same layout), so an
 * optimizer step or a snapshot is one pass; the per-layer weight matrices are views into
 * it. Matrix products run through BLAS (gemm); bias, activation derivative, batch-norm,
 * dropout and loss passes are plain Java loops over the same native memory.
 * <p>
 * Flat layout: per layer its weights row-major [inputs][outputs] then its bias; with
 * batch normalization, after all layers, per hidden layer its scale (gamma) then its
 * shift (beta). {@link #forwardBackward} runs in training mode (batch statistics,
 * dropout); {@link #scores} and {@link #lossSum} in inference mode (running statistics,
 * no dropout).
 */
final class TrainableNetwork {

	/**
	 * Rows per chunk: with 50 features a chunk of x is 3.2 MB, so it is still cached for
	 * the backward product.
	 */
	static final int DEFAULT_CHUNK_ROWS = 8192;

	/**
	 * Added to variances before the square root in batch normalization (PyTorch's and
	 * Keras' default order).
	 */
	static final double BATCH_NORM_EPSILON = 1e-5;

	/**
	 * Weight of the old value in the running mean and variance of batch normalization.
	 */
	static final double BATCH_NORM_MOMENTUM = 0.9;

	private final int[] sizes;

	private final Activation activation;

	private final LossKind loss;

	private final double l2;

	/** Per class, multiplying each row's loss; null = all 1. */
	private final double[] classWeights;

	private final boolean batchNorm;

	private final double dropout;

	private final SplittableRandom dropoutRandom;

	private final NativeMatrix params;

	private final NativeMatrix gradient;

	private final INDArray[] weights;

	private final INDArray[] biases;

	private final INDArray[] weightGradients;

	/**
	 * Flat (row vector) views of the weight matrices and their gradients, for the L2
	 * term.
	 */
	private final INDArray[] flatWeights;

	private final INDArray[] flatWeightGradients;

	/** Offset of each layer's bias in the flat vectors. */
	private final long[] biasOffsets;

	/** Offset of each layer's weights in the flat vectors. */
	private final long[] weightOffsets;

	/**
	 * Pointers at the flat parameters and gradient for {@link DirectGemm}; null when it
	 * is unavailable.
	 */
	private final DoublePointer paramsPointer;

	private final DoublePointer gradientPointer;

	/** Whether products go through {@link DirectGemm} (else ND4J's gemm). */
	private boolean directGemm = DirectGemm.AVAILABLE;

	/**
	 * Offset of each hidden layer's batch-norm gamma (beta follows it); empty without
	 * batch norm.
	 */
	private final long[] normOffsets;

	/** Batch norm running statistics per hidden layer (inference mode). */
	private final double[][] runningMean;

	private final double[][] runningVariance;

	/** Rows per forward/backward chunk. */
	private int chunkRows = DEFAULT_CHUNK_ROWS;

	/** Heap buffers for the element-wise passes; see {@link #scratch}. */
	private final double[][] scratch = { new double[0], new double[0] };

	/**
	 * Buffers per chunk size: the full chunk, the last chunk of a batch and of the last
	 * batch.
	 */
	private final Map<Integer, BatchBuffers> buffers = new HashMap<>();

	/** The buffers used last: every batch but an epoch's last has the same rows. */
	private BatchBuffers lastBuffers;

	/**
	 * @param sizes layer widths: inputs, hidden..., outputs
	 * @param initialParams flat parameters: per layer, weights row-major
	 * [inputs][outputs] then the bias
	 */
	TrainableNetwork(int[] sizes, Activation activation, LossKind loss, double l2, double[] initialParams) {
		this(sizes, activation, loss, l2, initialParams, null, false, 0.0, null);
	}

	/**
	 * @param initialParams the dense layers' parameters, optionally followed by the
	 * batch-norm gammas and betas (when absent they start at 1 and 0)
	 * @param classWeights per class, multiplying each row's loss; null = all 1
	 * @param batchNorm batch normalization after each hidden layer's affine step (before
	 * its activation)
	 * @param dropout probability of zeroing a hidden unit in training (inverted dropout);
	 * 0 = off
	 * @param dropoutRandom source of the dropout masks (required when dropout > 0)
	 */
	TrainableNetwork(int[] sizes, Activation activation, LossKind loss, double l2, double[] initialParams,
			double[] classWeights, boolean batchNorm, double dropout, SplittableRandom dropoutRandom) {
		this.sizes = sizes.clone();
		this.activation = activation;
		this.loss = loss;
		this.l2 = l2;
		this.classWeights = (classWeights != null) ? classWeights.clone() : null;
		int layers = sizes.length - 1;
		int hiddenLayers = layers - 1;
		this.batchNorm = batchNorm && hiddenLayers > 0;
		this.dropout = (hiddenLayers > 0) ? dropout : 0.0;
		if (this.dropout > 0 && dropoutRandom == null) {
			throw new IllegalArgumentException("dropout needs a random source");
		}
		this.dropoutRandom = dropoutRandom;
		long dense = parameterCount(sizes);
		long normCount = 0;
		for (int h = 0; this.batchNorm && h < hiddenLayers; h++) {
			normCount += 2L * sizes[h + 1];
		}
		long count = dense + normCount;
		double[] flat;
		if (initialParams.length == count) {
			flat = initialParams;
		}
		else if (initialParams.length == dense) {
			flat = Arrays.copyOf(initialParams, Math.toIntExact(count));
		}
		else {
			throw new IllegalArgumentException("expected " + count + " parameters, got " + initialParams.length);
		}
		this.normOffsets = new long[this.batchNorm ? hiddenLayers : 0];
		this.runningMean = new double[this.normOffsets.length][];
		this.runningVariance = new double[this.normOffsets.length][];
		long normOffset = dense;
		for (int h = 0; h < this.normOffsets.length; h++) {
			int width = sizes[h + 1];
			this.normOffsets[h] = normOffset;
			if (initialParams.length == dense) {
				Arrays.fill(flat, (int) normOffset, (int) normOffset + width, 1.0);
			}
			this.runningMean[h] = new double[width];
			this.runningVariance[h] = new double[width];
			Arrays.fill(this.runningVariance[h], 1.0);
			normOffset += 2L * width;
		}
		if (this.batchNorm) {
			// batch statistics must cover the whole batch, so a batch is never split into
			// chunks
			this.chunkRows = Integer.MAX_VALUE;
		}
		this.params = NativeMatrix.wrap(Nd4j.create(flat, new long[] { 1, count }, DataType.DOUBLE));
		this.gradient = NativeMatrix.wrap(Nd4j.zeros(DataType.DOUBLE, 1, count));
		this.weights = new INDArray[layers];
		this.biases = new INDArray[layers];
		this.weightGradients = new INDArray[layers];
		this.flatWeights = new INDArray[layers];
		this.flatWeightGradients = new INDArray[layers];
		this.biasOffsets = new long[layers];
		this.weightOffsets = new long[layers];
		this.paramsPointer = DirectGemm.AVAILABLE ? DirectGemm.pointer(this.params.array) : null;
		this.gradientPointer = DirectGemm.AVAILABLE ? DirectGemm.pointer(this.gradient.array) : null;
		long offset = 0;
		for (int l = 0; l < layers; l++) {
			int in = sizes[l];
			int out = sizes[l + 1];
			long w = (long) in * out;
			this.weightOffsets[l] = offset;
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

	/** The number of dense-layer parameters (weights and biases, no batch norm). */
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

	LossKind loss() {
		return this.loss;
	}

	/**
	 * True for the entries of the flat layout that are weights (penalized), false for
	 * biases and batch norm.
	 */
	boolean[] weightMask() {
		boolean[] mask = new boolean[parameterCount()];
		long offset = 0;
		for (int l = 0; l + 1 < this.sizes.length; l++) {
			long w = (long) this.sizes[l] * this.sizes[l + 1];
			Arrays.fill(mask, (int) offset, (int) (offset + w), true);
			offset += w + this.sizes[l + 1];
		}
		return mask;
	}

	double l2() {
		return this.l2;
	}

	/**
	 * A pointer of its own at parameter {@code from} of the flat layout; it does not keep
	 * the parameters' memory alive.
	 */
	DoublePointer parametersAt(int from) {
		return at(this.params, from);
	}

	/** As {@link #parametersAt} into the gradient. */
	DoublePointer gradientAt(int from) {
		return at(this.gradient, from);
	}

	private static DoublePointer at(NativeMatrix vector, int from) {
		DoublePointer base = vector.pointer();
		DoublePointer pointer = new DoublePointer(base);
		pointer.position(base.position() + from);
		return pointer;
	}

	/** A copy of the current gradient, in the flat parameter layout. */
	double[] gradientArray() {
		return this.gradient.array.toDoubleVector();
	}

	/** Overwrites the parameters (flat layout). */
	void setParameters(double[] values) {
		for (int i = 0; i < values.length; i++) {
			this.params.ix.put(i, values[i]);
		}
		Reference.reachabilityFence(this);
	}

	/** Applies one optimizer step from the current gradient. */
	void step(ParameterUpdater updater) {
		updater.apply(this.params, this.gradient);
		Reference.reachabilityFence(this);
	}

	/**
	 * Copies everything that defines the trained network (parameters and running
	 * statistics) into a snapshot.
	 */
	Snapshot snapshot(Snapshot reuse) {
		Snapshot target = (reuse != null) ? reuse
				: new Snapshot(this.params.array.dup(), copy(this.runningMean), copy(this.runningVariance));
		if (reuse != null) {
			reuse.params.assign(this.params.array);
			for (int h = 0; h < this.runningMean.length; h++) {
				System.arraycopy(this.runningMean[h], 0, reuse.mean[h], 0, this.runningMean[h].length);
				System.arraycopy(this.runningVariance[h], 0, reuse.variance[h], 0, this.runningVariance[h].length);
			}
		}
		return target;
	}

	void restore(Snapshot snapshot) {
		this.params.array.assign(snapshot.params);
		for (int h = 0; h < this.runningMean.length; h++) {
			System.arraycopy(snapshot.mean[h], 0, this.runningMean[h], 0, this.runningMean[h].length);
			System.arraycopy(snapshot.variance[h], 0, this.runningVariance[h], 0, this.runningVariance[h].length);
		}
	}

	private static double[][] copy(double[][] values) {
		double[][] result = new double[values.length][];
		for (int i = 0; i < values.length; i++) {
			result[i] = values[i].clone();
		}
		return result;
	}

	/**
	 * Saved parameters and batch-norm running statistics (for restoring the best epoch).
	 */
	record Snapshot(INDArray params, double[][] mean, double[][] variance) {
	}

	/**
	 * One forward and backward pass over a batch in training mode: fills the gradient
	 * with that of the batch objective (mean class-weighted data loss plus
	 * {@code l2/2 * |W|^2}) and returns the summed per-row (weighted) data loss. Large
	 * batches are processed in row chunks whose gradients are accumulated: the activation
	 * buffers stay bounded, and each chunk of x is still in cache when the backward
	 * product reads it again (not with batch norm, whose statistics need the whole
	 * batch).
	 */
	double forwardBackward(NativeMatrix x, NativeMatrix y) {
		double dataLoss = dataGradient(x, y, 1.0 / x.rows);
		addL2Gradient();
		return dataLoss;
	}

	/**
	 * The data part of {@link #forwardBackward}: fills the gradient with gradScale times
	 * the summed (weighted) data-loss gradient over x's rows and returns their summed
	 * data loss.
	 */
	double dataGradient(NativeMatrix x, NativeMatrix y, double gradScale) {
		try {
			int rows = x.rows;
			double dataLoss = 0;
			// x's own pointer rather than a new one per call
			DoublePointer xPointer = this.directGemm ? x.pointer() : null;
			for (int start = 0; start < rows; start += this.chunkRows) {
				int end = (int) Math.min(rows, (long) start + this.chunkRows);
				INDArray xChunk = (start == 0 && end == rows) ? x.array
						: x.array.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
				NativeMatrix yChunk = (start == 0 && end == rows) ? y : y.rowSlice(start, end);
				dataLoss += forwardBackwardChunk(xChunk, xPointer, (long) start * x.cols, yChunk, gradScale, start > 0);
			}
			return dataLoss;
		}
		finally {
			// the raw indexers do not keep the native memory alive; the arrays must stay
			// reachable while in use
			Reference.reachabilityFence(x);
			Reference.reachabilityFence(y);
			Reference.reachabilityFence(this);
		}
	}

	/** Adds the L2 penalty's gradient, {@code l2 * W}, to the weights' gradient. */
	void addL2Gradient() {
		if (this.l2 > 0) {
			for (int l = 0; l < this.weights.length; l++) {
				Nd4j.getBlasWrapper().axpy(this.l2, this.flatWeights[l], this.flatWeightGradients[l]);
			}
		}
	}

	/** Adds another network's gradient (same layout) to this one's. */
	void addGradient(TrainableNetwork other) {
		int n = parameterCount();
		double[] mine = scratch(0, n);
		double[] theirs = other.scratch(0, n);
		this.gradient.copyTo(mine);
		other.gradient.copyTo(theirs);
		for (int i = 0; i < n; i++) {
			mine[i] += theirs[i];
		}
		this.gradient.copyFrom(mine);
	}

	/** Whether {@link #replica} can be called: no batch norm, no dropout. */
	boolean hasReplica() {
		return !this.batchNorm && this.dropout == 0;
	}

	/**
	 * A network that shares this one's parameters (read-only while it computes) with its
	 * own gradient and working memory: a second thread's half of a batch
	 * ({@link SplitBatches}). Not for batch normalization or dropout, whose statistics
	 * and masks belong to the whole batch.
	 */
	TrainableNetwork replica() {
		if (!hasReplica()) {
			throw new IllegalStateException("a network with batch norm or dropout has no replica");
		}
		return new TrainableNetwork(this);
	}

	private TrainableNetwork(TrainableNetwork shared) {
		this.sizes = shared.sizes;
		this.activation = shared.activation;
		this.loss = shared.loss;
		this.l2 = shared.l2;
		this.classWeights = shared.classWeights;
		this.batchNorm = false;
		this.dropout = 0.0;
		this.dropoutRandom = null;
		this.params = shared.params;
		this.gradient = NativeMatrix.wrap(Nd4j.zeros(DataType.DOUBLE, 1, shared.parameterCount()));
		int layers = shared.weights.length;
		this.weights = shared.weights;
		this.biases = shared.biases;
		this.flatWeights = shared.flatWeights;
		this.biasOffsets = shared.biasOffsets;
		this.weightOffsets = shared.weightOffsets;
		this.weightGradients = new INDArray[layers];
		this.flatWeightGradients = new INDArray[layers];
		for (int l = 0; l < layers; l++) {
			this.flatWeightGradients[l] = segment(this.gradient.array, this.weightOffsets[l],
					(long) this.sizes[l] * this.sizes[l + 1]);
			this.weightGradients[l] = this.flatWeightGradients[l].reshape('c', this.sizes[l], this.sizes[l + 1]);
		}
		this.paramsPointer = shared.paramsPointer;
		this.gradientPointer = DirectGemm.AVAILABLE ? DirectGemm.pointer(this.gradient.array) : null;
		this.directGemm = shared.directGemm;
		this.normOffsets = new long[0];
		this.runningMean = new double[0][];
		this.runningVariance = new double[0][];
		this.chunkRows = shared.chunkRows;
	}

	/**
	 * @param xPointer x's memory for {@link DirectGemm} (null: use ND4J's gemm), its rows
	 * starting xOffset elements further
	 */
	private double forwardBackwardChunk(INDArray x, DoublePointer xPointer, long xOffset, NativeMatrix y,
			double gradScale, boolean accumulate) {
		BatchBuffers buffers = buffersFor((int) x.rows());
		int layers = this.weights.length;
		INDArray in = x;
		for (int l = 0; l < layers; l++) {
			NativeMatrix a = buffers.activations[l];
			boolean hidden = l < layers - 1;
			if (hidden && this.batchNorm) {
				NativeMatrix z = buffers.normalized[l];
				forward(l, in, (l == 0) ? xPointer : null, xOffset, buffers, z);
				addBias(z, l, false, null);
				normalizeBatch(z, a, l, buffers.inverseStd[l]);
			}
			else {
				forward(l, in, (l == 0) ? xPointer : null, xOffset, buffers, a);
				addBias(a, l, hidden && this.activation == Activation.RELU, buffers.heapActivations[l]);
			}
			if (hidden && this.activation != Activation.RELU) {
				activate(a.array);
			}
			if (hidden && this.dropout > 0) {
				drop(a, buffers.masks[l], buffers.dropped[l]);
			}
			in = buffers.input(l + 1).array;
		}
		NativeMatrix output = buffers.activations[layers - 1];
		double dataLoss = this.loss.evaluate(output.ix, y.ix, buffers.deltas[layers - 1].ix, output.rows, output.cols,
				gradScale, this.classWeights);
		double beta = accumulate ? 1.0 : 0.0;
		// column sums of a delta computed by the fused ReLU pass of the layer above
		double[] sums = null;
		for (int l = layers - 1; l >= 0; l--) {
			NativeMatrix delta = buffers.deltas[l];
			int inputs = this.sizes[l];
			int outputs = this.sizes[l + 1];
			if (this.directGemm) {
				DoublePointer previous = (l == 0) ? xPointer : buffers.inputPointer(l);
				DirectGemm.gemm(true, false, inputs, outputs, delta.rows, 1.0, previous, (l == 0) ? xOffset : 0, inputs,
						buffers.deltaPointers[l], 0, outputs, beta, this.gradientPointer, this.weightOffsets[l],
						outputs);
			}
			else {
				INDArray previous = (l == 0) ? x : buffers.input(l).array;
				Nd4j.gemm(previous, delta.array, this.weightGradients[l], true, false, 1.0, beta);
			}
			if (sums != null) {
				writeBiasGradient(sums, this.biasOffsets[l], accumulate);
				sums = null;
			}
			else {
				columnSums(delta, this.biasOffsets[l], accumulate);
			}
			if (l > 0) {
				NativeMatrix previousDelta = buffers.deltas[l - 1];
				if (this.directGemm) {
					DirectGemm.gemm(false, true, delta.rows, inputs, outputs, 1.0, buffers.deltaPointers[l], 0, outputs,
							this.paramsPointer, this.weightOffsets[l], outputs, 0.0, buffers.deltaPointers[l - 1], 0,
							inputs);
				}
				else {
					Nd4j.gemm(delta.array, this.weights[l], previousDelta.array, false, true, 1.0, 0.0);
				}
				if (this.dropout > 0) {
					multiply(previousDelta, buffers.masks[l - 1]);
				}
				double[] heapActivations = buffers.heapActivations[l - 1];
				if (heapActivations != null && this.dropout == 0 && !this.batchNorm) {
					sums = reluBackward(previousDelta, heapActivations);
				}
				else {
					multiplyByDerivative(previousDelta, buffers.activations[l - 1]);
				}
				if (this.batchNorm) {
					normalizeBackward(previousDelta, buffers.normalized[l - 1], l - 1, buffers.inverseStd[l - 1],
							accumulate);
				}
			}
		}
		return dataLoss;
	}

	/**
	 * target = in * W of layer l: through {@link DirectGemm} when the network has
	 * pointers (in is x, at inPointer + inOffset, for l = 0, else the buffers' input of
	 * layer l), else ND4J's gemm.
	 */
	private void forward(int l, INDArray in, DoublePointer inPointer, long inOffset, BatchBuffers buffers,
			NativeMatrix target) {
		if (this.directGemm) {
			int inputs = this.sizes[l];
			int outputs = this.sizes[l + 1];
			DoublePointer input = (l == 0) ? inPointer : buffers.inputPointer(l);
			DirectGemm.gemm(false, false, target.rows, outputs, inputs, 1.0, input, (l == 0) ? inOffset : 0, inputs,
					this.paramsPointer, this.weightOffsets[l], outputs, 0.0, buffers.pointers.get(target), 0, outputs);
		}
		else {
			Nd4j.gemm(in, this.weights[l], target.array, false, false, 1.0, 0.0);
		}
	}

	/**
	 * z += bias of layer l, row by row; optionally followed by ReLU in the same pass.
	 * @param keep null, or a heap array (at least z's size) left holding the result
	 */
	private void addBias(NativeMatrix z, int layer, boolean relu, double[] keep) {
		int cols = z.cols;
		double[] bias = new double[cols];
		long offset = this.biasOffsets[layer];
		for (int j = 0; j < cols; j++) {
			bias[j] = this.params.ix.get(offset + j);
		}
		// one bulk copy each way and a plain array loop: per-element native access costs
		// more than the arithmetic
		int n = z.rows * cols;
		double[] values = (keep != null) ? keep : scratch(0, n);
		z.copyTo(values);
		if (relu) {
			for (int i = 0; i < n; i += cols) {
				for (int j = 0; j < cols; j++) {
					values[i + j] = relu(values[i + j] + bias[j]);
				}
			}
		}
		else {
			for (int i = 0; i < n; i += cols) {
				for (int j = 0; j < cols; j++) {
					values[i + j] += bias[j];
				}
			}
		}
		z.copyFrom(values);
	}

	/** Reusable heap buffers for element-wise passes (slot 0 or 1), at least n long. */
	private double[] scratch(int slot, int n) {
		if (this.scratch[slot].length < n) {
			this.scratch[slot] = new double[n];
		}
		return this.scratch[slot];
	}

	/**
	 * Batch normalization, training mode: z is replaced by
	 * {@code zhat = (z - mean) / sqrt(var + eps)} over the batch (biased variance), out
	 * receives {@code gamma * zhat + beta} (ReLU fused). The running statistics move
	 * towards the batch's with momentum 0.9, using the unbiased variance as PyTorch does.
	 */
	private void normalizeBatch(NativeMatrix z, NativeMatrix out, int hidden, double[] inverseStd) {
		int rows = z.rows;
		int cols = z.cols;
		double[] mean = new double[cols];
		double[] variance = new double[cols];
		long n = (long) rows * cols;
		for (long i = 0, j = 0; i < n; i++) {
			mean[(int) j] += z.ix.get(i);
			if (++j == cols) {
				j = 0;
			}
		}
		for (int j = 0; j < cols; j++) {
			mean[j] /= rows;
		}
		for (long i = 0, j = 0; i < n; i++) {
			double d = z.ix.get(i) - mean[(int) j];
			variance[(int) j] += d * d;
			if (++j == cols) {
				j = 0;
			}
		}
		long gammaOffset = this.normOffsets[hidden];
		double[] gamma = new double[cols];
		double[] beta = new double[cols];
		double[] runMean = this.runningMean[hidden];
		double[] runVariance = this.runningVariance[hidden];
		double unbiased = (rows > 1) ? rows / (rows - 1.0) : 1.0;
		for (int j = 0; j < cols; j++) {
			variance[j] /= rows;
			inverseStd[j] = 1.0 / Math.sqrt(variance[j] + BATCH_NORM_EPSILON);
			gamma[j] = this.params.ix.get(gammaOffset + j);
			beta[j] = this.params.ix.get(gammaOffset + cols + j);
			runMean[j] = BATCH_NORM_MOMENTUM * runMean[j] + (1 - BATCH_NORM_MOMENTUM) * mean[j];
			runVariance[j] = BATCH_NORM_MOMENTUM * runVariance[j] + (1 - BATCH_NORM_MOMENTUM) * variance[j] * unbiased;
		}
		boolean relu = this.activation == Activation.RELU;
		for (long i = 0, j = 0; i < n; i++) {
			int c = (int) j;
			double normalized = (z.ix.get(i) - mean[c]) * inverseStd[c];
			z.ix.put(i, normalized);
			double v = gamma[c] * normalized + beta[c];
			out.ix.put(i, (relu && !(v > 0)) ? 0.0 : v);
			if (++j == cols) {
				j = 0;
			}
		}
	}

	/**
	 * Batch normalization backward: g holds dLoss/d(out) on entry and dLoss/dz on return,
	 * {@code gamma * invStd * (g - mean(g) - zhat * mean(g * zhat))}; writes the gamma
	 * and beta gradients.
	 */
	private void normalizeBackward(NativeMatrix g, NativeMatrix normalized, int hidden, double[] inverseStd,
			boolean accumulate) {
		int rows = g.rows;
		int cols = g.cols;
		double[] sumG = new double[cols];
		double[] sumGz = new double[cols];
		long n = (long) rows * cols;
		for (long i = 0, j = 0; i < n; i++) {
			double v = g.ix.get(i);
			sumG[(int) j] += v;
			sumGz[(int) j] += v * normalized.ix.get(i);
			if (++j == cols) {
				j = 0;
			}
		}
		long gammaOffset = this.normOffsets[hidden];
		double[] factor = new double[cols];
		for (int j = 0; j < cols; j++) {
			long gi = gammaOffset + j;
			long bi = gammaOffset + cols + j;
			this.gradient.ix.put(gi, accumulate ? this.gradient.ix.get(gi) + sumGz[j] : sumGz[j]);
			this.gradient.ix.put(bi, accumulate ? this.gradient.ix.get(bi) + sumG[j] : sumG[j]);
			factor[j] = this.params.ix.get(gi) * inverseStd[j];
			sumG[j] /= rows;
			sumGz[j] /= rows;
		}
		for (long i = 0, j = 0; i < n; i++) {
			int c = (int) j;
			g.ix.put(i, factor[c] * (g.ix.get(i) - sumG[c] - normalized.ix.get(i) * sumGz[c]));
			if (++j == cols) {
				j = 0;
			}
		}
	}

	/**
	 * Inverted dropout: each unit is kept with probability 1 - p and then scaled by 1 /
	 * (1 - p).
	 */
	private void drop(NativeMatrix a, NativeMatrix mask, NativeMatrix dropped) {
		long n = (long) a.rows * a.cols;
		double keep = 1.0 / (1.0 - this.dropout);
		for (long i = 0; i < n; i++) {
			double m = (this.dropoutRandom.nextDouble() < this.dropout) ? 0.0 : keep;
			mask.ix.put(i, m);
			dropped.ix.put(i, a.ix.get(i) * m);
		}
	}

	private static void multiply(NativeMatrix target, NativeMatrix factors) {
		long n = (long) target.rows * target.cols;
		for (long i = 0; i < n; i++) {
			target.ix.put(i, target.ix.get(i) * factors.ix.get(i));
		}
	}

	/**
	 * Writes (or adds) the column sums of delta, the bias gradient, into the gradient
	 * vector at offset.
	 */
	private void columnSums(NativeMatrix delta, long offset, boolean accumulate) {
		int cols = delta.cols;
		double[] sums = new double[cols];
		int n = delta.rows * cols;
		double[] values = scratch(0, n);
		delta.copyTo(values);
		for (int i = 0; i < n; i += cols) {
			for (int j = 0; j < cols; j++) {
				sums[j] += values[i + j];
			}
		}
		writeBiasGradient(sums, offset, accumulate);
	}

	/**
	 * ReLU's backward step fused with the bias gradient: delta *= (a > 0), with a (the
	 * layer's activations) already on the heap, in one pass that also sums delta's
	 * columns, in the same order as {@link #columnSums}; returns the sums.
	 */
	private double[] reluBackward(NativeMatrix delta, double[] a) {
		int cols = delta.cols;
		double[] sums = new double[cols];
		int n = delta.rows * cols;
		double[] d = scratch(0, n);
		delta.copyTo(d);
		for (int i = 0; i < n; i += cols) {
			for (int j = 0; j < cols; j++) {
				double v = keepWherePositive(d[i + j], a[i + j]);
				d[i + j] = v;
				sums[j] += v;
			}
		}
		delta.copyFrom(d);
		return sums;
	}

	/**
	 * max(v, 0), with -0.0 and negative NaNs giving 0.0, by a bit mask on the sign.
	 * Branch-free: about half the units are off, in no predictable order, and a compare
	 * that the JIT compiled as a branch (it decides from the warm-up's profile)
	 * mispredicted often enough to cost 5 times the arithmetic.
	 */
	static double relu(double v) {
		long bits = Double.doubleToRawLongBits(v);
		return Double.longBitsToDouble(bits & ~(bits >> 63));
	}

	/**
	 * d where a > 0, else 0.0; for a >= 0 (ReLU outputs), branch-free like {@link #relu}:
	 * a's bits are positive exactly when a > 0.
	 */
	static double keepWherePositive(double d, double a) {
		long mask = -Double.doubleToRawLongBits(a) >> 63;
		return Double.longBitsToDouble(Double.doubleToRawLongBits(d) & mask);
	}

	/** Writes (or adds) a bias gradient into the gradient vector at offset. */
	private void writeBiasGradient(double[] sums, long offset, boolean accumulate) {
		int cols = sums.length;
		for (int j = 0; j < cols; j++) {
			this.gradient.ix.put(offset + j, accumulate ? this.gradient.ix.get(offset + j) + sums[j] : sums[j]);
		}
	}

	/**
	 * delta *= f'(z), with the derivative expressed through the activation's output a.
	 */
	private void multiplyByDerivative(NativeMatrix delta, NativeMatrix a) {
		long n = (long) delta.rows * delta.cols;
		switch (this.activation) {
			case RELU -> {
				int count = (int) n;
				double[] d = scratch(0, count);
				double[] out = scratch(1, count);
				delta.copyTo(d);
				a.copyTo(out);
				for (int i = 0; i < count; i++) {
					if (!(out[i] > 0)) {
						d[i] = 0.0;
					}
				}
				delta.copyFrom(d);
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

	/**
	 * The summed per-row (class-weighted) data loss over x in inference mode (allocates;
	 * used for validation).
	 */
	double lossSum(NativeMatrix x, NativeMatrix y) {
		NativeMatrix z = NativeMatrix.wrap(scores(x.array));
		try {
			return this.loss.evaluate(z.ix, y.ix, null, z.rows, z.cols, 0.0, this.classWeights);
		}
		finally {
			Reference.reachabilityFence(z);
			Reference.reachabilityFence(y);
		}
	}

	/**
	 * The last layer's raw scores in inference mode (running batch-norm statistics, no
	 * dropout), with ND4J ops only.
	 */
	INDArray scores(INDArray x) {
		INDArray in = x;
		for (int l = 0; l < this.weights.length; l++) {
			INDArray z = Nd4j.createUninitialized(DataType.DOUBLE, new long[] { in.rows(), this.sizes[l + 1] }, 'c');
			Nd4j.gemm(in, this.weights[l], z, false, false, 1.0, 0.0);
			z.addiRowVector(this.biases[l]);
			if (l < this.weights.length - 1) {
				if (this.batchNorm) {
					double[][] affine = normAffine(l);
					z.subiRowVector(
							Nd4j.create(this.runningMean[l], new long[] { 1, affine[0].length }, DataType.DOUBLE));
					z.muliRowVector(Nd4j.create(affine[0], new long[] { 1, affine[0].length }, DataType.DOUBLE));
					z.addiRowVector(Nd4j.create(affine[1], new long[] { 1, affine[1].length }, DataType.DOUBLE));
				}
				activate(z);
			}
			in = z;
		}
		return in;
	}

	/**
	 * Inference-mode batch norm of hidden layer h as
	 * {@code (z - runningMean) * scale + beta}: {scale, beta}.
	 */
	private double[][] normAffine(int hidden) {
		int width = this.sizes[hidden + 1];
		double[] scale = new double[width];
		double[] shift = new double[width];
		long offset = this.normOffsets[hidden];
		for (int j = 0; j < width; j++) {
			scale[j] = this.params.ix.get(offset + j) / Math.sqrt(this.runningVariance[hidden][j] + BATCH_NORM_EPSILON);
			shift[j] = this.params.ix.get(offset + width + j);
		}
		Reference.reachabilityFence(this);
		return new double[][] { scale, shift };
	}

	/**
	 * tanh or sigmoid in place (native transforms: cheap per call, and threaded on large
	 * arrays).
	 */
	private void activate(INDArray z) {
		switch (this.activation) {
			case RELU -> Transforms.relu(z, false);
			case TANH -> Transforms.tanh(z, false);
			case SIGMOID -> Transforms.sigmoid(z, false);
		}
	}

	/**
	 * Makes the buffers for batches of this many rows, and sizes the heap scratch for
	 * them, before the training loop rather than at its first batch. Done inside the
	 * loop, the allocation is a branch the JIT compiler saw taken only while the first
	 * job still ran interpreted: in the compiled loop it is a trap, and every later
	 * network that took it sent that code back to the interpreter to be compiled again
	 * (100 ms of C2 time in the W4 job after the first).
	 */
	void prepare(int rows) {
		int width = 0;
		for (int l = 1; l < this.sizes.length; l++) {
			width = Math.max(width, this.sizes[l]);
		}
		BatchBuffers prepared = null;
		for (int start = 0; start < rows; start += this.chunkRows) {
			prepared = this.buffers.computeIfAbsent(Math.min(rows - start, this.chunkRows), BatchBuffers::new);
		}
		if (prepared != null) {
			this.lastBuffers = prepared;
		}
		// slot 0 holds parameter-sized copies as well as a batch's deltas; slot 1 only a
		// batch's activations (multiplyByDerivative)
		int batch = (int) ((long) Math.min(rows, this.chunkRows) * width);
		scratch(0, (int) Math.max(parameterCount(), batch));
		scratch(1, batch);
	}

	private BatchBuffers buffersFor(int rows) {
		BatchBuffers last = this.lastBuffers;
		if (last != null && last.rows == rows) {
			return last;
		}
		last = this.buffers.computeIfAbsent(rows, BatchBuffers::new);
		this.lastBuffers = last;
		return last;
	}

	/**
	 * For tests: whether matrix products go through {@link DirectGemm} (when it is
	 * available) or ND4J's gemm.
	 */
	void setDirectGemm(boolean direct) {
		this.directGemm = direct && DirectGemm.AVAILABLE;
	}

	/** For tests: process batches in chunks of this many rows. */
	void setChunkRows(int chunkRows) {
		this.chunkRows = chunkRows;
		this.buffers.clear();
		this.lastBuffers = null;
	}

	/**
	 * Copies the current parameters into a Java array (same flat layout as the
	 * constructor takes).
	 */
	double[] toArray() {
		return this.params.array.toDoubleVector();
	}

	/**
	 * Converts to immutable weights; batch normalization is folded into the weights and
	 * bias of its layer ({@code W' = W * scale},
	 * {@code b' = (b - runningMean) * scale + beta} per unit), and the last layer is
	 * mapped through {@code value * scale + shift} (used to fold regression target
	 * standardization back into original units).
	 */
	NetworkWeights toWeights(OutputKind output, double scale, double shift) {
		double[] flat = toArray();
		List<DenseLayer> layers = new ArrayList<>();
		int offset = 0;
		for (int l = 0; l + 1 < this.sizes.length; l++) {
			int in = this.sizes[l];
			int out = this.sizes[l + 1];
			double[] w = Arrays.copyOfRange(flat, offset, offset + in * out);
			offset += in * out;
			double[] b = Arrays.copyOfRange(flat, offset, offset + out);
			offset += out;
			boolean last = l + 2 == this.sizes.length;
			if (!last && this.batchNorm) {
				double[][] affine = normAffine(l);
				for (int j = 0; j < out; j++) {
					b[j] = (b[j] - this.runningMean[l][j]) * affine[0][j] + affine[1][j];
				}
				for (int i = 0; i < w.length; i++) {
					w[i] *= affine[0][i % out];
				}
			}
			if (last && (scale != 1.0 || shift != 0.0)) {
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

		/**
		 * Per layer: hidden layers' activations (before dropout), the last layer's
		 * scores.
		 */
		final NativeMatrix[] activations;

		final NativeMatrix[] deltas;

		/**
		 * Batch norm: per hidden layer the normalized pre-activations and 1 / batch std
		 * per unit.
		 */
		final NativeMatrix[] normalized;

		final double[][] inverseStd;

		/**
		 * Dropout: per hidden layer the mask (0 or 1 / (1 - p)) and the dropped
		 * activations.
		 */
		final NativeMatrix[] masks;

		final NativeMatrix[] dropped;

		/**
		 * ReLU networks: per hidden layer its activations as left on the heap by the
		 * forward pass (for the backward pass); null entries otherwise.
		 */
		final double[][] heapActivations;

		/** Pointers at the deltas, for {@link DirectGemm} (null entries without it). */
		final DoublePointer[] deltaPointers;

		/** Pointers at every buffer, for {@link DirectGemm} (empty without it). */
		final Map<NativeMatrix, DoublePointer> pointers = new IdentityHashMap<>();

		BatchBuffers(int rows) {
			this.rows = rows;
			TrainableNetwork net = TrainableNetwork.this;
			int layers = net.weights.length;
			this.activations = new NativeMatrix[layers];
			this.deltas = new NativeMatrix[layers];
			this.normalized = new NativeMatrix[layers];
			this.inverseStd = new double[layers][];
			this.masks = new NativeMatrix[layers];
			this.dropped = new NativeMatrix[layers];
			for (int l = 0; l < layers; l++) {
				int width = net.sizes[l + 1];
				this.activations[l] = NativeMatrix.allocate(rows, width);
				this.deltas[l] = NativeMatrix.allocate(rows, width);
				boolean hidden = l < layers - 1;
				if (hidden && net.batchNorm) {
					this.normalized[l] = NativeMatrix.allocate(rows, width);
					this.inverseStd[l] = new double[width];
				}
				if (hidden && net.dropout > 0) {
					this.masks[l] = NativeMatrix.allocate(rows, width);
					this.dropped[l] = NativeMatrix.allocate(rows, width);
				}
			}
			this.heapActivations = new double[layers][];
			for (int l = 0; l + 1 < layers && net.activation == Activation.RELU && !net.batchNorm; l++) {
				this.heapActivations[l] = new double[rows * net.sizes[l + 1]];
			}
			this.deltaPointers = new DoublePointer[layers];
			if (net.paramsPointer != null) {
				for (NativeMatrix[] group : List.of(this.activations, this.deltas, this.normalized, this.dropped)) {
					for (NativeMatrix m : group) {
						if (m != null) {
							this.pointers.put(m, DirectGemm.pointer(m.array));
						}
					}
				}
				for (int l = 0; l < layers; l++) {
					this.deltaPointers[l] = this.pointers.get(this.deltas[l]);
				}
			}
		}

		/** {@link #input}'s pointer. */
		DoublePointer inputPointer(int l) {
			return this.pointers.get(input(l));
		}

		/**
		 * The input of layer l (l >= 1): the previous layer's activations, after dropout
		 * when it is on.
		 */
		NativeMatrix input(int l) {
			return (this.dropped[l - 1] != null) ? this.dropped[l - 1] : this.activations[l - 1];
		}

	}

}
