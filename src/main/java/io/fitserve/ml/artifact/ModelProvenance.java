package io.fitserve.ml.artifact;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was known when the model was fitted, stored in the artifact header (format version
 * 4). Every field may be null: the trainer fills what it has, and artifacts of versions 1
 * to 3 have no provenance at all.
 *
 * @param fitserveVersion the service's version ("dev" when it runs from classes)
 * @param javaVersion {@code java.version}
 * @param javaVendor {@code java.vendor}
 * @param osName {@code os.name}
 * @param osArch {@code os.arch}
 * @param availableProcessors processors the JVM saw
 * @param ompNumThreads the OMP_NUM_THREADS environment variable (BLAS/OpenMP threads of
 * ND4J), null when unset
 * @param computeBackend the compute backend chosen at start-up ("cpu" or "cuda")
 * @param nd4jBackend ND4J's backend class
 * @param trainingStartedAt when the fit began
 * @param trainingFinishedAt when the fit ended
 * @param seed the seed of the fit
 * @param algorithm the algorithm's wire name
 * @param hyperparameters the resolved hyperparameters, as JSON values
 * @param datasetId the dataset the rows came from
 * @param datasetSha256 the dataset's content checksum
 * @param trainingRows which rows trained the model, e.g. {@code {"trainedOn": "train
 * split", "rows": 800}}
 */
public record ModelProvenance(String fitserveVersion, String javaVersion, String javaVendor, String osName,
		String osArch, Integer availableProcessors, String ompNumThreads, String computeBackend, String nd4jBackend,
		Instant trainingStartedAt, Instant trainingFinishedAt, Long seed, String algorithm,
		Map<String, Object> hyperparameters, String datasetId, String datasetSha256, Map<String, Object> trainingRows) {

	public ModelProvenance {
		hyperparameters = copy(hyperparameters);
		trainingRows = copy(trainingRows);
	}

	private static Map<String, Object> copy(Map<String, Object> map) {
		// JSON values may be null: Map.copyOf would refuse them
		return (map != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(map)) : null;
	}

	/** This provenance with the dataset's id and content checksum. */
	public ModelProvenance withDataset(String datasetId, String datasetSha256) {
		return new ModelProvenance(this.fitserveVersion, this.javaVersion, this.javaVendor, this.osName, this.osArch,
				this.availableProcessors, this.ompNumThreads, this.computeBackend, this.nd4jBackend,
				this.trainingStartedAt, this.trainingFinishedAt, this.seed, this.algorithm, this.hyperparameters,
				datasetId, datasetSha256, this.trainingRows);
	}

	/** This provenance with the service's version, the compute backend and ND4J's. */
	public ModelProvenance withService(String fitserveVersion, String computeBackend, String nd4jBackend) {
		return new ModelProvenance(fitserveVersion, this.javaVersion, this.javaVendor, this.osName, this.osArch,
				this.availableProcessors, this.ompNumThreads, computeBackend, nd4jBackend, this.trainingStartedAt,
				this.trainingFinishedAt, this.seed, this.algorithm, this.hyperparameters, this.datasetId,
				this.datasetSha256, this.trainingRows);
	}

	/** This provenance with another description of the rows that trained the model. */
	public ModelProvenance withTrainingRows(Map<String, Object> trainingRows) {
		return new ModelProvenance(this.fitserveVersion, this.javaVersion, this.javaVendor, this.osName, this.osArch,
				this.availableProcessors, this.ompNumThreads, this.computeBackend, this.nd4jBackend,
				this.trainingStartedAt, this.trainingFinishedAt, this.seed, this.algorithm, this.hyperparameters,
				this.datasetId, this.datasetSha256, trainingRows);
	}

}
