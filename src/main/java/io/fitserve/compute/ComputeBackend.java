package io.fitserve.compute;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backend this process trains with, decided once at start-up
 * ({@link ComputeConfig}). When the decision needs the GPU check it runs in the
 * background, so start-up does not wait for it; {@link #await()} (called before any
 * training touches ND4J) waits for it. The CPU-only build decides at once without loading
 * ND4J.
 */
public final class ComputeBackend {

	private static final Log log = LogFactory.getLog(ComputeBackend.class);

	private final CompletableFuture<Selection> selection;

	/** OpenBLAS threads to set when ND4J is loaded; 0 leaves ND4J's choice. */
	private final int blasThreads;

	private final AtomicBoolean blasThreadsSet = new AtomicBoolean();

	ComputeBackend(CompletableFuture<Selection> selection) {
		this(selection, 0);
	}

	ComputeBackend(CompletableFuture<Selection> selection, int blasThreads) {
		this.selection = selection;
		this.blasThreads = blasThreads;
	}

	/** This backend, setting OpenBLAS to threads threads when ND4J is loaded (0: not). */
	ComputeBackend withBlasThreads(int threads) {
		return new ComputeBackend(this.selection, threads);
	}

	public static ComputeBackend of(Selection selection) {
		return new ComputeBackend(CompletableFuture.completedFuture(selection));
	}

	/** The selection, waiting for the GPU check if it is still running. */
	public Selection await() {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return this.selection.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException("the compute backend could not be selected", ex.getCause());
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * {@link #await()}, then ND4J loaded with its settings applied: before any training
	 * touches ND4J. OpenBLAS's thread count is set once, on the CPU backend: with two
	 * threads an MLP epoch's small products (200 x 50 by 50 x 64) spent more time waiting
	 * for each other than computing (see the README's fitserve.compute.blas-threads).
	 */
	public Selection loadNd4j() {
		Selection chosen = await();
		if (this.blasThreads > 0 && Selection.CPU.equals(chosen.name())
				&& this.blasThreadsSet.compareAndSet(false, true)) {
			Nd4j.factory().blas().setMaxThreads(this.blasThreads);
			log.info("OpenBLAS threads: " + Nd4j.factory().blas().getMaxThreads()
					+ " (fitserve.compute.blas-threads; unset: 1 unless OMP_NUM_THREADS is set)");
		}
		return chosen;
	}

	/** The selection if it has been made, without waiting. */
	public Optional<Selection> current() {
		return Optional.ofNullable(this.selection.getNow(null));
	}

	/** {@code cpu} or {@code cuda}. */
	public String name() {
		return await().name();
	}

	/** The GPU's name and compute capability, when one was found (null otherwise). */
	public String device() {
		return await().device();
	}

	public String reason() {
		return await().reason();
	}

}
