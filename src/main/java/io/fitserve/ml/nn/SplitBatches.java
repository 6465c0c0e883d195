package io.fitserve.ml.nn;

import io.fitserve.ml.linalg.NativeMatrix;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.DoublePointer;

/**
 * Mini-batches computed in parts on two threads: the batch's rows are cut into two parts
 * of consecutive rows ({@link #MAX_PARTS}); the caller's thread and a worker thread each
 * claim the next part until none is left, gather that part's rows into the batch and
 * compute its gradient, part 0 with the network and part k with its
 * {@link TrainableNetwork#replica() replica} k (the same parameters, its own gradient and
 * buffers). The replicas' gradients are then added to the network's in part order, and
 * the L2 term once.
 *
 * <p>
 * How a batch is cut depends only on its rows and the network ({@link #parts}), never on
 * the machine or on which thread ran a part: with one core the caller's thread runs every
 * part, the gradients are added in the same order, and the trained model has the same
 * bits.
 *
 * <p>
 * An MLP mini-batch (200 x 50 by 50 x 64) is too small for OpenBLAS's own threads, which
 * wait on each other (see the README's {@code fitserve.compute.blas-threads}); here each
 * part runs one-threaded products, and the gathering of the shuffled rows, a fifth of an
 * epoch, is shared out with them. Parts are claimed rather than assigned because in the
 * service the second core is also the JIT compiler's and the garbage collector's: a
 * thread that is descheduled leaves its unclaimed parts to the other. The worker spins
 * between batches (they come every 0.1-0.2 ms) and parks after {@link #SPIN_NANOS}
 * without one.
 */
final class SplitBatches implements AutoCloseable {

	/**
	 * The most parts a batch is cut into. Four parts of 50 rows made the W4 jobs slower
	 * in the service than two of 100 (fits of 0.95-1.40 s against 0.82-1.16 s for 5
	 * epochs): smaller products, and more of them.
	 */
	static final int MAX_PARTS = 2;

	/** The fewest rows of a part. */
	static final int MIN_PART_ROWS = 64;

	/**
	 * The least work (rows times parameters) of a part: below it the handoff costs more
	 * than the part saves.
	 */
	static final long MIN_PART_WORK = 1L << 16;

	/** How long the worker waits for the next batch before it parks. */
	static final long SPIN_NANOS = 200_000;

	private final TrainableNetwork network;

	/** Part k > 0's network (replicas[k - 1]). */
	private final TrainableNetwork[] replicas = new TrainableNetwork[MAX_PARTS - 1];

	/** Null: the parts run one after the other on the caller's thread. */
	private final Worker worker;

	/** Each part's summed data loss, written by the thread that computed it. */
	private final double[] losses = new double[MAX_PARTS];

	/**
	 * The two ranges of coordinates of {@link #step}, one per thread. They meet at a
	 * multiple of 8 (a cache line of doubles), so the threads share at most one cache
	 * line of each heap array they write.
	 */
	private final StepRange[] stepRanges;

	/** Which parameters the L2 term applies to (the weights). */
	private final boolean[] l2Mask;

	/**
	 * @param threaded whether a worker thread takes parts too (else the caller's thread
	 * runs them all, in order, with the same results)
	 * @param name the worker thread's name
	 */
	SplitBatches(TrainableNetwork network, boolean threaded, String name) {
		if (!network.hasReplica()) {
			throw new IllegalStateException("a network with batch norm or dropout has no replica");
		}
		this.network = network;
		// made now, not at the first batch or step: see TrainableNetwork.prepare
		for (int k = 1; k < MAX_PARTS; k++) {
			this.replicas[k - 1] = network.replica();
		}
		int n = network.parameterCount();
		int middle = Math.min(n, ((n / 2) + 7) & ~7);
		this.stepRanges = new StepRange[] { stepRange(0, middle), stepRange(middle, n) };
		this.l2Mask = network.weightMask();
		this.worker = threaded ? new Worker(name) : null;
	}

