package io.fitserve;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSV streams over real HTTP: a dataset downloaded as CSV and uploaded again is the same
 * dataset; a CSV scored by batch scoring matches the JSON predictions row for row; bad
 * rows fail or are skipped as documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvStreamingTest {

	@TempDir
	static Path dataDir;

	private ConfigurableApplicationContext app;

	private HttpTestClient http;

	@BeforeAll
	void start() throws Exception {
		Files.createDirectories(dataDir);
		app = FitserveServer.start(getClass(), this, dataDir);
		http = FitserveServer.client(app);
	}

	@AfterAll
	void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void datasetContentUploadsAgainAsTheSameDataset() {
		String csv = "name,city,age,score,member,note\n" + "\"Smith, John\",Paris,34,1.5,yes,\"said \"\"hi\"\"\"\n"
				+ "Ann,\"New\nYork\",,2.25,no,plain\n" + "Bob,NA,41,-0.125,,\"a,b,c\"\n"
				+ "  Eve  ,Paris,29,1e3,true,\n" + "Zoë,Berlin,52,3,false,=SUM(A1)\n";
		HttpTestClient.Response uploaded = http.uploadRaw(csv.getBytes(StandardCharsets.UTF_8), "text/csv",
				"?name=people");
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
		String id = (String) uploaded.json().get("id");

		HttpTestClient.Response content = http.get("/api/v1/datasets/" + id + "/content");
		assertThat(content.status()).isEqualTo(200);
		assertThat(content.contentType()).startsWith("text/csv");
		assertThat(content.header("Content-Disposition")).contains("people.csv");
		String[] lines = content.body().split("\r\n", -1);
		assertThat(lines[0]).isEqualTo("name,city,age,score,member,note");
		// RFC 4180: the comma and the quotes are quoted, "" escapes a quote; missing
		// cells are empty; booleans come back as true/false and numbers as written
		assertThat(lines[1]).isEqualTo("\"Smith, John\",Paris,34,1.5,true,\"said \"\"hi\"\"\"");
		assertThat(lines[2]).isEqualTo("Ann,\"New\nYork\",,2.25,false,plain");
		assertThat(lines[3]).isEqualTo("Bob,,41,-0.125,,\"a,b,c\"");
		assertThat(lines[4]).isEqualTo("Eve,Paris,29,1e3,true,");
		assertThat(lines[5]).isEqualTo("Zoë,Berlin,52,3,false,=SUM(A1)");
		assertThat(lines).hasSize(7);
		assertThat(lines[6]).isEmpty();

		HttpTestClient.Response again = http.uploadRaw(content.body().getBytes(StandardCharsets.UTF_8), "text/csv",
				"?name=people");
		assertThat(again.status()).as(again.body()).isEqualTo(201);
		String againId = (String) again.json().get("id");
		assertThat(again.json().get("columns")).isEqualTo(uploaded.json().get("columns"));
		assertThat(again.json().get("rows")).isEqualTo(5);
		assertThat(http.get("/api/v1/datasets/" + againId + "/rows?limit=10").json().get("rows"))
			.isEqualTo(http.get("/api/v1/datasets/" + id + "/rows?limit=10").json().get("rows"));

		assertThat(http.get("/api/v1/datasets/00000000-0000-0000-0000-000000000000/content").status()).isEqualTo(404);
	}

	@Test
	@SuppressWarnings("unchecked")
	void batchScoringMatchesJsonPredictionsAndHandlesBadRows() throws Exception {
		byte[] iris = new ClassPathResource("datasets/iris.csv").getContentAsByteArray();
		String datasetId = (String) http.upload("iris.csv", iris, null).json().get("id");
		String jobId = (String) http
			.postJson("/api/v1/training-jobs",
					Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression"))
			.json()
			.get("id");
		Map<String, Object> job = http.awaitJob(jobId, Duration.ofMinutes(5));
		assertThat(job.get("status")).as(job.toString()).isEqualTo("succeeded");
		String modelId = (String) job.get("modelId");
		List<String> labels = (List<String>) http.get("/api/v1/models/" + modelId).json().get("classLabels");
		assertThat(labels).hasSize(3);

		// 1203 rows (two chunks and a bit): iris' rows over and over, with the species
		// column kept as an extra
		List<String> irisLines = new String(iris, StandardCharsets.UTF_8).lines().toList();
		String header = irisLines.get(0);
		List<String> data = new ArrayList<>();
		for (int i = 0; data.size() < 1203; i++) {
			data.add(irisLines.get(1 + i % (irisLines.size() - 1)));
		}
		String body = header + "\n" + String.join("\n", data) + "\n";
		HttpTestClient.Response scored = http.post("/api/v1/models/" + modelId + "/predictions", "text/csv", body);
		assertThat(scored.status()).as(scored.body()).isEqualTo(200);
		assertThat(scored.contentType()).startsWith("text/csv");
		List<String> out = scored.body().lines().toList();
		List<String> expectedHeader = new ArrayList<>(List.of(header.split(",")));
		expectedHeader.add("prediction");
		labels.forEach(l -> expectedHeader.add("probability_" + l));
		assertThat(out.get(0).split(",")).containsExactlyElementsOf(expectedHeader);
		assertThat(out).hasSize(1 + data.size());

		String[] names = header.split(",");
		List<Map<String, Object>> jsonRows = new ArrayList<>();
		for (String line : data) {
			String[] cells = line.split(",");
			Map<String, Object> row = new LinkedHashMap<>();
			for (int c = 0; c < 4; c++) {
				row.put(names[c], Double.parseDouble(cells[c]));
			}
			jsonRows.add(row);
		}
		List<Map<String, Object>> expected = new ArrayList<>();
		for (int from = 0; from < jsonRows.size(); from += 500) {
			Map<String, Object> answer = http
				.postJson("/api/v1/models/" + modelId + "/predictions",
						Map.of("rows", jsonRows.subList(from, Math.min(from + 500, jsonRows.size()))))
				.json();
			expected.addAll((List<Map<String, Object>>) answer.get("predictions"));
		}
		for (int r = 0; r < data.size(); r++) {
			String[] cells = out.get(1 + r).split(",");
			assertThat(String.join(",", List.of(cells).subList(0, names.length))).isEqualTo(data.get(r));
			Map<String, Object> json = expected.get(r);
			assertThat(cells[names.length]).as("row %d", r).isEqualTo(json.get("label"));
			Map<String, Object> probabilities = (Map<String, Object>) json.get("probabilities");
			for (int c = 0; c < labels.size(); c++) {
				assertThat(Double.parseDouble(cells[names.length + 1 + c])).as("row %d %s", r, labels.get(c))
					.isEqualTo(((Number) probabilities.get(labels.get(c))).doubleValue());
			}
		}
		// the three species all come out, so the comparison covered more than one class
		assertThat(out.stream().skip(1).map(l -> l.split(",")[names.length]).distinct()).hasSize(3);

		// a bad cell on data row 5 (line 6): by default a 422 naming line 6, before any
		// output
		List<String> bad = new ArrayList<>(data);
		bad.set(4, "5.0,abc,1.4,0.2,setosa");
		bad.set(1201, "6.0,2.2,4.0"); // line 1203: too few cells, in the second chunk
		String badBody = header + "\n" + String.join("\n", bad) + "\n";
		HttpTestClient.Response failed = http.post("/api/v1/models/" + modelId + "/predictions", "text/csv", badBody);
		assertThat(failed.status()).as(failed.body()).isEqualTo(422);
		assertThat(failed.contentType()).startsWith("application/problem+json");
		assertThat(HttpTestClient.<Integer>at(failed.json(), "errors", 0, "row")).isEqualTo(6);
		assertThat(HttpTestClient.<String>at(failed.json(), "errors", 0, "column")).isEqualTo("sepal_width");
		assertThat((String) failed.json().get("detail")).contains("Line 6");

		// skip: both bad rows are left out and listed at the end
		HttpTestClient.Response skipping = http.post("/api/v1/models/" + modelId + "/predictions?onError=skip",
				"text/csv", badBody);
		assertThat(skipping.status()).as(skipping.body()).isEqualTo(200);
		List<String> skippedOut = skipping.body().lines().toList();
		List<String> rowsOut = skippedOut.stream().skip(1).filter(l -> !l.startsWith("#")).toList();
		assertThat(rowsOut).hasSize(data.size() - 2);
		assertThat(rowsOut.get(3)).isEqualTo(out.get(4));
		assertThat(rowsOut.get(4)).isEqualTo(out.get(6)); // line 6 left out
		List<String> trailer = skippedOut.subList(skippedOut.size() - 3, skippedOut.size());
		assertThat(trailer.get(0)).isEqualTo("#skipped 2 row(s) were not scored");
		assertThat(trailer.get(1)).startsWith("#skipped line 6: column 'sepal_width': ");
		assertThat(trailer.get(2)).isEqualTo("#skipped line 1203: has 3 cells; expected 5");

		// fail, with the only bad row past the first chunk: the rows before it, then an
		// #error line
		List<String> late = new ArrayList<>(data);
		late.set(1201, "6.0,2.2,4.0");
		HttpTestClient.Response cut = http.post("/api/v1/models/" + modelId + "/predictions", "text/csv",
				header + "\n" + String.join("\n", late) + "\n");
		assertThat(cut.status()).isEqualTo(200);
		List<String> cutOut = cut.body().lines().toList();
		assertThat(cutOut).hasSize(1 + 1201 + 1);
		assertThat(cutOut.subList(0, 1202)).isEqualTo(out.subList(0, 1202));
		assertThat(cutOut.get(1202))
			.isEqualTo("#error line 1203: has 3 cells; expected 5; the rows after it were not scored");

		// the predictor role may score CSV too; an unknown model is a 404 problem
		assertThat(
				http.post("/api/v1/models/00000000-0000-0000-0000-000000000000/predictions", "text/csv", body).status())
			.isEqualTo(404);
		assertThat(http.post("/api/v1/models/" + modelId + "/predictions?onError=maybe", "text/csv", body).status())
			.isEqualTo(400);
	}

	@Test
	void theOpenApiDocumentDescribesTheNewOperations() {
		Map<String, Object> doc = http.get("/v3/api-docs").json();
		// the JSON and CSV prediction handlers share one path and method: one operation
		// documents both bodies
		Map<String, Object> predict = HttpTestClient.at(doc, "paths", "/api/v1/models/{id}/predictions", "post");
		assertThat(predict.get("operationId")).isEqualTo("predict");
		assertThat(HttpTestClient.<Map<String, Object>>at(predict, "requestBody", "content"))
			.containsOnlyKeys("application/json", "text/csv");
		assertThat(HttpTestClient.<Map<String, Object>>at(predict, "responses")).containsKeys("200", "400", "404",
				"422");
		assertThat(HttpTestClient.<String>at(doc, "paths", "/api/v1/datasets/{id}/content", "get", "operationId"))
			.isEqualTo("downloadDatasetContent");
		assertThat(HttpTestClient.<String>at(doc, "paths", "/api/v1/training-jobs/{id}/events", "get", "operationId"))
			.isEqualTo("streamTrainingJobEvents");
		assertThat(HttpTestClient.<Map<String, Object>>at(doc, "paths", "/api/v1/tuning-jobs/{id}/events", "get",
				"responses"))
			.containsKeys("200", "404", "429");
	}

}
