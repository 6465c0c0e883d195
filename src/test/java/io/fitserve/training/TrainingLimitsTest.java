package io.fitserve.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fitserve.datasets.TestDatasets;
import io.fitserve.errors.FieldError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * fitserve.training.max-work (units x training rows x fits) for every algorithm that
 * repeats passes over the rows: epochs of the gradient-trained models, trees and boosting
 * iterations of the ensembles; and the refit counted as one more fit.
 */
class TrainingLimitsTest {

	/**
	 * 100 rows: with the default testFraction 0.2, 20 test rows; validationFraction 0.1
	 * (when early stopping watches it) takes 10 more.
	 */
	static final TestDatasets.Loaded DATA = TestDatasets.fromCsv(csv());

	static final long LIMIT = 10_000;

	private static String csv() {
		StringBuilder csv = new StringBuilder("x,label,y\n");
		for (int i = 0; i < 100; i++) {
			csv.append(String.format(Locale.ROOT, "%.2f,%s,%.3f%n", i * 0.1, i % 2 == 0 ? "a" : "b", i * 0.5));
		}
		return csv.toString();
	}

	@Test
	void treesCountTheirEstimatorsAndTheRefitCountsAsAFit() {
		// 100 trees x 80 training rows x 1 fit = 8,000: within 10,000
		assertThat(errors(request("random_forest", "label", Map.of("nEstimators", 100), null, false))).isEmpty();
		// the refit on every row is a second fit: 16,000
		assertThat(errors(request("random_forest", "label", Map.of("nEstimators", 100), null, true)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.nEstimators",
					"nEstimators x training rows x 2 (the evaluated model and the refit) is 16,000, more than the "
							+ "limit of 10,000 (fitserve.training.max-work)"));
		// absent refit means refit
		assertThat(errors(request("random_forest", "label", Map.of("nEstimators", 100), null, null)))
			.extracting(FieldError::field)
			.containsExactly("hyperparameters.nEstimators");
	}

	@Test
	void gradientBoostingWithCrossValidationCountsTheFoldsTheFinalModelAndTheRefit() {
		TrainingJobRequest.CrossValidationRequest threeFolds = new TrainingJobRequest.CrossValidationRequest(3, null);
		// 30 iterations x 80 training rows x (3 + 1) = 9,600: within
		assertThat(errors(request("gradient_boosting", "y", Map.of("nEstimators", 30), threeFolds, false))).isEmpty();
		// x (3 + 2) with the refit = 12,000
		assertThat(errors(request("gradient_boosting", "y", Map.of("nEstimators", 30), threeFolds, true)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.nEstimators",
					"nEstimators x training rows x (folds + 2: the folds, the evaluated model and the refit) is "
							+ "12,000, more than the limit of 10,000 (fitserve.training.max-work)"));
		// 40 iterations without refit: 40 x 80 x 4 = 12,800
		assertThat(errors(request("gradient_boosting", "y", Map.of("nEstimators", 40), threeFolds, false)))
			.extracting(FieldError::message)
			.containsExactly("nEstimators x training rows x (folds + 1) is 12,800, more than the limit of 10,000 "
					+ "(fitserve.training.max-work)");
	}

	@Test
	void withoutHeldOutRowsTheRefitIsNoExtraFit() {
		TrainingJobRequest.CrossValidationRequest threeFolds = new TrainingJobRequest.CrossValidationRequest(3, null);
		// no test split: the final model after the folds already trains on every row, 30
		// x 100 x (3 + 1) = 12,000 whatever refit says
		assertThat(errors(new TrainingJobRequest("ignored", "y", null, null, "gradient_boosting",
				Map.of("nEstimators", 30), null, 0.0, threeFolds, null, true)))
			.extracting(FieldError::message)
			.containsExactly("nEstimators x training rows x (folds + 1) is 12,000, more than the limit of 10,000 "
					+ "(fitserve.training.max-work)");
		// neither a test nor a validation split: one fit of 90 trees x 100 rows = 9,000
		assertThat(errors(new TrainingJobRequest("ignored", "label", null, null, "random_forest",
				Map.of("nEstimators", 90), 0.0, 0.0, null, null, true)))
			.isEmpty();
	}

	@Test
	void gradientTrainedModelsCountEpochsAndTheRefit() {
		// mlp (no early stopping by default, so no validation split): 100 epochs x 80
		// training rows = 8,000, x 2 with the refit = 16,000
		assertThat(errors(request("mlp", "label", Map.of("epochs", 100), null, false))).isEmpty();
		assertThat(errors(request("mlp", "label", Map.of("epochs", 100), null, true)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.epochs",
					"epochs x training rows x 2 (the evaluated model and the refit) is 16,000, more than the limit "
							+ "of 10,000 (fitserve.training.max-work)"));
		// the exact least-squares solver makes no passes: no work limit
		assertThat(errors(request("linear_regression", "y", Map.of(), null, true))).isEmpty();
	}

