package io.fitserve.compute;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The ND4J backend this process trains with, decided once at start-up
 * ({@link ComputeConfig}). When the decision needs the GPU check it runs in the
 * background, so start-up does not wait for it; {@link #await()} (called before any
 * training touches ND4J) waits for it. The CPU-only build decides at once without loading
 * ND4J.
 */
public final class ComputeBackend {

	private final CompletableFuture<Selection> selection;

	ComputeBackend(CompletableFuture<Selection> selection) {
		this.selection = selection;
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
