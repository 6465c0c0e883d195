package io.fitserve.training;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.ModelArtifactCodec;
import io.fitserve.ml.artifact.ModelProvenance;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactProvenanceTest {

	private static final UUID DATASET = UUID.fromString("0b7c1e2a-5d3f-4a8e-9c61-2f4b8d7e9a10");

	@Test
	void aFitRecordsTheRuntimeAndTheSpecAndAJobCompletesIt() {
		TrainingSpec spec = new TrainingSpec(DATASET, "y", List.of("x"), Task.REGRESSION, "linear_regression", null,
				0.15, 0.15, null, true, 7);
		Instant start = Instant.parse("2026-12-01T10:00:00Z");
		Instant end = Instant.parse("2026-12-01T10:00:01.5Z");
		ModelProvenance fit = ArtifactProvenance.ofFit(spec, 120, start, end);
		assertThat(fit.javaVersion()).isEqualTo(System.getProperty("java.version"));
		assertThat(fit.javaVendor()).isEqualTo(System.getProperty("java.vendor"));
		assertThat(fit.osName()).isEqualTo(System.getProperty("os.name"));
		assertThat(fit.osArch()).isEqualTo(System.getProperty("os.arch"));
		assertThat(fit.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(fit.ompNumThreads()).isEqualTo(ArtifactProvenance.ompNumThreads());
		assertThat(fit.fitserveVersion()).isEqualTo(ArtifactProvenance.fitserveVersion()).isNotBlank();
		assertThat(fit.trainingStartedAt()).isEqualTo(start);
		assertThat(fit.trainingFinishedAt()).isEqualTo(end);
		assertThat(fit.seed()).isEqualTo(7L);
		assertThat(fit.algorithm()).isEqualTo("linear_regression");
		assertThat(fit.hyperparameters()).isNull();
		assertThat(fit.datasetId()).isEqualTo(DATASET.toString());
		assertThat(fit.datasetSha256()).isNull();
		assertThat(fit.trainingRows()).isEqualTo(Map.of("rows", 120));
		// a resampled fit says how many rows resampling made of them
		assertThat(ArtifactProvenance.ofFit(spec, 120, 216, start, end).trainingRows())
			.containsExactly(Map.entry("rows", 120), Map.entry("resampledRows", 216));

		ModelArtifact artifact = new ModelArtifact(Task.REGRESSION, List.of(),
				new Preprocessing(List.of(FeatureTransform.numeric("x", 0, 1))),
				Predictor
					.network(new NetworkWeights(List.of(new DenseLayer(1, 1, new double[] { 2 }, new double[] { 1 })),
							null, OutputKind.IDENTITY)),
				fit);
		ModelArtifact kept = ArtifactProvenance.complete(artifact, DATASET.toString(), "ab".repeat(32), "1.0.0", "cpu",
				"CpuBackend", "train split", null);
		ModelProvenance p = kept.provenance();
		assertThat(p.datasetSha256()).isEqualTo("ab".repeat(32));
		assertThat(p.fitserveVersion()).isEqualTo("1.0.0");
		assertThat(p.computeBackend()).isEqualTo("cpu");
		assertThat(p.nd4jBackend()).isEqualTo("CpuBackend");
		assertThat(p.trainingRows()).containsExactly(Map.entry("trainedOn", "train split"), Map.entry("rows", 120));
		assertThat(p.withDataset(DATASET.toString(), null)
			.withService(fit.fitserveVersion(), null, null)
			.withTrainingRows(fit.trainingRows())).isEqualTo(fit);
		assertThat(kept.predictor()).isSameAs(artifact.predictor());
		assertThat(ModelArtifactCodec.decode(ModelArtifactCodec.encode(kept)).provenance()).isEqualTo(p);
		// an artifact without provenance stays without
		ModelArtifact bare = artifact.withProvenance(null);
		assertThat(ArtifactProvenance.complete(bare, "d", "s", "v", "cpu", "b", "train split", null)).isSameAs(bare);
		// a refit records the epochs early stopping chose
		assertThat(ArtifactProvenance
			.complete(artifact, DATASET.toString(), "ab".repeat(32), "1.0.0", "cpu", "CpuBackend",
					"all rows: train, validation and test splits", 37)
			.provenance()
			.trainingRows()).containsExactly(Map.entry("trainedOn", "all rows: train, validation and test splits"),
					Map.entry("rows", 120), Map.entry("epochs", 37));
	}

	@Test
	void hyperparametersAreTheSpecsJsonValues() {
		record Sample(String optimizer, Double learningRate, List<Integer> hiddenLayers, Boolean batchNorm) {
		}
		assertThat(ArtifactProvenance.hyperparameters(new Sample("adam", 0.01, List.of(8, 4), null)))
			.containsEntry("optimizer", "adam")
			.containsEntry("learningRate", 0.01)
			.containsEntry("hiddenLayers", List.of(8, 4))
			.containsEntry("batchNorm", null)
			.hasSize(4);
	}

}