	@Test
	void kmeansCountsRestartsIterationsAndClustersAsPasses() {
		// 1 restart x 20 iterations x 5 clusters x 100 rows (no split, no refit) = 10,000
		TrainingJobRequest within = new TrainingJobRequest("ignored", null, List.of("x"), "clustering", "kmeans",
				Map.of("k", 5, "nInit", 1, "maxIter", 20), 0.0, 0.0, null, null, false);
		assertThat(errors(within)).isEmpty();
		// 21 iterations: 10,500
		TrainingJobRequest over = new TrainingJobRequest("ignored", null, List.of("x"), "clustering", "kmeans",
				Map.of("k", 5, "nInit", 1, "maxIter", 21), 0.0, 0.0, null, null, false);
		assertThat(errors(over)).extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.maxIter", "nInit x maxIter x k x training rows is 10,500, more "
					+ "than the limit of 10,000 (fitserve.training.max-work)"));
		// k "auto" over 2..4 tries 2 + 3 + 4 = 9 clusters: 1 x 12 x 9 x 100 = 10,800
		TrainingJobRequest auto = new TrainingJobRequest("ignored", null, List.of("x"), "clustering", "kmeans",
				Map.of("k", "auto", "kMin", 2, "kMax", 4, "nInit", "auto", "maxIter", 12), 0.0, 0.0, null, null, false);
		assertThat(errors(auto)).extracting(FieldError::message)
			.containsExactly("nInit x maxIter x k x training rows is 10,800, more than the limit of 10,000 "
					+ "(fitserve.training.max-work)");
	}

	/** 90 common and 10 rare rows: 72 and 8 of them train. */
	static final TestDatasets.Loaded SKEWED = TestDatasets.fromCsv(skewed(100, 10));

	/** 750 common and 250 rare rows: 600 and 200 of them train. */
	static final TestDatasets.Loaded LARGE_MINORITY = TestDatasets.fromCsv(skewed(1000, 4));

	private static String skewed(int rows, int every) {
		StringBuilder csv = new StringBuilder("x,label\n");
		for (int i = 0; i < rows; i++) {
			csv.append(String.format(Locale.ROOT, "%.2f,%s%n", i * 0.1, i % every == 0 ? "rare" : "common"));
		}
		return csv.toString();
	}

	@Test
	void resampledRowsCountAsTrainingRows() {
		// oversample raises rare from 10 to 90 of the 100 rows: 80 training rows x 180 /
		// 100 = 144; 60 trees x 144 = 8,640, within; 70 trees 10,080 (without resample
		// 70 x 80 = 5,600)
		assertThat(errors(SKEWED,
				request("random_forest", "label", Map.of("nEstimators", 60, "resample", "oversample"), null, false)))
			.isEmpty();
		assertThat(errors(SKEWED, request("random_forest", "label", Map.of("nEstimators", 70), null, false))).isEmpty();
		assertThat(errors(SKEWED,
				request("random_forest", "label", Map.of("nEstimators", 70, "resample", "oversample"), null, false)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.nEstimators",
					"nEstimators x training rows is 10,080, more than the limit of 10,000 "
							+ "(fitserve.training.max-work)"));
		// undersample cuts common to 10: 80 x 20 / 100 = 16 rows; 600 trees x 16 = 9,600
		assertThat(errors(SKEWED,
				request("random_forest", "label", Map.of("nEstimators", 600, "resample", "undersample"), null, false)))
			.isEmpty();
	}

	@Test
	void smotesNeighbourSearchCountsAgainstMaxWork() {
		// 200 rare training rows, squared, x 1 encoded column x 1 fit = 40,000
		assertThat(errors(LARGE_MINORITY,
				request("random_forest", "label", Map.of("nEstimators", 1, "resample", "smote"), null, false)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.resample",
					"SMOTE's neighbour search (training rows of each class it raises, squared, x encoded columns) "
							+ "is 40,000, more than the limit of 10,000 (fitserve.training.max-work): use resample "
							+ "oversample or undersample"));
		// oversample searches nothing: 1 tree x 800 x 1,500 / 1,000 = 1,200
		assertThat(errors(LARGE_MINORITY,
				request("random_forest", "label", Map.of("nEstimators", 1, "resample", "oversample"), null, false)))
			.isEmpty();
		// a class with no more rows than smoteNeighbors anywhere cannot be raised
		assertThat(errors(SKEWED,
				request("random_forest", "label", Map.of("nEstimators", 1, "resample", "smote", "smoteNeighbors", 10),
						null, false)))
			.extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("hyperparameters.smoteNeighbors",
					"class 'rare' has 10 row(s) in the whole dataset; SMOTE with smoteNeighbors 10 needs at least 11 "
							+ "in the rows each fit trains on: lower smoteNeighbors, or use resample oversample"));
	}

	private static TrainingJobRequest request(String algorithm, String target, Map<String, Object> hyperparameters,
			TrainingJobRequest.CrossValidationRequest crossValidation, Boolean refit) {
		return new TrainingJobRequest("ignored", target, List.of("x"), null, algorithm, hyperparameters, null, null,
				crossValidation, null, refit);
	}

	private static List<FieldError> errors(TrainingJobRequest request) {
		return errors(DATA, request);
	}

	private static List<FieldError> errors(TestDatasets.Loaded data, TrainingJobRequest request) {
		TrainingSpec spec = SpecResolver.resolve(request, data.dataset(), data.frame());
		List<FieldError> errors = new ArrayList<>();
		TrainingLimits.check(spec, data.frame(), new TrainingProperties(1, 16, 5_000_000, LIMIT, 20_000, 10_000, 3),
				errors);
		return errors;
	}

}
