package io.fitserve.training;

import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.ModelProvenance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fitserve.support.Json;

/**
 * The {@link ModelProvenance} stored in a model's artifact: {@link #ofFit} what one fit
 * knows (runtime, spec, timestamps, row count), {@link #complete} what the job adds for
 * the model it keeps (service version, backends, dataset checksum, which rows).
 */
final class ArtifactProvenance {

	private ArtifactProvenance() {
	}

	/**
	 * The provenance of one fit of the spec on some rows.
	 * @param rows the number of rows that trained the model
	 */
	static ModelProvenance ofFit(TrainingSpec spec, int rows, Instant startedAt, Instant finishedAt) {
		return ofFit(spec, rows, null, startedAt, finishedAt);
	}

	/**
	 * The provenance of one fit of the spec on some rows, which resampling turned into
	 * resampledRows (null: not resampled).
	 */
	static ModelProvenance ofFit(TrainingSpec spec, int rows, Integer resampledRows, Instant startedAt,
			Instant finishedAt) {
		Map<String, Object> trainingRows = new LinkedHashMap<>();
		trainingRows.put("rows", rows);
		if (resampledRows != null) {
			trainingRows.put("resampledRows", resampledRows);
		}
		return new ModelProvenance(fitserveVersion(), System.getProperty("java.version"),
				System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"),
				Runtime.getRuntime().availableProcessors(), ompNumThreads(), null, null, startedAt, finishedAt,
				spec.seed(), spec.algorithm(), hyperparameters(spec.hyperparameters()),
				spec.datasetId() == null ? null : spec.datasetId().toString(), null, trainingRows);
	}

	/**
	 * The artifact of the model a job keeps, its provenance completed (an artifact
	 * without one is returned as it is).
	 * @param trainedOn which rows trained it, e.g. "train split"
	 * @param epochs the epochs (boosting iterations) it trained when they were fixed to
	 * the count early stopping chose (a refit, the final model after cross-validation);
	 * null when its own hyperparameters decided
	 */
	static ModelArtifact complete(ModelArtifact artifact, String datasetId, String datasetSha256,
			String fitserveVersion, String computeBackend, String nd4jBackend, String trainedOn, Integer epochs) {
		ModelProvenance p = artifact.provenance();
		if (p == null) {
			return artifact;
		}
		Map<String, Object> trainingRows = new LinkedHashMap<>();
		trainingRows.put("trainedOn", trainedOn);
		if (p.trainingRows() != null) {
			trainingRows.putAll(p.trainingRows());
		}
		if (epochs != null) {
			trainingRows.put("epochs", epochs);
		}
		return artifact.withProvenance(p.withDataset(datasetId, datasetSha256)
			.withService(fitserveVersion, computeBackend, nd4jBackend)
			.withTrainingRows(trainingRows));
	}

	/** The jar's Implementation-Version; "dev" when running from classes. */
	static String fitserveVersion() {
		String version = ArtifactProvenance.class.getPackage().getImplementationVersion();
		return (version == null || version.isBlank()) ? "dev" : version;
	}

	/** OMP_NUM_THREADS (ND4J's BLAS/OpenMP threads); null when unset. */
	static String ompNumThreads() {
		String omp = System.getenv("OMP_NUM_THREADS");
		return (omp == null || omp.isBlank()) ? null : omp;
	}

	/** The resolved hyperparameters as JSON values, as the job's spec stores them. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> hyperparameters(Object hyperparameters) {
		return (hyperparameters == null) ? null : Json.mapper().convertValue(hyperparameters, Map.class);
	}

}