	/**
	 * How many parts a batch of this many rows is cut into: {@link #MAX_PARTS} when the
	 * network has no batch norm or dropout and each part has at least
	 * {@link #MIN_PART_ROWS} rows and {@link #MIN_PART_WORK} rows times parameters, else
	 * 1 (not split).
	 */
	static int parts(TrainableNetwork network, int rows) {
		int part = rows / MAX_PARTS;
		boolean split = network.hasReplica() && part >= MIN_PART_ROWS
				&& (long) part * network.parameterCount() >= MIN_PART_WORK;
		return split ? MAX_PARTS : 1;
	}

	/** The first row of part k of a batch of this many rows cut into parts. */
	static int partStart(int rows, int parts, int k) {
		return (int) ((long) rows * k / parts);
	}

	/**
	 * As {@link TrainableNetwork#forwardBackward} over a batch held as parts (rows of
	 * part k in xs[k] and ys[k], in order): fills the network's gradient and returns the
	 * summed data loss.
	 * @param fill null, or fills the rows of part k (xs[k] and ys[k]); called on the
	 * thread that then computes that part
	 */
	double forwardBackward(NativeMatrix[] xs, NativeMatrix[] ys, IntConsumer fill) {
		double loss = computeParts(xs, ys, fill);
		for (int k = 1; k < xs.length; k++) {
			this.network.addGradient(this.replicas[k - 1]);
		}
		this.network.addL2Gradient();
		return loss;
	}

	/**
	 * {@link #forwardBackward} and then one step of the updater, as
	 * {@link TrainableNetwork#step} after it (to the last bit of the L2 term, see
	 * {@link ParameterUpdater#applyRange}): the parts' gradients are summed, the L2 term
	 * added and the rule applied in one pass over each of two ranges of the parameters,
	 * claimed by the two threads as the parts are. The network's own gradient is left
	 * holding part 0's. Returns the summed data loss.
	 */
	double step(NativeMatrix[] xs, NativeMatrix[] ys, IntConsumer fill, ParameterUpdater updater) {
		if (xs.length != MAX_PARTS) {
			// the ranges add every part's gradient
			throw new IllegalArgumentException("a shared step needs " + MAX_PARTS + " parts, got " + xs.length);
		}
		double loss = computeParts(xs, ys, fill);
		updater.begin();
		StepRange[] ranges = this.stepRanges;
		Runnable[] tasks = new Runnable[ranges.length];
		for (int r = 0; r < ranges.length; r++) {
			StepRange range = ranges[r];
			tasks[r] = () -> updater.applyRange(range.params, range.gradients, this.network.l2(), this.l2Mask,
					range.from, range.to, range.scratch);
		}
		try {
			run(new Batch(tasks));
		}
		finally {
			// the ranges' pointers do not keep the networks' memory alive
			Reference.reachabilityFence(this.network);
			Reference.reachabilityFence(this.replicas);
		}
		return loss;
	}

	/** Computes each part's gradient into its network; returns the summed data loss. */
	private double computeParts(NativeMatrix[] xs, NativeMatrix[] ys, IntConsumer fill) {
		int parts = xs.length;
		if (parts < 2 || parts > MAX_PARTS || ys.length != parts) {
			throw new IllegalArgumentException("expected 2 to " + MAX_PARTS + " parts, got " + parts);
		}
		int rows = 0;
		for (NativeMatrix x : xs) {
			rows += x.rows;
		}
		double gradScale = 1.0 / rows;
		double[] losses = this.losses;
		Runnable[] tasks = new Runnable[parts];
		for (int k = 0; k < parts; k++) {
			int part = k;
			// part 0 always goes to the network and part k to replica k, whichever
			// thread runs it
			TrainableNetwork net = network(k);
			tasks[k] = () -> {
				if (fill != null) {
					fill.accept(part);
				}
				losses[part] = net.dataGradient(xs[part], ys[part], gradScale);
			};
		}
		run(new Batch(tasks));
		double loss = losses[0];
		for (int k = 1; k < parts; k++) {
			loss += losses[k];
		}
		return loss;
	}

