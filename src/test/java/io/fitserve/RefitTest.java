package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.fitserve.ml.artifact.ModelProvenance;
import io.fitserve.ml.data.Splits;
import io.fitserve.models.ModelService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * refit over real HTTP (issue 11, "Served models use all the rows"): the served model is
 * trained again on every row after the held-out rows evaluated a fit without them; the
 * metrics stay those of the evaluated fit and say so; provenance says which rows trained
 * the served model.
 */
class RefitTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.training.max-concurrent-jobs=1");

	static HttpTestClient http;

	@BeforeAll
	static void start() {
		http = server.http();
	}

	static final int ROWS = 60;

	/** y = 1.5 + 2 x1 - 0.7 x2 + noise: the train split's and all rows' fits differ. */
	static double[][] noisyLinear() {
		Random random = new Random(11);
		double[][] rows = new double[ROWS][];
		for (int i = 0; i < ROWS; i++) {
			double x1 = random.nextDouble() * 4 - 2;
			double x2 = random.nextGaussian() * 3;
			rows[i] = new double[] { x1, x2, 1.5 + 2 * x1 - 0.7 * x2 + random.nextGaussian() * 2 };
		}
		return rows;
	}

	static String csv(double[][] rows) {
		StringBuilder csv = new StringBuilder("x1,x2,y\n");
		for (double[] r : rows) {
			csv.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append('\n');
		}
		return csv.toString();
	}

	/**
	 * Ordinary least squares with an intercept on the given rows, by the normal equations
	 * solved here (Gaussian elimination): [b0, b1, b2].
	 */
	static double[] leastSquares(double[][] data, int[] rows) {
		double[][] a = new double[3][4];
		for (int r : rows) {
			double[] x = { 1, data[r][0], data[r][1] };
			for (int i = 0; i < 3; i++) {
				for (int j = 0; j < 3; j++) {
					a[i][j] += x[i] * x[j];
				}
				a[i][3] += x[i] * data[r][2];
			}
		}
		for (int p = 0; p < 3; p++) {
			int max = p;
			for (int i = p + 1; i < 3; i++) {
				if (Math.abs(a[i][p]) > Math.abs(a[max][p])) {
					max = i;
				}
			}
			double[] t = a[p];
			a[p] = a[max];
			a[max] = t;
			for (int i = 0; i < 3; i++) {
				if (i != p) {
					double f = a[i][p] / a[p][p];
					for (int j = p; j < 4; j++) {
						a[i][j] -= f * a[p][j];
					}
				}
			}
		}
		return new double[] { a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2] };
	}

	static double predict(double[] b, double x1, double x2) {
		return b[0] + b[1] * x1 + b[2] * x2;
	}

	static int[] allRows() {
		int[] rows = new int[ROWS];
		for (int i = 0; i < ROWS; i++) {
			rows[i] = i;
		}
		return rows;
	}

	static final double[][] PROBES = { { 0, 0 }, { 1.5, -4 }, { -2, 5 } };

	static List<Double> served(Map<String, Object> model) {
		List<Map<String, Object>> rows = new ArrayList<>();
		for (double[] p : PROBES) {
			rows.add(Map.of("x1", p[0], "x2", p[1]));
		}
		Map<String, Object> body = http
			.postJson("/api/v1/models/" + model.get("id") + "/predictions", Map.of("rows", rows))
			.json();
		List<Double> out = new ArrayList<>();
		for (int i = 0; i < PROBES.length; i++) {
			out.add(((Number) at(body, "predictions", i, "value")).doubleValue());
		}
		return out;
	}

	static Map<String, Object> train(Map<String, Object> spec) throws InterruptedException {
		return TrainingMethodsTest.trainWith(http, spec);
	}

	static ModelProvenance artifactProvenance(Map<String, Object> model) {
		ModelService models = server.bean(ModelService.class);
		return models.artifact(models.get((String) model.get("id"))).provenance();
	}

	static Map<String, Object> spec(String datasetId, String algorithm, Object... more) {
		Map<String, Object> spec = new HashMap<>(Map.of("datasetId", datasetId, "target", "y", "algorithm", algorithm));
		for (int i = 0; i < more.length; i += 2) {
			spec.put((String) more[i], more[i + 1]);
		}
		return spec;
	}

	@Test
	void theServedLeastSquaresFitIsThatOfAllRowsAndTheMetricsThoseOfTheTrainSplit() throws Exception {
		double[][] data = noisyLinear();
		String id = upload(csv(data));
		// the seeded split the job makes (testFraction 0.2, seed 42; no validation split
		// for the exact solver)
		int[] train = Splits.split(ROWS, null, 0.0, 0.2, 42).train();
		int[] test = Splits.split(ROWS, null, 0.0, 0.2, 42).test();
		assertThat(train).hasSize(48);
		double[] all = leastSquares(data, allRows());
		double[] trainOnly = leastSquares(data, train);
		// the noise makes the two fits differ at each probe by far more than the 1e-6
		// the served predictions are checked to
		for (double[] p : PROBES) {
			assertThat(Math.abs(predict(all, p[0], p[1]) - predict(trainOnly, p[0], p[1]))).isGreaterThan(0.01);
		}
		// the test r2 of the train split's fit, computed here
		double mean = 0;
		for (int r : test) {
			mean += data[r][2] / test.length;
		}
		double sse = 0;
		double sst = 0;
		for (int r : test) {
			double e = data[r][2] - predict(trainOnly, data[r][0], data[r][1]);
			sse += e * e;
			sst += (data[r][2] - mean) * (data[r][2] - mean);
		}
		double testR2 = 1 - sse / sst;

		Map<String, Object> refit = train(spec(id, "linear_regression", "hyperparameters", Map.of("l2", 0.0)));
		Map<String, Object> kept = train(
				spec(id, "linear_regression", "hyperparameters", Map.of("l2", 0.0), "refit", false));
		assertThat(HttpTestClient.<String>at(refit, "provenance", "trainingDetails", "solver"))
			.isEqualTo("normal_equation");

		// refit (the default): the served model is the least-squares fit of all 60 rows
		List<Double> servedRefit = served(refit);
		List<Double> servedKept = served(kept);
		for (int i = 0; i < PROBES.length; i++) {
			double[] p = PROBES[i];
			assertThat(servedRefit.get(i)).isCloseTo(predict(all, p[0], p[1]), within(1e-6));
			assertThat(servedKept.get(i)).isCloseTo(predict(trainOnly, p[0], p[1]), within(1e-6));
		}
		// the test metrics are the train split's fit's in both
		assertThat(HttpTestClient.<Double>at(refit, "metrics", "test", "r2")).isCloseTo(testR2, within(1e-9));
		assertThat(HttpTestClient.<Double>at(kept, "metrics", "test", "r2")).isCloseTo(testR2, within(1e-9));

		// the metrics say what they were measured on
		Map<String, Object> section = at(refit, "metrics", "refit");
		assertThat(section).containsEntry("servedModelRows", 60)
			.containsEntry("servedModelTrainedOn", "all rows: train and test splits")
			.containsEntry("evaluatedModelRows", 48)
			.containsEntry("evaluatedModelTrainedOn", "train split")
			.containsEntry("refitEpochs", null);
		assertThat((String) section.get("note"))
			.isEqualTo("test metrics were measured on a model trained without those rows, on the 48 rows of the train "
					+ "split; the served model was then retrained on all 60 rows with the same hyperparameters");
		assertThat(HttpTestClient.<Map<String, Object>>at(kept, "metrics")).doesNotContainKey("refit");

		// provenance: the spec says refit, and which rows trained the served model
		assertThat(HttpTestClient.<Boolean>at(refit, "provenance", "trainingSpec", "refit")).isTrue();
		assertThat(HttpTestClient.<Boolean>at(kept, "provenance", "trainingSpec", "refit")).isFalse();
		assertThat(HttpTestClient.<Map<String, Object>>at(refit, "provenance", "servedModel"))
			.containsEntry("trainedOn", "all rows: train and test splits")
			.containsEntry("rows", 60)
			.containsEntry("refit", true)
			.containsEntry("epochs", null);
		assertThat(HttpTestClient.<Map<String, Object>>at(kept, "provenance", "servedModel"))
			.containsEntry("trainedOn", "train split")
			.containsEntry("rows", 48)
			.containsEntry("refit", false);
		assertThat(artifactProvenance(refit).trainingRows()).containsOnlyKeys("trainedOn", "rows")
			.containsEntry("trainedOn", "all rows: train and test splits")
			.containsEntry("rows", 60);
		assertThat(artifactProvenance(kept).trainingRows()).containsEntry("trainedOn", "train split")
			.containsEntry("rows", 48);

		// cross-validated: the final model on the non-test rows is scored on test, then
		// refit on all rows
		Map<String, Object> cv = train(spec(id, "linear_regression", "hyperparameters", Map.of("l2", 0.0),
				"crossValidation", Map.of("folds", 3)));
		List<Double> servedCv = served(cv);
		for (int i = 0; i < PROBES.length; i++) {
			assertThat(servedCv.get(i)).isCloseTo(predict(all, PROBES[i][0], PROBES[i][1]), within(1e-6));
		}
		assertThat(HttpTestClient.<Double>at(cv, "metrics", "test", "r2")).isCloseTo(testR2, within(1e-9));
		assertThat(HttpTestClient.<String>at(cv, "metrics", "refit", "evaluatedModelTrainedOn"))
			.isEqualTo("train and validation splits (after cross-validation)");
		assertThat(HttpTestClient.<String>at(cv, "metrics", "refit", "servedModelTrainedOn"))
			.isEqualTo("all rows: train and test splits (after cross-validation)");
		assertThat(HttpTestClient.<String>at(cv, "metrics", "refit", "note")).isEqualTo(
				"test metrics were measured on a model trained without those rows, on the 48 rows of the train and "
						+ "validation splits (after cross-validation); cross-validation metrics on the fold models; "
						+ "the served model was then retrained on all 60 rows with the same hyperparameters");
		assertThat(HttpTestClient.<String>at(cv, "provenance", "servedModel", "trainedOn"))
			.isEqualTo("all rows: train and test splits (after cross-validation)");
	}

	@Test
	void aSearchsBestModelIsRefitAsTheSearchAsks() throws Exception {
		double[][] data = noisyLinear();
		String id = upload(csv(data));
		double[] all = leastSquares(data, allRows());
		double[] trainOnly = leastSquares(data, Splits.split(ROWS, null, 0.0, 0.2, 42).train());
		Map<String, Object> refit = bestModel(id, null);
		Map<String, Object> kept = bestModel(id, false);
		// l2 0 wins over a heavy penalty on linear data: its model is the least-squares
		// fit, of every row with refit, of the train split without
		assertThat(HttpTestClient.<Double>at(refit, "hyperparameters", "l2")).isEqualTo(0.0);
		assertThat(HttpTestClient.<Double>at(kept, "hyperparameters", "l2")).isEqualTo(0.0);
		List<Double> servedRefit = served(refit);
		List<Double> servedKept = served(kept);
		for (int i = 0; i < PROBES.length; i++) {
			assertThat(servedRefit.get(i)).isCloseTo(predict(all, PROBES[i][0], PROBES[i][1]), within(1e-6));
			assertThat(servedKept.get(i)).isCloseTo(predict(trainOnly, PROBES[i][0], PROBES[i][1]), within(1e-6));
		}
		assertThat(HttpTestClient.<Boolean>at(refit, "provenance", "servedModel", "refit")).isTrue();
		assertThat(HttpTestClient.<Boolean>at(kept, "provenance", "servedModel", "refit")).isFalse();
		assertThat(HttpTestClient.<Double>at(refit, "metrics", "test", "r2"))
			.isEqualTo(HttpTestClient.<Double>at(kept, "metrics", "test", "r2"));
	}

	static Map<String, Object> bestModel(String datasetId, Boolean refit) throws InterruptedException {
		Map<String, Object> search = new HashMap<>(
				Map.of("datasetId", datasetId, "target", "y", "algorithm", "linear_regression", "strategy", "grid",
						"space", Map.of("l2", List.of(100.0, 0.0)), "folds", 3, "metric", "r2"));
		if (refit != null) {
			search.put("refit", refit);
		}
		HttpTestClient.Response r = http.postJson("/api/v1/tuning-jobs", search);
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		String tuningId = (String) r.json().get("id");
		Map<String, Object> job = http.awaitTuningJob(tuningId, Duration.ofSeconds(120));
		assertThat(job.get("status")).as(String.valueOf(job)).isEqualTo("succeeded");
		return http.get("/api/v1/models/" + job.get("bestModelId")).json();
	}

	/** y = sin(x1) * 3 + x2 / 2 + noise: boosting with early stopping stops early. */
	static String wavesCsv() {
		Random random = new Random(7);
		StringBuilder csv = new StringBuilder("x1,x2,y\n");
		for (int i = 0; i < 400; i++) {
			double x1 = random.nextDouble() * 6;
			double x2 = random.nextGaussian();
			csv.append(x1)
				.append(',')
				.append(x2)
				.append(',')
				.append(3 * Math.sin(x1) + x2 / 2 + random.nextGaussian())
				.append('\n');
		}
		return csv.toString();
	}

	@Test
	void boostingRefitsWithTheIterationsEarlyStoppingChose() throws Exception {
		String id = upload(wavesCsv());
		Map<String, Object> hyperparameters = Map.of("earlyStopping", true, "nEstimators", 300, "learningRate", 0.3,
				"earlyStoppingRounds", 5);
		Map<String, Object> model = train(spec(id, "gradient_boosting", "hyperparameters", hyperparameters));
		int best = at(model, "provenance", "bestEpoch");
		int run = at(model, "provenance", "epochsRun");
		assertThat(best).isBetween(1, 299);
		assertThat(run).isLessThan(300).isGreaterThan(best);
		// 400 rows: 80 test, 40 validation, 280 train
		assertThat(HttpTestClient.<Map<String, Object>>at(model, "provenance", "rows")).containsEntry("train", 280)
			.containsEntry("validation", 40)
			.containsEntry("test", 80);
		assertThat(HttpTestClient.<Map<String, Object>>at(model, "provenance", "servedModel"))
			.containsEntry("trainedOn", "all rows: train, validation and test splits")
			.containsEntry("rows", 400)
			.containsEntry("refit", true)
			.containsEntry("epochs", best);
		assertThat(HttpTestClient.<Integer>at(model, "metrics", "refit", "refitEpochs")).isEqualTo(best);
		assertThat(HttpTestClient.<String>at(model, "metrics", "refit", "note"))
			.startsWith("test and validation metrics were measured on a model trained without those rows, on the "
					+ "280 rows of the train split;")
			.endsWith("retrained on all 400 rows with the same hyperparameters for the " + best
					+ " epochs (boosting iterations) early stopping chose");
		// the served model's own details: exactly that many iterations, no early stopping
		assertThat(HttpTestClient.<Map<String, Object>>at(model, "provenance", "trainingDetails"))
			.containsEntry("iterationsRun", best)
			.containsEntry("earlyStopping", false);
		assertThat(artifactProvenance(model).trainingRows())
			.containsEntry("trainedOn", "all rows: train, validation and test splits")
			.containsEntry("rows", 400)
			.containsEntry("epochs", best);
		// the job keeps the evaluated fit's history, with its validation curve
		List<?> history = new tools.jackson.databind.json.JsonMapper()
			.readValue(http.get("/api/v1/training-jobs/" + model.get("trainingJobId") + "/history").body(), List.class);
		assertThat(history).hasSize(run);
		assertThat(HttpTestClient.<Double>at(history, 0, "validationLoss")).isNotNull();

		// with cross-validation the final model trains the folds' mean of kept iterations
		// (early stopping of gradient_boosting counts too), and the refit the same
		Map<String, Object> cv = train(spec(id, "gradient_boosting", "hyperparameters", hyperparameters,
				"crossValidation", Map.of("folds", 3)));
		List<Map<String, Object>> folds = at(cv, "metrics", "crossValidation", "folds");
		double sum = 0;
		for (Map<String, Object> fold : folds) {
			sum += ((Number) fold.get("bestEpoch")).intValue();
		}
		int mean = (int) Math.round(sum / folds.size());
		assertThat(mean).isBetween(1, 299);
		assertThat(HttpTestClient.<Integer>at(cv, "metrics", "crossValidation", "finalEpochs")).isEqualTo(mean);
		assertThat(HttpTestClient.<Integer>at(cv, "metrics", "refit", "refitEpochs")).isEqualTo(mean);
		assertThat(HttpTestClient.<Integer>at(cv, "metrics", "refit", "evaluatedModelRows")).isEqualTo(320);
		assertThat(HttpTestClient.<Map<String, Object>>at(cv, "provenance", "servedModel"))
			.containsEntry("trainedOn", "all rows: train, validation and test splits (after cross-validation)")
			.containsEntry("rows", 400)
			.containsEntry("epochs", mean);
		assertThat(HttpTestClient.<Integer>at(cv, "provenance", "trainingDetails", "iterationsRun")).isEqualTo(mean);
		// the evaluated final model (no validation rows left) trained the mean too
		assertThat(HttpTestClient.<Integer>at(cv, "provenance", "bestEpoch")).isEqualTo(mean);

		// without refit, the final model after cross-validation is served: it trained the
		// mean, which the folds' early stopping chose
		Map<String, Object> cvKept = train(spec(id, "gradient_boosting", "hyperparameters", hyperparameters,
				"crossValidation", Map.of("folds", 3), "refit", false));
		assertThat(HttpTestClient.<Integer>at(cvKept, "metrics", "crossValidation", "finalEpochs")).isEqualTo(mean);
		assertThat(HttpTestClient.<Integer>at(cvKept, "provenance", "trainingDetails", "iterationsRun"))
			.isEqualTo(mean);
		assertThat(HttpTestClient.<Map<String, Object>>at(cvKept, "provenance", "servedModel"))
			.containsEntry("trainedOn", "train and validation splits (after cross-validation)")
			.containsEntry("rows", 320)
			.containsEntry("refit", false);
		assertThat(artifactProvenance(cvKept).trainingRows()).containsEntry("epochs", mean);

		// no test split: the final model after cross-validation already trained on every
		// row, so refit adds no fit
		Map<String, Object> cvAll = train(spec(id, "gradient_boosting", "hyperparameters", hyperparameters,
				"crossValidation", Map.of("folds", 3), "testFraction", 0.0));
		assertThat(HttpTestClient.<Map<String, Object>>at(cvAll, "metrics")).doesNotContainKey("refit");
		assertThat(HttpTestClient.<Map<String, Object>>at(cvAll, "provenance", "servedModel"))
			.containsEntry("rows", 400)
			.containsEntry("refit", false);
	}

	static String upload(String csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv.getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

}
