package io.fitserve.models;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.ml.Task;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's permutation importance computed after it was stored is written once:
 * pending becomes ready (permutation first, then what was stored with the model) or
 * failed, and nothing changes after that.
 */
class TrainedModelImportanceTest {

	static TrainedModel model(ImportanceStatus status) {
		ModelDraft draft = new ModelDraft(UUID.randomUUID(), UUID.randomUUID(), "logistic_regression",
				Task.CLASSIFICATION, "y", List.of(), List.of("no", "yes"), Map.of(), Map.of(), null,
				Map.of("standardizedCoefficients", List.of(Map.of("feature", "x", "value", 1.5))), null, null, null,
				status);
		return TrainedModel.of(UUID.randomUUID(), draft, "0".repeat(64), 10);
	}

	@Test
	void pendingBecomesReadyOnce() {
		TrainedModel model = model(ImportanceStatus.PENDING);
		assertThat(model.getImportanceStatus()).isEqualTo(ImportanceStatus.PENDING);
		assertThat(model.getFeatureImportance()).containsOnlyKeys("standardizedCoefficients");

		assertThat(model.importanceComputed(Map.of("split", "test", "rows", 3))).isTrue();
		assertThat(model.getImportanceStatus()).isEqualTo(ImportanceStatus.READY);
		assertThat(List.copyOf(model.getFeatureImportance().keySet())).containsExactly("permutation",
				"standardizedCoefficients");
		assertThat(model.getFeatureImportance().get("permutation")).isEqualTo(Map.of("split", "test", "rows", 3));

		assertThat(model.importanceComputed(Map.of("split", "validation", "rows", 9))).isFalse();
		assertThat(model.importanceFailed("late")).isFalse();
		assertThat(model.getFeatureImportance().get("permutation")).isEqualTo(Map.of("split", "test", "rows", 3));
		assertThat(model.getImportanceStatus()).isEqualTo(ImportanceStatus.READY);
		assertThat(model.getImportanceError()).isNull();
	}

	@Test
	void pendingBecomesFailedOnceAndKeepsTheRest() {
		TrainedModel model = model(ImportanceStatus.PENDING);
		assertThat(model.importanceFailed("Dataset 'x' not found")).isTrue();
		assertThat(model.getImportanceStatus()).isEqualTo(ImportanceStatus.FAILED);
		assertThat(model.getImportanceError()).isEqualTo("Dataset 'x' not found");
		assertThat(model.getFeatureImportance()).containsOnlyKeys("standardizedCoefficients");
		assertThat(model.importanceComputed(Map.of("split", "test"))).isFalse();
		assertThat(model.getImportanceStatus()).isEqualTo(ImportanceStatus.FAILED);
	}

	@Test
	void aModelStoredReadyIsNeverWrittenAgain() {
		TrainedModel model = model(ImportanceStatus.READY);
		assertThat(model.importanceComputed(Map.of("split", "test"))).isFalse();
		assertThat(model.importanceFailed("no")).isFalse();
		assertThat(model.getFeatureImportance()).containsOnlyKeys("standardizedCoefficients");
		// a draft without a status (and rows from before V11) read as ready
		assertThat(model(null).getImportanceStatus()).isEqualTo(ImportanceStatus.READY);
	}

}