	/**
	 * Runs a batch's tasks on this thread and the worker; rethrows what a task threw once
	 * all are done.
	 */
	private void run(Batch batch) {
		if (this.worker != null) {
			this.worker.offer(batch);
		}
		batch.work();
		// even when a task failed: the batch's memory must not be freed while the worker
		// still uses it
		batch.awaitFinished();
		Throwable failure = batch.failure;
		if (failure instanceof RuntimeException ex) {
			throw ex;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure != null) {
			throw new IllegalStateException(failure);
		}
	}

	private StepRange stepRange(int from, int to) {
		DoublePointer[] gradients = new DoublePointer[MAX_PARTS];
		for (int k = 0; k < MAX_PARTS; k++) {
			gradients[k] = network(k).gradientAt(from);
		}
		return new StepRange(from, to, this.network.parametersAt(from), gradients, new double[to - from]);
	}

	/**
	 * Coordinates [from, to) of a step: pointers at from into the parameters and each
	 * part's gradient, and the scratch of the thread that claims the range.
	 */
	private record StepRange(int from, int to, DoublePointer params, DoublePointer[] gradients, double[] scratch) {
	}

	/** Part k's network: the network for part 0, else its replica k. */
	TrainableNetwork network(int part) {
		return (part == 0) ? this.network : this.replicas[part - 1];
	}

	/** Stops the worker thread (it has no batch by then). */
	@Override
	public void close() {
		if (this.worker != null) {
			this.worker.close();
		}
	}

	/**
	 * One batch's parts, each run by whichever thread claims it next: when the worker is
	 * late (descheduled, or parked and waking up) the caller's thread runs more of them,
	 * so it never waits for a part nobody has started.
	 */
	private static final class Batch {

		private final Runnable[] tasks;

		private final AtomicInteger next = new AtomicInteger();

		private final AtomicInteger done = new AtomicInteger();

		private volatile Throwable failure;

		Batch(Runnable... tasks) {
			this.tasks = tasks;
		}

		/** Runs unclaimed parts until none is left. */
		void work() {
			for (int h; (h = this.next.getAndIncrement()) < this.tasks.length;) {
				try {
					this.tasks[h].run();
				}
				catch (Throwable ex) {
					if (this.failure == null) {
						this.failure = ex;
					}
				}
				finally {
					this.done.incrementAndGet();
				}
			}
		}

		/** Waits until every part is done (the other thread's may be under way). */
		void awaitFinished() {
			int spins = 0;
			while (this.done.get() < this.tasks.length) {
				if (spins < 20_000) {
					spins++;
					Thread.onSpinWait();
				}
				else {
					LockSupport.parkNanos(20_000);
				}
			}
		}

	}

	/** A thread that takes part in the batches offered to it. */
	private static final class Worker {

		private final Thread thread;

		/** The batch offered last. */
		private volatile Batch batch;

		/** Set while the worker parks (or is about to): an offer must then wake it. */
		private volatile boolean sleeping;

		private volatile boolean closed;

		Worker(String name) {
			this.thread = new Thread(this::loop, name);
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void offer(Batch batch) {
			this.batch = batch;
			if (this.sleeping) {
				LockSupport.unpark(this.thread);
			}
		}

		private void loop() {
			Batch seen = null;
			long idleSince = System.nanoTime();
			int spins = 0;
			while (!this.closed) {
				Batch offered = this.batch;
				if (offered != null && offered != seen) {
					seen = offered;
					offered.work();
					idleSince = System.nanoTime();
					spins = 0;
				}
				// the clock is read every 64 spins: reading it each time cost a quarter
				// of this thread's time
				else if ((++spins & 63) != 0 || System.nanoTime() - idleSince < SPIN_NANOS) {
					Thread.onSpinWait();
				}
				else {
					this.sleeping = true;
					// an offer made before the flag was set is seen here; one made after
					// it unparks
					if (this.batch == seen && !this.closed) {
						LockSupport.park(this);
					}
					this.sleeping = false;
				}
			}
		}

		void close() {
			this.closed = true;
			LockSupport.unpark(this.thread);
			try {
				this.thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
