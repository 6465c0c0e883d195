package io.fitserve.ml.nn;

import io.fitserve.ml.linalg.NativeMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SplitBatchesTest {

	private static final int[] SIZES = { 12, 40, 3 };

	private static final int ROWS = 300;

	@Test
	void twoPartsGiveTheWholeBatchsGradientAndLoss() {
		double[] params = parameters(SIZES, 1);
		NativeMatrix x = features(ROWS, 2);
		NativeMatrix y = oneHot(ROWS, 3);
		TrainableNetwork whole = network(params);
		TrainableNetwork halved = network(params);
		double expectedLoss = whole.forwardBackward(x, y);

		int split = SplitBatches.partStart(ROWS, 2, 1);
		double loss;
		try (SplitBatches batches = new SplitBatches(halved, true, "test-half")) {
			loss = batches.forwardBackward(parts(x, split), parts(y, split), null);
		}

		assertThat(split).isEqualTo(150);
		assertThat(loss).isCloseTo(expectedLoss, within(1e-10));
		double[] expected = whole.gradientArray();
		double[] actual = halved.gradientArray();
		// the L2 term (0.05 * W) is in both, once
		assertThat(Arrays.stream(expected).map(Math::abs).max().getAsDouble()).isGreaterThan(1e-3);
		for (int i = 0; i < expected.length; i++) {
			assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], within(1e-12));
		}
	}

	@Test
	void aWorkerThreadAndTheCallersThreadAloneTrainTheSameBits() {
		double[] params = parameters(SIZES, 3);
		double[] threaded = train(params, true);
		double[] inline = train(params, false);

		assertThat(threaded).isEqualTo(inline);
		assertThat(threaded).isNotEqualTo(params);
	}

	@Test
	void aSharedStepGivesTheSummedGradientsStep() {
		double[] params = parameters(SIZES, 7);
		int split = SplitBatches.partStart(ROWS, 2, 1);
		boolean[] mask = network(params).weightMask();
		for (OptimizerKind kind : OptimizerKind.values()) {
			if (kind == OptimizerKind.LBFGS) {
				continue;
			}
			for (double l1 : new double[] { 0.0, 2.0 }) {
				TrainableNetwork summed = network(params);
				TrainableNetwork shared = network(params);
				ParameterUpdater first = ParameterUpdater.create(kind, 0.01, 0.9, params.length, l1, mask);
				ParameterUpdater second = ParameterUpdater.create(kind, 0.01, 0.9, params.length, l1, mask);
				try (SplitBatches a = new SplitBatches(summed, true, "test-half");
						SplitBatches b = new SplitBatches(shared, true, "test-half")) {
					for (int step = 0; step < 5; step++) {
						NativeMatrix x = features(ROWS, 30 + step);
						NativeMatrix y = oneHot(ROWS, 40 + step);
						double lossA = a.forwardBackward(parts(x, split), parts(y, split), null);
						summed.step(first);
						double lossB = b.step(parts(x, split), parts(y, split), null, second);
						assertThat(lossB).isCloseTo(lossA, within(1e-12));
					}
				}
				// the same rule on the same gradient: only the L2 term's rounding may
				// differ
				// (fused here, BLAS's axpy there)
				double[] expected = summed.toArray();
				double[] actual = shared.toArray();
				for (int i = 0; i < expected.length; i++) {
					assertThat(actual[i]).as("%s, l1 %s, parameter %d", kind, l1, i)
						.isCloseTo(expected[i], within(1e-12));
				}
				assertThat(shared.toArray()).isNotEqualTo(params);
				if (l1 > 0) {
					// the proximal L1 step set some weights exactly to zero in both
					assertThat(Arrays.stream(shared.toArray()).filter(v -> v == 0.0).count()).as("%s", kind)
						.isPositive();
				}
			}
		}
	}

	@Test
	void eachPartIsFilledOnceByTheThreadThatComputesIt() {
		TrainableNetwork net = network(parameters(SIZES, 4));
		NativeMatrix x = NativeMatrix.allocate(ROWS, SIZES[0]);
		NativeMatrix y = NativeMatrix.allocate(ROWS, 3);
		NativeMatrix source = features(ROWS, 5);
		NativeMatrix targets = oneHot(ROWS, 6);
		double[] values = new double[ROWS * SIZES[0]];
		double[] labels = new double[ROWS * 3];
		source.copyTo(values);
		targets.copyTo(labels);
		int split = SplitBatches.partStart(ROWS, 2, 1);
		NativeMatrix[] xs = { x.rowSlice(0, split), x.rowSlice(split, ROWS) };
		NativeMatrix[] ys = { y.rowSlice(0, split), y.rowSlice(split, ROWS) };
		int[] order = new int[ROWS];
		Arrays.setAll(order, i -> i);
		String caller = Thread.currentThread().getName();
		double whole = network(parameters(SIZES, 4)).forwardBackward(source, targets);
		double first = Double.NaN;
		boolean workerFilled = false;
		try (SplitBatches batches = new SplitBatches(net, true, "test-half")) {
			// the worker claims parts when it is running; on two cores it soon is
			for (int batch = 0; batch < 2000 && !workerFilled; batch++) {
				String[] fillers = new String[2];
				int[] fills = new int[2];
				double loss = batches.forwardBackward(xs, ys, part -> {
					fillers[part] = Thread.currentThread().getName();
					fills[part]++;
					int from = (part == 0) ? 0 : split;
					int to = (part == 0) ? split : ROWS;
					xs[part].gather(values, order, from, to, new double[ROWS * SIZES[0]]);
					ys[part].gather(labels, order, from, to, new double[ROWS * 3]);
				});
				assertThat(fills).containsExactly(1, 1);
				assertThat(fillers).allMatch(name -> name.equals(caller) || name.equals("test-half"));
				// the same bits whichever thread ran which part
				if (batch == 0) {
					first = loss;
					assertThat(loss).isCloseTo(whole, within(1e-10));
				}
				assertThat(loss).isEqualTo(first);
				workerFilled = Arrays.asList(fillers).contains("test-half");
			}
		}

		if (Runtime.getRuntime().availableProcessors() > 1) {
			assertThat(workerFilled).as("the worker filled a part").isTrue();
		}
	}

	@Test
	void whatAPartThrowsComesOutOfTheBatch() {
		TrainableNetwork net = network(parameters(SIZES, 7));
		NativeMatrix x = features(ROWS, 8);
		NativeMatrix y = oneHot(ROWS, 9);
		int split = SplitBatches.partStart(ROWS, 2, 1);
		try (SplitBatches batches = new SplitBatches(net, true, "test-half")) {
			assertThatThrownBy(() -> batches.forwardBackward(parts(x, split), parts(y, split), part -> {
				if (part == 1) {
					throw new IllegalArgumentException("row 151 is bad");
				}
			})).isInstanceOf(IllegalArgumentException.class).hasMessage("row 151 is bad");
			// and the next batch runs
			double loss = batches.forwardBackward(parts(x, split), parts(y, split), null);
			assertThat(loss).isCloseTo(network(parameters(SIZES, 7)).forwardBackward(x, y), within(1e-10));
		}
	}

	@Test
	void onlyLargeEnoughBatchesOfNetworksWithoutBatchNormOrDropoutAreCutInTwo() {
		// 12*40+40 + 40*3+3 = 643 parameters: 102 rows per half reach 65,536
		TrainableNetwork net = network(parameters(SIZES, 10));
		assertThat(SplitBatches.parts(net, 204)).isEqualTo(2);
		assertThat(SplitBatches.parts(net, 203)).isEqualTo(1);
		int[] wide = { 50, 64, 1 };
		TrainableNetwork mlp = new TrainableNetwork(wide, Activation.RELU, LossKind.BINARY_CROSS_ENTROPY, 0.0,
				parameters(wide, 11));
		assertThat(SplitBatches.parts(mlp, 200)).isEqualTo(2);
		assertThat(SplitBatches.parts(mlp, 127)).isEqualTo(1);
		TrainableNetwork normed = new TrainableNetwork(wide, Activation.RELU, LossKind.BINARY_CROSS_ENTROPY, 0.0,
				parameters(wide, 11), null, true, 0.0, null);
		TrainableNetwork dropped = new TrainableNetwork(wide, Activation.RELU, LossKind.BINARY_CROSS_ENTROPY, 0.0,
				parameters(wide, 11), null, false, 0.5, new SplittableRandom(1));
		assertThat(SplitBatches.parts(normed, 200)).isEqualTo(1);
		assertThat(SplitBatches.parts(dropped, 200)).isEqualTo(1);
		assertThatThrownBy(normed::replica).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> new SplitBatches(dropped, false, "test-half"))
			.isInstanceOf(IllegalStateException.class);
	}

	/** Rows [0, split) and [split, rows) of m. */
	private static NativeMatrix[] parts(NativeMatrix m, int split) {
		return new NativeMatrix[] { m.rowSlice(0, split), m.rowSlice(split, m.rows) };
	}

	/** 30 Adam steps over two alternating batches; the final parameters. */
	private static double[] train(double[] params, boolean threaded) {
		TrainableNetwork net = network(params);
		ParameterUpdater adam = ParameterUpdater.create(OptimizerKind.ADAM, 0.01, 0.0, params.length);
		NativeMatrix[] xs = { features(ROWS, 20), features(ROWS, 21) };
		NativeMatrix[] ys = { oneHot(ROWS, 22), oneHot(ROWS, 23) };
		int split = SplitBatches.partStart(ROWS, 2, 1);
		try (SplitBatches batches = new SplitBatches(net, threaded, "test-half")) {
			for (int step = 0; step < 30; step++) {
				NativeMatrix x = xs[step % 2];
				NativeMatrix y = ys[step % 2];
				batches.step(parts(x, split), parts(y, split), null, adam);
			}
		}
		return net.toArray();
	}

	private static TrainableNetwork network(double[] params) {
		return new TrainableNetwork(SIZES, Activation.RELU, LossKind.SOFTMAX_CROSS_ENTROPY, 0.05, params);
	}

	private static double[] parameters(int[] sizes, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes)];
		for (int i = 0; i < params.length; i++) {
			params[i] = random.nextGaussian() * 0.3;
		}
		return params;
	}

	private static NativeMatrix features(int rows, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][SIZES[0]];
		for (double[] row : x) {
			for (int j = 0; j < row.length; j++) {
				row[j] = random.nextGaussian();
			}
		}
		return NativeMatrix.of(x, SIZES[0]);
	}

	private static NativeMatrix oneHot(int rows, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] y = new double[rows][3];
		for (double[] row : y) {
			row[random.nextInt(3)] = 1;
		}
		return NativeMatrix.of(y, 3);
	}

}
