package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Fairness reports over real HTTP, against rates worked out by hand: a classifier whose
 * predictions on the report's rows are known (a logistic regression trained on a feature
 * that decides the class alone), scored on a small dataset whose groups are a column the
 * model never saw.
 */
class FairnessTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer("--fitserve.training.max-concurrent-jobs=1",
			"--fitserve.fairness.max-groups=4");

	static HttpTestClient http;

	/** Predicts yes (true) for score 10 and no (false) for score 0. */
	static String binaryModel;

	/** Predicts red for k1, green for k2, blue for k3. */
	static String multiclassModel;

	static final double EPS = 1e-12;

	@BeforeAll
	static void train() throws InterruptedException {
		http = server.http();
		StringBuilder binary = new StringBuilder("score,approved\n");
		StringBuilder multi = new StringBuilder("kind,colour\n");
		for (int i = 0; i < 60; i++) {
			binary.append(i % 2 == 0 ? "0,no\n" : "10,yes\n");
			multi.append(List.of("k1,red\n", "k2,green\n", "k3,blue\n").get(i % 3));
		}
		binaryModel = trainModel(upload(binary.toString()), "approved");
		multiclassModel = trainModel(upload(multi.toString()), "colour");
	}

	static String upload(String csv) {
		HttpTestClient.Response r = http.upload("data.csv", csv.getBytes(StandardCharsets.UTF_8), null);
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		return (String) r.json().get("id");
	}

	static String trainModel(String datasetId, String target) throws InterruptedException {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", target, "algorithm", "logistic_regression"));
		assertThat(r.status()).as(r.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		return (String) job.get("modelId");
	}

	/**
	 * 17 rows; the model predicts yes exactly where score is 10. Per group (P predicted
	 * yes, Y actually yes; TP, FP):
	 *
	 * <pre>
	 * A (6 scored; the row without a label is skipped): 10/yes 10/yes 10/no 0/yes 0/no 0/no
	 *   selection 3/6 = 0.5, accuracy (2 TP + 2 TN) 4/6, TPR 2/3, FPR 1/3
	 * B (5): 10/yes 0/yes 0/yes 0/no 0/no
	 *   selection 1/5 = 0.2, accuracy (1 TP + 2 TN) 3/5, TPR 1/3, FPR 0/2 = 0
	 * C (4): 10/yes 10/no 10/no 0/yes
	 *   selection 3/4, accuracy (1 TP) 1/4, TPR 1/2, FPR 2/2 = 1
	 * (missing) (1): 10/yes
	 *   selection 1, accuracy 1, TPR 1, FPR undefined (no "no" row): null, left out
	 * overall (16): selection 8/16, accuracy 9/16, TPR 5/9, FPR 3/7
	 * demographic parity difference 1 - 0.2 = 0.8, ratio 0.2 / 1 = 0.2
	 * TPR difference 1 - 1/3 = 2/3, FPR difference 1 - 0 = 1, equalized odds difference 1
	 * </pre>
	 */
	static final String BINARY_ROWS = """
			score,approved,group
			10,yes,A
			10,yes,A
			10,no,A
			0,yes,A
			0,no,A
			0,no,A
			0,,A
			10,yes,B
			0,yes,B
			0,yes,B
			0,no,B
			0,no,B
			10,yes,C
			10,no,C
			10,no,C
			0,yes,C
			10,yes,
			""";

	@Test
	void binaryReportMatchesRatesWorkedOutByHand() {
		Map<String, Object> model = http.get("/api/v1/models/" + binaryModel).json();
		// yes/no is read as a boolean column: the classes are false and true
		assertThat(model.get("classLabels")).isEqualTo(List.of("false", "true"));
		String data = upload(BINARY_ROWS);
		HttpTestClient.Response r = http.postJson("/api/v1/models/" + binaryModel + "/fairness",
				Map.of("datasetId", data, "sensitiveFeature", "group", "threshold", 0.5));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		Map<String, Object> report = r.json();
		assertThat(r.header("Location")).isEqualTo("/api/v1/models/" + binaryModel + "/fairness/" + report.get("id"));
		assertThat(report).containsEntry("classification", "binary")
			.containsEntry("positiveLabel", "true")
			.containsEntry("threshold", 0.5)
			.containsEntry("sensitiveFeature", "group")
			.containsEntry("rows", 16)
			.containsEntry("rowsSkipped", 1);
		assertThat(HttpTestClient.<List<String>>at(report, "warnings")).contains(
				"1 row(s) without a target value were skipped",
				"1 row(s) without a value of 'group' form the group '(missing)'");

		List<Map<String, Object>> groups = at(report, "groups");
		assertThat(groups).extracting(g -> g.get("group")).containsExactly("A", "B", "C", "(missing)");
		assertThat(groups).extracting(g -> g.get("rows")).containsExactly(6, 5, 4, 1);
		assertRates(groups.get(0), 0.5, 4.0 / 6, 2.0 / 3, 1.0 / 3);
		assertRates(groups.get(1), 0.2, 3.0 / 5, 1.0 / 3, 0.0);
		assertRates(groups.get(2), 0.75, 0.25, 0.5, 1.0);
		assertRates(groups.get(3), 1.0, 1.0, 1.0, null);
		Map<String, Object> overall = at(report, "overall");
		assertThat(overall).containsEntry("group", "(overall)").containsEntry("rows", 16);
		assertRates(overall, 0.5, 9.0 / 16, 5.0 / 9, 3.0 / 7);

		Map<String, Object> disparity = at(report, "disparity");
		assertThat(disparity.get("label")).isEqualTo("true");
		assertThat((Double) disparity.get("demographicParityDifference")).isCloseTo(0.8, within(EPS));
		assertThat((Double) disparity.get("demographicParityRatio")).isCloseTo(0.2, within(EPS));
		assertThat((Double) disparity.get("truePositiveRateDifference")).isCloseTo(2.0 / 3, within(EPS));
		assertThat((Double) disparity.get("falsePositiveRateDifference")).isCloseTo(1.0, within(EPS));
		assertThat((Double) disparity.get("equalizedOddsDifference")).isCloseTo(1.0, within(EPS));
		assertThat(report.get("disparityPerClass")).isNull();
		assertThat(HttpTestClient.<List<String>>at(report, "warnings"))
			.anySatisfy(w -> assertThat(w).contains("'(missing)'").contains("false positive rate is undefined"));

		// "false" (no) as the positive label: the selection rates are 1 minus those of
		// yes
		// (A 0.5, B 0.8, C 0.25, (missing) 0): difference 0.8, ratio 0 / 0.8 = 0
		Map<String, Object> negative = http
			.postJson("/api/v1/models/" + binaryModel + "/fairness",
					Map.of("datasetId", data, "sensitiveFeature", "group", "threshold", 0.5, "positiveLabel", "false"))
			.json();
		assertThat(negative.get("positiveLabel")).isEqualTo("false");
		assertThat(HttpTestClient.<Double>at(negative, "groups", 1, "selectionRate")).isCloseTo(0.8, within(EPS));
		// B's "no" rows are both predicted no: TPR 2/2; its "yes" rows 2 of 3 predicted
		// no:
		// FPR 2/3
		assertThat(HttpTestClient.<Double>at(negative, "groups", 1, "truePositiveRate")).isCloseTo(1.0, within(EPS));
		assertThat(HttpTestClient.<Double>at(negative, "groups", 1, "falsePositiveRate")).isCloseTo(2.0 / 3,
				within(EPS));
		assertThat(HttpTestClient.<Double>at(negative, "disparity", "demographicParityDifference")).isCloseTo(0.8,
				within(EPS));
		assertThat(HttpTestClient.<Double>at(negative, "disparity", "demographicParityRatio")).isEqualTo(0.0);

		// no threshold: the model's decisionThreshold (0.5 when it has none); scores of 0
		// and 10 fall on either side of it, so the rates are the same
		Map<String, Object> byDefault = http
			.postJson("/api/v1/models/" + binaryModel + "/fairness",
					Map.of("datasetId", data, "sensitiveFeature", "group"))
			.json();
		Object stored = model.get("decisionThreshold");
		assertThat(byDefault.get("threshold")).isEqualTo(stored == null ? 0.5 : stored);
		assertThat(HttpTestClient.<Double>at(byDefault, "disparity", "demographicParityDifference")).isCloseTo(0.8,
				within(EPS));
	}

	/**
	 * The model predicts red for k1, green for k2, blue for k3. Rows as kind/actual:
	 *
	 * <pre>
	 * north: k1/red k1/green k2/green k3/blue    accuracy 3/4
	 *   red:   selection 2/4, TPR 1/1, FPR 1/3 (the green row predicted red)
	 *   green: selection 1/4, TPR 1/2, FPR 0/2
	 *   blue:  selection 1/4, TPR 1/1, FPR 0/3
	 * south: k1/red k2/green k2/blue k2/green    accuracy 3/4
	 *   red:   selection 1/4, TPR 1/1, FPR 0/3
	 *   green: selection 3/4, TPR 2/2, FPR 1/2 (the blue row predicted green)
	 *   blue:  selection 0,   TPR 0/1, FPR 0/3
	 * red:   parity difference 0.25, ratio 0.5, TPR difference 0, FPR difference 1/3, odds 1/3
	 * green: parity difference 0.5, ratio 1/3, TPR difference 1/2, FPR difference 1/2, odds 1/2
	 * blue:  parity difference 0.25, ratio 0, TPR difference 1, FPR difference 0, odds 1
	 * </pre>
	 */
	@Test
	void multiclassReportGivesRatesAndParityPerClass() {
		String data = upload("""
				kind,colour,region
				k1,red,north
				k1,green,north
				k2,green,north
				k3,blue,north
				k1,red,south
				k2,green,south
				k2,blue,south
				k2,green,south
				""");
		HttpTestClient.Response r = http.postJson("/api/v1/models/" + multiclassModel + "/fairness",
				Map.of("datasetId", data, "sensitiveFeature", "region"));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		Map<String, Object> report = r.json();
		assertThat(report).containsEntry("classification", "multiclass").containsEntry("rows", 8);
		assertThat(report.get("positiveLabel")).isNull();
		assertThat(report.get("threshold")).isNull();
		assertThat(report.get("disparity")).isNull();

		List<Map<String, Object>> groups = at(report, "groups");
		assertThat(groups).extracting(g -> g.get("group")).containsExactly("north", "south");
		assertThat((Double) groups.get(0).get("accuracy")).isCloseTo(0.75, within(EPS));
		assertThat(groups.get(0).get("selectionRate")).isNull();
		assertClassRates(groups.get(0), "red", 0.5, 1.0, 1.0 / 3);
		assertClassRates(groups.get(0), "green", 0.25, 0.5, 0.0);
		assertClassRates(groups.get(0), "blue", 0.25, 1.0, 0.0);
		assertClassRates(groups.get(1), "red", 0.25, 1.0, 0.0);
		assertClassRates(groups.get(1), "green", 0.75, 1.0, 0.5);
		assertClassRates(groups.get(1), "blue", 0.0, 0.0, 0.0);

		List<Map<String, Object>> perClass = at(report, "disparityPerClass");
		assertDisparity(perClass, "red", 0.25, 0.5, 0.0, 1.0 / 3, 1.0 / 3);
		assertDisparity(perClass, "green", 0.5, 1.0 / 3, 0.5, 0.5, 0.5);
		assertDisparity(perClass, "blue", 0.25, 0.0, 1.0, 0.0, 1.0);

		// a threshold is for binary models
		HttpTestClient.Response threshold = http.postJson("/api/v1/models/" + multiclassModel + "/fairness",
				Map.of("datasetId", data, "sensitiveFeature", "region", "threshold", 0.3));
		assertThat(threshold.status()).as(threshold.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(threshold.json(), "errors", 0, "field")).isEqualTo("threshold");
	}

	@Test
	void refusesWhatItCannotMeasureBeforeScoring() {
		String data = upload(BINARY_ROWS);
		String path = "/api/v1/models/" + binaryModel + "/fairness";

		HttpTestClient.Response absent = http.postJson(path, Map.of("datasetId", data, "sensitiveFeature", "sex"));
		assertThat(absent.status()).as(absent.body()).isEqualTo(422);
		assertThat(absent.json().get("type")).isEqualTo("urn:fitserve:problem:unprocessable-input");
		assertThat(HttpTestClient.<String>at(absent.json(), "errors", 0, "field")).isEqualTo("sensitiveFeature");
		assertThat(HttpTestClient.<String>at(absent.json(), "errors", 0, "message"))
			.isEqualTo("the dataset has no column 'sex'");

		// the evaluation path's checks and error bodies for the model's own columns
		String noScore = upload("approved,group\nyes,A\nno,B\n");
		HttpTestClient.Response lacking = http.postJson(path,
				Map.of("datasetId", noScore, "sensitiveFeature", "group"));
		assertThat(lacking.status()).as(lacking.body()).isEqualTo(422);
		assertThat(HttpTestClient.<String>at(lacking.json(), "errors", 0, "field")).isEqualTo("score");

		HttpTestClient.Response required = http.postJson(path, Map.of("datasetId", data));
		assertThat(required.status()).as(required.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(required.json(), "errors", 0, "field")).isEqualTo("sensitiveFeature");

		HttpTestClient.Response label = http.postJson(path,
				Map.of("datasetId", data, "sensitiveFeature", "group", "positiveLabel", "maybe"));
		assertThat(label.status()).as(label.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(label.json(), "errors", 0, "field")).isEqualTo("positiveLabel");

		HttpTestClient.Response threshold = http.postJson(path,
				Map.of("datasetId", data, "sensitiveFeature", "group", "threshold", 1.5));
		assertThat(threshold.status()).as(threshold.body()).isEqualTo(400);

		// five ages are five groups, one over fitserve.fairness.max-groups=4
		String ages = upload("score,approved,age\n10,yes,21\n0,no,34\n10,no,45\n0,yes,58\n10,yes,67\n");
		HttpTestClient.Response many = http.postJson(path, Map.of("datasetId", ages, "sensitiveFeature", "age"));
		assertThat(many.status()).as(many.body()).isEqualTo(422);
		assertThat(HttpTestClient.<String>at(many.json(), "errors", 0, "message")).contains("'age' has 5 groups")
			.contains("at most 4");

		// nothing refused was stored
		assertThat(http.get(path).body()).doesNotContain(data);
	}

	@Test
	void refusesRegressionModels() throws InterruptedException {
		StringBuilder csv = new StringBuilder("x,y,group\n");
		for (int i = 0; i < 30; i++) {
			csv.append(i).append(',').append(2 * i + 1).append(',').append(i % 2 == 0 ? "A" : "B").append('\n');
		}
		String data = upload(csv.toString());
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", data, "target", "y", "algorithm", "linear_regression"));
		Map<String, Object> job = http.awaitJob((String) r.json().get("id"), Duration.ofMinutes(3));
		String regressor = (String) job.get("modelId");
		HttpTestClient.Response refused = http.postJson("/api/v1/models/" + regressor + "/fairness",
				Map.of("datasetId", data, "sensitiveFeature", "group"));
		assertThat(refused.status()).as(refused.body()).isEqualTo(409);
		assertThat(refused.json().get("type")).isEqualTo("urn:fitserve:problem:not-a-classification-model");
		assertThat((String) refused.json().get("detail")).contains("regression model");
	}

	@Test
	void reportsAreListedFetchedAndGoWithTheirModelButNotTheirDataset() throws InterruptedException {
		String training = upload("score,approved\n0,no\n10,yes\n0,no\n10,yes\n0,no\n10,yes\n0,no\n10,yes\n0,no\n"
				+ "10,yes\n0,no\n10,yes\n0,no\n10,yes\n0,no\n10,yes\n0,no\n10,yes\n0,no\n10,yes\n");
		String model = trainModel(training, "approved");
		String data = upload(BINARY_ROWS);
		String path = "/api/v1/models/" + model + "/fairness";
		String first = (String) http.postJson(path, Map.of("datasetId", data, "sensitiveFeature", "group"))
			.json()
			.get("id");
		String second = (String) http.postJson(path, Map.of("datasetId", data, "sensitiveFeature", "group"))
			.json()
			.get("id");

		List<Map<String, Object>> listed = list(http.get(path).body());
		assertThat(listed).extracting(f -> f.get("id")).containsExactly(second, first);

		HttpTestClient.Response one = http.get(path + "/" + first);
		assertThat(one.status()).as(one.body()).isEqualTo(200);
		assertThat(one.json()).containsEntry("id", first).containsEntry("datasetId", data).containsEntry("rows", 16);
		assertThat(HttpTestClient.<Double>at(one.json(), "disparity", "demographicParityDifference")).isCloseTo(0.8,
				within(EPS));
		assertThat(http.get(path + "/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
		assertThat(http.get(path + "/not-an-id").status()).isEqualTo(404);
		// another model's report is not found under this one
		assertThat(http.get("/api/v1/models/" + binaryModel + "/fairness/" + first).status()).isEqualTo(404);

		// the dataset may go: the report keeps what it measured
		assertThat(http.delete("/api/v1/datasets/" + data).status()).isEqualTo(204);
		assertThat(http.get(path + "/" + first).json()).containsEntry("datasetName", "data");

		// the model's deletion takes its reports
		assertThat(http.delete("/api/v1/models/" + model).status()).isEqualTo(204);
		assertThat(http.get(path).status()).isEqualTo(404);
		assertThat(http.get(path + "/" + first).status()).isEqualTo(404);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(String json) {
		return tools.jackson.databind.json.JsonMapper.builder().build().readValue(json, List.class);
	}

	static void assertRates(Map<String, Object> group, double selection, double accuracy, Double tpr, Double fpr) {
		assertThat((Double) group.get("selectionRate")).as("selectionRate of %s", group)
			.isCloseTo(selection, within(EPS));
		assertThat((Double) group.get("accuracy")).as("accuracy of %s", group).isCloseTo(accuracy, within(EPS));
		assertRate(group, "truePositiveRate", tpr);
		assertRate(group, "falsePositiveRate", fpr);
		assertThat(group.get("perClass")).isNull();
	}

	static void assertRate(Map<String, Object> rates, String name, Double expected) {
		if (expected == null) {
			assertThat(rates.get(name)).as("%s of %s", name, rates).isNull();
		}
		else {
			assertThat((Double) rates.get(name)).as("%s of %s", name, rates).isCloseTo(expected, within(EPS));
		}
	}

	static void assertClassRates(Map<String, Object> group, String label, double selection, double tpr, double fpr) {
		List<Map<String, Object>> perClass = at(group, "perClass");
		Map<String, Object> rates = perClass.stream()
			.filter(c -> label.equals(c.get("label")))
			.findFirst()
			.orElseThrow();
		assertRate(rates, "selectionRate", selection);
		assertRate(rates, "truePositiveRate", tpr);
		assertRate(rates, "falsePositiveRate", fpr);
	}

	static void assertDisparity(List<Map<String, Object>> perClass, String label, double difference, double ratio,
			double tprDifference, double fprDifference, double odds) {
		Map<String, Object> d = perClass.stream().filter(c -> label.equals(c.get("label"))).findFirst().orElseThrow();
		assertRate(d, "demographicParityDifference", difference);
		assertRate(d, "demographicParityRatio", ratio);
		assertRate(d, "truePositiveRateDifference", tprDifference);
		assertRate(d, "falsePositiveRateDifference", fprDifference);
		assertRate(d, "equalizedOddsDifference", odds);
	}

}
