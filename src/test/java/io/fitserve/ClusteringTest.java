package io.fitserve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * kmeans over real HTTP on iris (the four measurements as features, species only as the
 * evaluation's label column): training, the clustering metrics against scikit-learn's
 * KMeans on the standardized measurements (values from
 * src/test/resources/cluster/kmeans_reference.py), predictions, CSV scoring, the
 * evaluation against species, k "auto", and the options clustering refuses.
 */
class ClusteringTest {

	static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

	@TempDir
	static Path dataDir;

	static ConfigurableApplicationContext app;

	static HttpTestClient http;

	static Properties reference;

	static String iris;

	@BeforeAll
	static void start() throws IOException {
		app = new SpringApplicationBuilder(FitserveApplication.class).run("--server.port=0",
				"--fitserve.storage.data-dir=" + dataDir.toAbsolutePath(), "--fitserve.training.max-concurrent-jobs=1");
		http = new HttpTestClient(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
		reference = new Properties();
		try (InputStream in = ClusteringTest.class.getResourceAsStream("/cluster/reference.properties")) {
			reference.load(in);
		}
		HttpTestClient.Response upload = http.upload("iris.csv", TreeModelsTest.iris(), null);
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		iris = (String) upload.json().get("id");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	static double ref(String key) {
		return Double.parseDouble(reference.getProperty(key));
	}

	static Map<String, Object> spec(Object... extra) {
		Map<String, Object> spec = new HashMap<>(
				Map.of("datasetId", iris, "algorithm", "kmeans", "features", FEATURES, "seed", 7));
		for (int i = 0; i < extra.length; i += 2) {
			spec.put((String) extra[i], extra[i + 1]);
		}
		return spec;
	}

	static double number(Object json, Object... path) {
		return ((Number) at(json, path)).doubleValue();
	}

	@Test
	void irisTrainsLikeScikitLearnPredictsAndEvaluatesAgainstSpecies() throws Exception {
		Map<String, Object> model = TrainingMethodsTest.trainWith(http, spec("hyperparameters", Map.of("k", 3)));
		assertThat(model.get("task")).isEqualTo("clustering");
		assertThat(model.get("target")).isNull();
		assertThat(HttpTestClient.<Map<String, Object>>at(model, "hyperparameters")).containsEntry("k", 3)
			.containsEntry("nInit", 10)
			.containsEntry("maxIter", 300)
			.containsEntry("tol", 1e-4);
		Map<String, Object> m = at(model, "metrics", "clustering");
		double inertia = ref("iris.k3.inertia");
		assertThat(number(m, "inertia")).isCloseTo(inertia, within(inertia * 0.01));
		assertThat(number(m, "silhouette")).isCloseTo(ref("iris.k3.silhouette"), within(1e-6));
		assertThat(number(m, "daviesBouldin")).isCloseTo(ref("iris.k3.daviesBouldin"), within(1e-6));
		assertThat(number(m, "silhouetteRows")).isEqualTo(150);
		List<Integer> sizes = new ArrayList<>(at(m, "clusterSizes"));
		sizes.sort(null);
		assertThat(sizes).containsExactly((int) ref("iris.k3.sortedSize0"), (int) ref("iris.k3.sortedSize1"),
				(int) ref("iris.k3.sortedSize2"));

		// the first row (setosa) is answered with its cluster and the distance to it
		HttpTestClient.Response r = http.postJson("/api/v1/models/" + model.get("id") + "/predictions", Map.of("rows",
				List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2))));
		assertThat(r.status()).as(r.body()).isEqualTo(200);
		Map<String, Object> prediction = at(r.json(), "predictions", 0);
		assertThat(prediction).containsOnlyKeys("cluster", "distance");
		int cluster = (Integer) prediction.get("cluster");
		assertThat(number(prediction, "distance")).isCloseTo(ref("iris.k3.row0Distance"), within(1e-9));
		// its centroid in centimetres: the setosa means, since the cluster is exactly
		// the 50 setosa rows
		Map<String, Object> centroid = at(m, "centroids", cluster);
		assertThat(centroid.get("size")).isEqualTo((int) ref("iris.k3.setosaClusterSize"));
		for (String feature : FEATURES) {
			assertThat(number(centroid, "values", feature)).isCloseTo(ref("iris.k3.setosaCentroid." + feature),
					within(1e-9));
		}

		// CSV scoring: cluster and distance columns
		HttpTestClient.Response csv = http.post("/api/v1/models/" + model.get("id") + "/predictions", "text/csv",
				"sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");
		assertThat(csv.status()).as(csv.body()).isEqualTo(200);
		List<String> lines = csv.body().lines().toList();
		assertThat(lines.get(0)).isEqualTo("sepal_length,sepal_width,petal_length,petal_width,cluster,distance");
		assertThat(lines.get(1)).startsWith("5.1,3.5,1.4,0.2," + cluster + ",0.2129");

		// evaluation against species: scikit-learn's scores of its own partition
		HttpTestClient.Response e = http.postJson("/api/v1/models/" + model.get("id") + "/evaluations",
				Map.of("datasetId", iris, "labelColumn", "species"));
		assertThat(e.status()).as(e.body()).isEqualTo(201);
		Map<String, Object> em = at(e.json(), "metrics");
		assertThat(number(em, "adjustedRandIndex")).isCloseTo(ref("iris.k3.ari"), within(1e-12));
		assertThat(number(em, "mutualInformation")).isCloseTo(ref("iris.k3.mi"), within(1e-12));
		assertThat(number(em, "normalizedMutualInformation")).isCloseTo(ref("iris.k3.nmi"), within(1e-12));
		assertThat(number(em, "adjustedMutualInformation")).isCloseTo(ref("iris.k3.ami"), within(1e-9));
		assertThat(number(em, "inertia")).isCloseTo(number(m, "inertia"), within(1e-9));
		assertThat(number(e.json(), "rows")).isEqualTo(150);

		// what does not apply to a clustering model is refused, saying why
		HttpTestClient.Response noLabel = http.postJson("/api/v1/models/" + model.get("id") + "/evaluations",
				Map.of("datasetId", iris));
		assertThat(noLabel.status()).as(noLabel.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(noLabel.json(), "errors", 0, "field")).isEqualTo("labelColumn");
		HttpTestClient.Response explain = http.postJson("/api/v1/models/" + model.get("id") + "/predictions",
				Map.of("rows", List
					.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2)),
						"explain", true));
		assertThat(explain.status()).as(explain.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(explain.json(), "errors", 0, "message"))
			.isEqualTo("does not apply to clustering models");
		HttpTestClient.Response export = http.get("/api/v1/models/" + model.get("id") + "/export?format=onnx");
		assertThat(export.status()).as(export.body()).isEqualTo(409);
		assertThat((String) export.json().get("detail")).contains("Clustering models (algorithm kmeans)");
	}

	@Test
	void autoKChoosesTheBestSilhouetteAndRecordsEveryScore() throws Exception {
		Map<String, Object> model = TrainingMethodsTest.trainWith(http,
				spec("hyperparameters", Map.of("k", "auto", "kMin", 2, "kMax", 4)));
		Map<String, Object> selection = at(model, "metrics", "clustering", "kSelection");
		// scikit-learn's silhouettes: k=2 0.582, k=3 0.460, k=4 0.385
		assertThat(selection.get("chosenK")).isEqualTo(2);
		assertThat(HttpTestClient.<Integer>at(model, "metrics", "clustering", "k")).isEqualTo(2);
		List<Map<String, Object>> scores = at(selection, "scores");
		assertThat(scores).extracting(s -> s.get("k")).containsExactly(2, 3, 4);
		for (Map<String, Object> score : scores) {
			int k = (Integer) score.get("k");
			// k=2 and 3 are scikit-learn's partitions; at k=4 iris has near-equal optima
			// and seed 7's restarts find another one (measured: inertia 114.092, 0.2%
			// below scikit-learn's 114.354; silhouette 0.3839 against 0.3850)
			assertThat(number(score, "silhouette")).as("k=%d", k)
				.isCloseTo(ref("iris.k" + k + ".silhouette"), within(k < 4 ? 1e-6 : 0.005));
			double inertia = ref("iris.k" + k + ".inertia");
			assertThat(number(score, "inertia")).as("k=%d", k).isCloseTo(inertia, within(inertia * 0.01));
		}
	}

	@Test
	void refusesTargetsAndOptionsThatDoNotApplyWithClearProblems() {
		assertRefused(spec("target", "species"), "target", "clustering has no target");
		assertRefused(Map.of("datasetId", iris, "algorithm", "logistic_regression"), "target", "is required");
		assertRefused(spec("task", "regression", "target", "petal_width"), "task", "kmeans supports only clustering");
		assertRefused(Map.of("datasetId", iris, "algorithm", "mlp", "task", "clustering"), "task",
				"mlp does not cluster; clustering algorithms: kmeans");
		assertRefused(spec("testFraction", 0.2), "testFraction", "does not apply to clustering");
		assertRefused(spec("crossValidation", Map.of("folds", 3)), "crossValidation", "does not apply to clustering");
		assertRefused(spec("hyperparameters", Map.of("k", "auto", "kMin", 5, "kMax", 4)), "hyperparameters.kMin",
				"must be at most kMax (4)");
		assertRefused(spec("hyperparameters", Map.of("k", "many")), "hyperparameters.k",
				"must be an integer or \"auto\"");
		HttpTestClient.Response tooMany = http.postJson("/api/v1/training-jobs",
				spec("hyperparameters", Map.of("k", 151)));
		assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(422);
		assertThat(HttpTestClient.<String>at(tooMany.json(), "errors", 0, "message"))
			.isEqualTo("the dataset has 150 row(s); 151 clusters need at least 151");
		HttpTestClient.Response tuning = http.postJson("/api/v1/tuning-jobs", Map.of("datasetId", iris, "algorithm",
				"kmeans", "features", FEATURES, "space", Map.of("k", List.of(2, 3))));
		assertThat(tuning.status()).as(tuning.body()).isEqualTo(400);
		assertThat(HttpTestClient.<String>at(tuning.json(), "errors", 0, "field")).isEqualTo("algorithm");
		assertThat(HttpTestClient.<String>at(tuning.json(), "errors", 0, "message"))
			.contains("hyperparameter search does not apply to clustering");
	}

	static void assertRefused(Map<String, Object> spec, String field, String message) {
		HttpTestClient.Response r = http.postJson("/api/v1/training-jobs", spec);
		assertThat(r.status()).as(r.body()).isEqualTo(400);
		assertThat(r.json().get("type")).isEqualTo("urn:fitserve:problem:validation-error");
		List<Map<String, Object>> errors = at(r.json(), "errors");
		assertThat(errors).as(r.body()).anySatisfy(e -> {
			assertThat(e.get("field")).isEqualTo(field);
			assertThat((String) e.get("message")).contains(message);
		});
	}

}
