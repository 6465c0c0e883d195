package io.fitserve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.context.ConfigurableApplicationContext;

import static io.fitserve.HttpTestClient.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through its
 * chromedriver (both from apt, never downloaded: Selenium is given their paths, so
 * Selenium Manager is not consulted) against fitserve on a random port with real H2 and
 * real ND4J training. A data scientist's session: enter the key, upload a CSV through the
 * page, read its profile, train from the form and watch the loss curve grow while the job
 * runs, open the model and check its confusion matrix and a prediction, register it and
 * move an alias, look at a search's leaderboard; then a binary model's ROC curve with its
 * threshold marker. Every page is saved as a screenshot under
 * {@code target/dashboard-screenshots/}. Without chromium and chromedriver the test is
 * skipped, except on CI ({@code CI=true}), where it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	static final Path IRIS = Path.of("src", "test", "resources", "datasets", "iris.csv");

	/** Markup in a dataset name must show as text: the pages never parse data as HTML. */
	static final String DATASET_NAME = "iris <b>flowers</b>";

	/**
	 * MLP epochs: enough that the job runs for a few seconds, so the page sees it
	 * running.
	 */
	static final int EPOCHS = 6000;

	@TempDir
	static Path dataDir;

	@TempDir
	static Path files;

	static ConfigurableApplicationContext app;

	static HttpTestClient http;

	static ChromeDriver browser;

	static String base;

	/**
	 * Selenium looks for a DevTools (CDP) binding matching the browser's version at start
	 * and warns when it has none (its newest is older than Debian's Chromium); the test
	 * needs none: screenshots go through chromedriver's own CDP command. Held here so the
	 * quieted JUL logger is not collected with its level.
	 */
	static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

	@BeforeAll
	static void start(TestInfo info) throws IOException {
		requireBrowser();
		Class<?> testClass = info.getTestClass().orElseThrow();
		// started by hand rather than by a FitserveServer extension: only once a browser
		// is known to be there
		app = FitserveServer.start(testClass, testClass, dataDir);
		int port = FitserveServer.port(app);
		http = new HttpTestClient(port);
		base = "http://localhost:" + port;
		Files.createDirectories(SCREENSHOTS);

		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
				"--disable-gpu", "--disable-extensions", "--no-first-run", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--disable-features=Translate,OptimizationHints");
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		SELENIUM_LOG.setLevel(Level.SEVERE);
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
	}

	/**
	 * Skips without the browser, or fails on CI, where the dashboard is part of what is
	 * tested.
	 */
	static void requireBrowser() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		String message = "Chromium or chromedriver is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
				+ "): the dashboard's browser test is skipped; install them with "
				+ "'apt-get install -y chromium chromium-driver'";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(message.replace("is skipped", "cannot run on CI (CI=true)"));
		}
		Assumptions.assumeTrue(false, message);
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (app != null) {
			app.close();
		}
	}

	/** First: it starts from an empty service and a tab without a key. */
	@Test
	@Order(1)
	void aDataScientistsSessionFromUploadToRegistry() throws Exception {
		// the key is asked first; a wrong one is refused with the server's problem
		open("#/datasets");
		waitFor("the key form", () -> present("#key-form"));
		assertThat(browser.findElement(By.id("forget-key")).isDisplayed()).as("forget key without a key").isFalse();
		screenshot("key");
		type("#key-input", "not-a-key-0000000000000000");
		click("#key-save");
		waitFor("the 401 problem", () -> text("#key-error").contains("Authentication required"));
		assertThat(text("#key-error")).contains("The API key is unknown, revoked or malformed.");
		assertThat(sessionKey()).isNull();
		// the refused key's 401 is the one line the browser logs so far
		assertThat(browserLog()).singleElement().satisfies(line -> assertThat(line).contains("401"));

		type("#key-input", HttpTestClient.ADMIN_KEY);
		click("#key-save");
		awaitPage("datasets");
		assertThat(sessionKey()).isEqualTo(HttpTestClient.ADMIN_KEY);
		assertThat(browser.findElement(By.id("forget-key")).isDisplayed()).isTrue();
		assertThat(text("#dataset-list")).contains("No datasets yet");

		// upload through the page's form (multipart, with upload progress)
		Path csv = files.resolve("iris.csv");
		Files.copy(IRIS, csv);
		browser.findElement(By.cssSelector("#upload-file")).sendKeys(csv.toAbsolutePath().toString());
		type("#upload-name", DATASET_NAME);
		// the page moves on as soon as the upload is done: record what the progress bar
		// and its label showed
		((JavascriptExecutor) browser).executeScript("window.uploadSeen = [];"
				+ "const bar = document.getElementById('upload-progress');"
				+ "const label = document.getElementById('upload-progress-label');"
				+ "new MutationObserver(() => window.uploadSeen.push(bar.value + ' ' + label.textContent))"
				+ ".observe(bar.parentNode, {attributes: true, childList: true, subtree: true, characterData: true});");
		click("#upload-button");
		awaitPage("dataset");
		List<String> progress = castStrings(((JavascriptExecutor) browser).executeScript("return window.uploadSeen;"));
		assertThat(progress).anyMatch(seen -> seen.matches("1 [0-9.]+ KB of [0-9.]+ KB"))
			.last()
			.isEqualTo("1 Uploaded: 150 rows, 5 columns");
		assertThat(browser.getTitle()).isEqualTo(DATASET_NAME + " · fitserve");
		String datasetId = hashId("#/datasets/");
		assertThat(text("#dataset-name")).isEqualTo(DATASET_NAME);
		assertThat(browser.findElements(By.cssSelector("#dataset-name b"))).isEmpty();
		assertThat(text("#dataset-rows-count")).startsWith("150");
		Map<String, Object> dataset = http.get("/api/v1/datasets/" + datasetId).json();
		assertThat(dataset.get("name")).isEqualTo(DATASET_NAME);
		List<WebElement> schema = browser.findElements(By.cssSelector("#schema-table tbody tr"));
		assertThat(schema).extracting(row -> row.getDomAttribute("data-column"))
			.containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width", "species");
		assertThat(text("#schema-table tbody tr[data-column=species]")).contains("categorical").contains("150");
		// every column has a chart: numeric ones a histogram when the server sends one,
		// species its three classes
		List<WebElement> profiles = browser.findElements(By.cssSelector("#column-profiles .profile-card"));
		assertThat(profiles).hasSize(5);
		WebElement speciesChart = browser.findElement(By.cssSelector(".profile-card[data-column=species] canvas"));
		assertThat(speciesChart.getDomAttribute("data-kind")).isEqualTo("top-values");
		assertThat(speciesChart.getDomAttribute("data-points")).isEqualTo("3");
		List<Map<String, Object>> columns = at(dataset, "columns");
		for (Map<String, Object> column : columns.subList(0, 4)) {
			// numeric columns: the profile's histogram, its bars adding up to the 150
			// rows
			WebElement histogram = browser
				.findElement(By.cssSelector(".profile-card[data-column=" + column.get("name") + "] canvas"));
			assertThat(histogram.getDomAttribute("data-kind")).isEqualTo("histogram");
			List<Object> counts = at(column, "profile", "histogram", "counts");
			assertThat(histogram.getDomAttribute("data-points")).isEqualTo(String.valueOf(counts.size()));
			assertThat(((Number) ((JavascriptExecutor) browser).executeScript(
					"return Chart.getChart(arguments[0]).data.datasets[0].data.reduce((a, b) => a + b, 0);", histogram))
				.longValue()).isEqualTo(150);
		}
		assertThat(browser.findElements(By.cssSelector("#rows-table tbody tr"))).hasSize(20);
		screenshot("dataset");

		open("#/datasets");
		awaitPage("datasets");
		assertThat(text("#datasets-table tbody tr[data-dataset-id='" + datasetId + "']")).contains(DATASET_NAME)
			.contains("150");
		screenshot("datasets");

		// train from the form: mlp on species, long enough to watch it run
		open("#/train?dataset=" + datasetId);
		awaitPage("train");
		assertThat(new Select(browser.findElement(By.cssSelector("#train-dataset"))).getFirstSelectedOption()
			.getDomAttribute("value")).isEqualTo(datasetId);
		assertThat(new Select(browser.findElement(By.cssSelector("#train-target"))).getFirstSelectedOption()
			.getDomAttribute("value")).isEqualTo("species");
		assertThat(browser.findElements(By.cssSelector("#train-features input[type=checkbox]:checked")))
			.extracting(box -> box.getDomAttribute("value"))
			.containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
		new Select(browser.findElement(By.cssSelector("#train-algorithm"))).selectByValue("mlp");
		setHyperparameters(Map.of("epochs", String.valueOf(EPOCHS), "hiddenLayers", "16"));
		// an out-of-range value goes to the server, whose 400 problem the form shows with
		// its errors
		type("#hp-learningRate", "50");
		click("#train-submit");
		waitFor("the validation problem", () -> present("#train-result .problem"));
		HttpTestClient.Response invalid = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp", "hyperparameters",
						Map.of("epochs", EPOCHS, "hiddenLayers", List.of(16), "learningRate", 50)));
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(text("#train-result .problem-title")).isEqualTo(invalid.json().get("title"));
		assertThat(text("#train-result .problem-detail")).isEqualTo(invalid.json().get("detail"));
		List<Map<String, Object>> errors = invalid.json("errors");
		assertThat(browser.findElements(By.cssSelector("#train-result .problem li"))).hasSize(errors.size());
		assertThat(text("#train-result .problem li")).contains((String) errors.get(0).get("message"));
		assertThat(browserLog()).singleElement().satisfies(line -> assertThat(line).contains("400"));
		assertThat(http.get("/api/v1/training-jobs").json("items")).isEmpty();
		browser.findElement(By.cssSelector("#hp-learningRate")).clear();
		screenshot("train");
		click("#train-submit");
		awaitPage("job");
		String jobId = hashId("#/jobs/");

		// the loss curve grows from the event stream while the job runs
		String[] statusSeen = new String[1];
		int[] pointsSeen = new int[1];
		waitFor("loss points while the job runs", Duration.ofMinutes(2), () -> {
			statusSeen[0] = attribute("#job-status .badge", "data-status");
			pointsSeen[0] = points("#loss-chart");
			return "running".equals(statusSeen[0]) && pointsSeen[0] > 0 || "succeeded".equals(statusSeen[0]);
		});
		assertThat(statusSeen[0]).as("the job finished before the page saw it run; raise EPOCHS").isEqualTo("running");
		assertThat(pointsSeen[0]).isPositive().isLessThan(EPOCHS);
		screenshot("job");
		waitFor("the job to succeed", Duration.ofMinutes(3),
				() -> "succeeded".equals(attribute("#job-status .badge", "data-status")) && present("#job-model-link"));
		Map<String, Object> job = http.get("/api/v1/training-jobs/" + jobId).json();
		assertThat(job.get("status")).isEqualTo("succeeded");
		// after the stream, every epoch of the history is on the chart
		int epochs = http.get("/api/v1/training-jobs/" + jobId + "/history").body().split("\"epoch\"").length - 1;
		assertThat(epochs).isEqualTo(EPOCHS);
		waitFor("the whole history on the chart", () -> points("#loss-chart") == EPOCHS);

		// the model: confusion matrix of the 30 test rows (20 % of 150, stratified)
		click("#job-model-link");
		awaitPage("model");
		String modelId = hashId("#/models/");
		assertThat(modelId).isEqualTo(job.get("modelId"));
		Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
		List<WebElement> cells = browser.findElements(By.cssSelector("#confusion-matrix td.heat"));
		assertThat(cells).hasSize(9);
		long sum = 0;
		long diagonal = 0;
		for (WebElement cell : cells) {
			long count = Long.parseLong(cell.getDomAttribute("data-count"));
			sum += count;
			if (cell.getDomAttribute("data-true").equals(cell.getDomAttribute("data-predicted"))) {
				diagonal += count;
			}
		}
		assertThat(sum).isEqualTo(30).isEqualTo(((Number) at(model, "provenance", "rows", "test")).longValue());
		assertThat((double) diagonal / sum).isCloseTo(((Number) at(model, "metrics", "test", "accuracy")).doubleValue(),
				org.assertj.core.data.Offset.offset(1e-12));
		// each true class holds 10 test rows, so a row's shares are count / 10
		WebElement setosa = browser
			.findElement(By.cssSelector("#confusion-matrix td.heat[data-true=setosa][data-predicted=setosa]"));
		assertThat(setosa.getDomAttribute("data-share")).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f",
				Long.parseLong(setosa.getDomAttribute("data-count")) / 10.0));
		assertThat(text("#metrics-table")).contains("accuracy").contains("f1");
		assertThat(browser.findElements(By.cssSelector("#roc-chart"))).as("no ROC curve for three classes").isEmpty();
		waitFor("feature importance", () -> !text("#feature-importance").contains("Loading"));
		assertThat(browser.findElements(By.cssSelector("#importance-computing"))).isEmpty();

		// issue 12: while a model's permutation importance is pending (computed after the
		// model was stored) the page says it is computing, and shows it once it is
		// written
		org.springframework.jdbc.core.JdbcTemplate jdbc = app.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
		java.util.UUID modelUuid = java.util.UUID.fromString(modelId);
		String importanceJson = jdbc.queryForObject("SELECT feature_importance_json FROM trained_model WHERE id = ?",
				String.class, modelUuid);
		jdbc.update("UPDATE trained_model SET importance_status = 'pending', feature_importance_json = '{}' "
				+ "WHERE id = ?", modelUuid);
		open("#/models");
		awaitPage("models");
		open("#/models/" + modelId);
		awaitPage("model");
		waitFor("permutation importance shown as computing", () -> present("#importance-computing"));
		assertThat(browser.findElements(By.cssSelector("#importance-chart"))).isEmpty();
		jdbc.update("UPDATE trained_model SET importance_status = 'ready', feature_importance_json = ? WHERE id = ?",
				importanceJson, modelUuid);
		waitFor("permutation importance shown once ready",
				() -> present("#importance-chart") && !present("#importance-computing"));

		// predict one row from the form
		type("#predict-sepal_length", "5.1");
		type("#predict-sepal_width", "3.5");
		type("#predict-petal_length", "1.4");
		type("#predict-petal_width", "0.2");
		click("#predict-submit");
		waitFor("the prediction", () -> present("#prediction-label"));
		Map<String, Object> expected = http
			.postJson("/api/v1/models/" + modelId + "/predictions",
					Map.of("rows", List
						.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5, "petal_length", 1.4, "petal_width", 0.2))))
			.json();
		assertThat(text("#prediction-label")).isEqualTo("setosa").isEqualTo(at(expected, "predictions", 0, "label"));
		assertThat(browser.findElements(By.cssSelector("#prediction-probabilities .bar-row")))
			.extracting(row -> row.getDomAttribute("data-label"))
			.containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
		screenshot("model");

		// register it, then move the champion alias from the registry page
		type("#register-name", "iris-species");
		click("#register-submit");
		waitFor("the registered version", () -> present("#registered-link"));
		assertThat(text("#registered-link")).isEqualTo("iris-species version 1");
		click("#registered-link");
		awaitPage("registered-model");
		type("#alias-name", "champion");
		new Select(browser.findElement(By.cssSelector("#alias-version"))).selectByValue("1");
		click("#alias-submit");
		waitFor("the alias", () -> present("#alias-chips .chip[data-alias=champion]"));
		assertThat(text("#alias-chips")).contains("champion → v1");
		assertThat(browser.findElements(By.cssSelector("table[data-alias-history=champion] tbody tr"))).singleElement()
			.satisfies(row -> assertThat(row.getText()).contains("created").contains("v1"));
		assertThat(at(http.get("/api/v1/registered-models/iris-species/aliases/champion").json(), "modelId").toString())
			.isEqualTo(modelId);
		screenshot("registered-model");
		open("#/registry");
		awaitPage("registry");
		assertThat(text("#registry-table tr[data-name=iris-species]")).contains("champion → v1");
		screenshot("registry");

		// deleting a model a registered version points at is refused: the page shows the
		// server's problem
		open("#/models/" + modelId);
		awaitPage("model");
		click("#model-delete");
		browser.switchTo().alert().accept();
		waitFor("the refusal", () -> present("#model-delete-result .problem"));
		Map<String, Object> refusal = http.delete("/api/v1/models/" + modelId).json();
		assertThat(refusal.get("status")).isEqualTo(409);
		assertThat(text("#model-delete-result .problem-title")).isEqualTo(refusal.get("title"));
		assertThat(text("#model-delete-result .problem-detail")).isEqualTo(refusal.get("detail"))
			.contains("version 1 of registered model 'iris-species'");
		assertThat(browserLog()).singleElement().satisfies(line -> assertThat(line).contains("409"));

		// a small grid search started from the tuning page's form, followed until its
		// leaderboard is complete
		open("#/tuning");
		awaitPage("tuning");
		assertThat(text("#tuning-table-empty")).contains("No searches yet");
		new Select(browser.findElement(By.cssSelector("#tuning-dataset"))).selectByValue(datasetId);
		waitFor("the target columns",
				() -> new Select(browser.findElement(By.cssSelector("#tuning-target"))).getOptions().size() == 5);
		new Select(browser.findElement(By.cssSelector("#tuning-target"))).selectByValue("species");
		new Select(browser.findElement(By.cssSelector("#tuning-algorithm"))).selectByValue("logistic_regression");
		new Select(browser.findElement(By.cssSelector("#tuning-strategy"))).selectByValue("grid");
		type("#tuning-folds", "2");
		type("#tuning-space", "{\"C\": [0.01, 1]}");
		click("#tuning-submit");
		awaitPage("tuning-job");
		String tuningId = hashId("#/tuning/");
		Map<String, Object> tuning = http.get("/api/v1/tuning-jobs/" + tuningId).json();
		assertThat(at(tuning, "spec", "strategy").toString()).isEqualTo("grid");
		assertThat(((Number) at(tuning, "spec", "folds")).intValue()).isEqualTo(2);
		assertThat(at(tuning, "spec", "trials").toString()).isEqualTo("[{C=0.01}, {C=1}]");
		waitFor("the search to finish", Duration.ofMinutes(3), () -> present("#best-model-link"));
		// once finished the page neither streams nor polls any more
		waitFor("the live note to go", () -> text("#tuning-live").isEmpty());
		List<Map<String, Object>> leaderboard = leaderboard(tuningId);
		assertThat(browser.findElements(By.cssSelector("#leaderboard-table tbody tr"))).hasSize(2);
		Map<String, Object> best = leaderboard.stream()
			.filter(t -> Integer.valueOf(1).equals(t.get("rank")))
			.findFirst()
			.orElseThrow();
		assertThat(text("#leaderboard-table tbody tr.best")).startsWith("1 #" + best.get("trial"));
		assertThat(text("#best-trial")).contains("Best trial: #" + best.get("trial"));
		assertThat(points("#trials-chart")).isEqualTo(2);
		screenshot("tuning-job");
		open("#/tuning");
		awaitPage("tuning");
		assertThat(text("#tuning-table tr[data-tuning-id='" + tuningId + "']")).contains("succeeded").contains("2 / 2");
		screenshot("tuning");

		open("#/jobs");
		awaitPage("jobs");
		assertThat(text("#jobs-table tr[data-job-id='" + jobId + "']")).contains("succeeded").contains("mlp");
		screenshot("jobs");
		open("#/models");
		awaitPage("models");
		assertThat(browser.findElements(By.cssSelector("#models-table tr[data-model-id='" + modelId + "']")))
			.hasSize(1);
		screenshot("models");

		assertNoBrowserErrors();
		// the key went only into headers: no URL the page loaded holds it
		List<String> urls = resourceUrls();
		assertThat(urls).isNotEmpty().noneMatch(url -> url.contains(HttpTestClient.ADMIN_KEY));

		click("#forget-key");
		waitFor("the key form again", () -> present("#key-form"));
		assertThat(sessionKey()).isNull();
	}

	@Test
	@Order(2)
	void aBinaryModelShowsItsCurvesWithTheThresholdMarked() throws Exception {
		// a binary problem: versicolor against virginica, the two iris classes that
		// overlap
		List<String> lines = Files.readAllLines(IRIS, StandardCharsets.UTF_8);
		StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
		lines.stream().skip(1).filter(line -> !line.endsWith("setosa")).forEach(line -> csv.append(line).append('\n'));
		String datasetId = (String) http.upload("pairs.csv", csv.toString().getBytes(StandardCharsets.UTF_8), "pairs")
			.json()
			.get("id");
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "logistic_regression", "testFraction",
						0.3, "validationFraction", 0.2));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).isEqualTo("succeeded");
		String modelId = (String) job.get("modelId");
		Map<String, Object> model = http.get("/api/v1/models/" + modelId).json();
		List<Map<String, Object>> roc = at(model, "metrics", "test", "curves", "roc");

		signIn();
		open("#/models/" + modelId);
		awaitPage("model");
		assertThat(points("#roc-chart")).isEqualTo(roc.size());
		// the slider starts at the model's decision threshold
		double decision = ((Number) model.get("decisionThreshold")).doubleValue();
		assertThat(Double.parseDouble(attribute("#threshold-slider", "value"))).isCloseTo(decision,
				org.assertj.core.data.Offset.offset(0.005));
		// at threshold 0.9 the marker is the curve point with the lowest threshold still
		// >= 0.9
		((JavascriptExecutor) browser).executeScript("const s = document.getElementById('threshold-slider');"
				+ "s.value = '0.9'; s.dispatchEvent(new Event('input'));");
		Map<String, Object> point = roc.stream()
			.filter(p -> ((Number) p.get("threshold")).doubleValue() >= 0.9)
			.reduce((first, second) -> second)
			.orElse(roc.get(0));
		assertThat(text("#threshold-value")).isEqualTo("0.90");
		assertThat(text("#threshold-readout [data-metric=tpr] .stat-value"))
			.isEqualTo(format(((Number) point.get("tpr")).doubleValue()));
		assertThat(text("#threshold-readout [data-metric=fpr] .stat-value"))
			.isEqualTo(format(((Number) point.get("fpr")).doubleValue()));
		List<Map<String, Object>> marker = castList(((JavascriptExecutor) browser)
			.executeScript("return Chart.getChart(document.getElementById('roc-chart')).data.datasets[2].data;"));
		assertThat(marker).singleElement().satisfies(m -> {
			assertThat(((Number) m.get("x")).doubleValue()).isEqualTo(((Number) point.get("fpr")).doubleValue());
			assertThat(((Number) m.get("y")).doubleValue()).isEqualTo(((Number) point.get("tpr")).doubleValue());
		});
		List<WebElement> cells = browser.findElements(By.cssSelector("#confusion-matrix td.heat"));
		assertThat(cells).hasSize(4);
		assertThat(cells.stream().mapToLong(c -> Long.parseLong(c.getDomAttribute("data-count"))).sum())
			.isEqualTo(((Number) at(model, "provenance", "rows", "test")).longValue())
			.isEqualTo(30);
		screenshot("model-binary");
		assertNoBrowserErrors();
	}

	@Test
	@Order(3)
	void aRegressionModelShowsItsResidualsAndPredictsAValue() throws Exception {
		byte[] iris = Files.readAllBytes(IRIS);
		String datasetId = (String) http.upload("iris.csv", iris, "iris for regression").json().get("id");
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "petal_width", "algorithm", "linear_regression"));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		Map<String, Object> job = http.awaitJob((String) submitted.json().get("id"), Duration.ofMinutes(3));
		assertThat(job.get("status")).isEqualTo("succeeded");
		String modelId = (String) job.get("modelId");
		Map<String, Object> residuals = http.get("/api/v1/models/" + modelId + "/residuals").json();
		List<Map<String, Object>> points = at(residuals, "points");

		signIn();
		open("#/models/" + modelId);
		awaitPage("model");
		assertThat(browser.findElements(By.cssSelector("#confusion-matrix"))).isEmpty();
		assertThat(text("#metrics-table")).contains("r2").contains("rmse");
		waitFor("the residuals plot", () -> present("#residuals-chart"));
		// every test row is a point; the dashed line y = x spans the smallest to the
		// largest value plotted
		assertThat(points).hasSize(30);
		assertThat(points("#residuals-chart")).isEqualTo(30);
		double lo = points.stream()
			.flatMap(p -> java.util.stream.Stream.of(p.get("actual"), p.get("predicted")))
			.mapToDouble(v -> ((Number) v).doubleValue())
			.min()
			.orElseThrow();
		double hi = points.stream()
			.flatMap(p -> java.util.stream.Stream.of(p.get("actual"), p.get("predicted")))
			.mapToDouble(v -> ((Number) v).doubleValue())
			.max()
			.orElseThrow();
		List<Map<String, Object>> line = castList(((JavascriptExecutor) browser)
			.executeScript("return Chart.getChart(document.getElementById('residuals-chart')).data.datasets[1].data;"));
		assertThat(line).hasSize(2);
		assertThat(((Number) line.get(0).get("x")).doubleValue()).isEqualTo(lo);
		assertThat(((Number) line.get(1).get("y")).doubleValue()).isEqualTo(hi);

		// species is a categorical feature: the form offers the categories seen in
		// training
		assertThat(new Select(browser.findElement(By.cssSelector("#predict-species"))).getOptions())
			.extracting(WebElement::getText)
			.containsExactly("(missing)", "setosa", "versicolor", "virginica");
		type("#predict-sepal_length", "6.7");
		type("#predict-sepal_width", "3.0");
		type("#predict-petal_length", "5.2");
		new Select(browser.findElement(By.cssSelector("#predict-species"))).selectByValue("virginica");
		click("#predict-submit");
		waitFor("the predicted value", () -> present("#prediction-value"));
		Map<String, Object> expected = http
			.postJson("/api/v1/models/" + modelId + "/predictions",
					Map.of("rows", List.of(Map.of("sepal_length", 6.7, "sepal_width", 3.0, "petal_length", 5.2,
							"species", "virginica"))))
			.json();
		double value = ((Number) at(expected, "predictions", 0, "value")).doubleValue();
		assertThat(text("#prediction-value"))
			.isEqualTo(new java.math.BigDecimal(value).round(new java.math.MathContext(6))
				.stripTrailingZeros()
				.toPlainString());
		screenshot("model-regression");
		assertNoBrowserErrors();

		// compressed from the page: 6 encoded inputs (3 numbers, species one-hot), so 6
		// weights of 8 bytes become 6 int8 codes and one 4-byte scale
		new Select(browser.findElement(By.cssSelector("#compression-precision"))).selectByValue("int8");
		click("#compression-submit");
		waitFor("the compression", () -> present("#compressions-table"));
		assertThat(text("#compressions-table")).contains("int8").contains("48 B → 10 B (4.8×)").contains("R² ");
		String compressed = attribute("#compressions-table a", "href");
		assertThat(compressed).contains("#/models/");
		open(compressed.substring(compressed.indexOf('#')));
		awaitPage("model");
		waitFor("the original's link", () -> present("#compressed-from"));
		assertThat(text("#compressed-from")).contains("int8").contains(modelId.substring(0, 8));
		screenshot("model-compressed");
		assertNoBrowserErrors();
	}

	@Test
	@Order(4)
	void aJobWhoseEventStreamFailsIsFollowedByPolling() throws Exception {
		signIn();
		// the page's fetch of the event stream fails, as through a proxy that drops
		// streams
		((JavascriptExecutor) browser).executeScript("const original = window.fetch;"
				+ "window.fetch = (url, init) => String(url).endsWith('/events')"
				+ " ? Promise.reject(new TypeError('event streams blocked by the test')) : original(url, init);");
		String datasetId = (String) http.upload("iris.csv", Files.readAllBytes(IRIS), "iris polled").json().get("id");
		HttpTestClient.Response submitted = http.postJson("/api/v1/training-jobs",
				Map.of("datasetId", datasetId, "target", "species", "algorithm", "mlp", "hyperparameters",
						Map.of("epochs", EPOCHS, "hiddenLayers", List.of(16))));
		assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
		String jobId = (String) submitted.json().get("id");
		open("#/jobs/" + jobId);
		awaitPage("job");
		waitFor("polling after the failed stream", () -> text("#job-live").startsWith("polling"));
		assertThat(text("#job-live")).contains("event streams blocked by the test");
		waitFor("the job to succeed", Duration.ofMinutes(3),
				() -> "succeeded".equals(attribute("#job-status .badge", "data-status")) && present("#job-model-link"));
		// polling read the whole history
		assertThat(points("#loss-chart")).isEqualTo(EPOCHS);
		assertThat(text("#job-epoch .stat-value")).isEqualTo(EPOCHS + " / " + EPOCHS);
		assertThat(attribute("#job-model-link", "href"))
			.endsWith("#/models/" + http.get("/api/v1/training-jobs/" + jobId).json().get("modelId"));
		assertNoBrowserErrors();
	}

	@Test
	@Order(5)
	void aRevokedKeyIsAskedForAgain() {
		HttpTestClient.Response created = http.postJson("/api/v1/api-keys",
				Map.of("name", "dashboard user", "role", "trainer"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String secret = (String) created.json().get("secret");
		signOut();
		open("#/datasets");
		waitFor("the key form", () -> present("#key-form"));
		type("#key-input", secret);
		click("#key-save");
		awaitPage("datasets");
		assertThat(sessionKey()).isEqualTo(secret);

		assertThat(http.delete("/api/v1/api-keys/" + created.json().get("id")).status()).isEqualTo(204);
		open("#/jobs");
		waitFor("the key form", () -> present("#key-form #key-error .problem"));
		assertThat(text("#key-error .problem-title")).isEqualTo("Authentication required");
		assertThat(text("#key-error .problem-detail")).isEqualTo("The API key is unknown, revoked or malformed.");
		assertThat(sessionKey()).isNull();
		assertThat(browserLog()).singleElement().satisfies(line -> assertThat(line).contains("401"));
		signIn();
	}

	/**
	 * A masked upload through the page's form: the mask field is sent with the file, the
	 * schema and the profile cards show the personal-data flags and the mask modes, the
	 * dropped column is named, and the first rows hold tokens and shapes.
	 */
	@Test
	@Order(6)
	void aMaskedUploadShowsItsPrivacyBadges() throws Exception {
		signIn();
		open("#/datasets");
		awaitPage("datasets");
		Path csv = files.resolve("customers.csv");
		Files.write(csv, MaskingTest.csv());
		browser.findElement(By.cssSelector("#upload-file")).sendKeys(csv.toAbsolutePath().toString());
		type("#upload-name", "customers");
		type("#upload-mask", MaskingTest.MASK);
		click("#upload-button");
		awaitPage("dataset");
		assertThat(text("#dropped-columns")).isEqualTo("Dropped at upload (not stored): name");
		// sent as the raw body (no file name), which the server never spools to disk
		Map<String, Object> stored = http.get("/api/v1/datasets/" + hashId("#/datasets/")).json();
		assertThat(stored.get("originalFilename")).isNull();
		assertThat(stored.get("name")).isEqualTo("customers");
		assertThat(text("#schema-table tbody tr[data-column=email] .privacy")).contains("PII: email")
			.contains("pseudonymize");
		assertThat(text("#schema-table tbody tr[data-column=card] .privacy")).contains("PII: card").contains("redact");
		assertThat(text("#schema-table tbody tr[data-column=phone] .privacy")).isEqualTo("PII: phone");
		assertThat(text("#schema-table tbody tr[data-column=x] .privacy")).isEmpty();
		assertThat(browser.findElements(By.cssSelector("#schema-table tbody tr"))).hasSize(6);
		assertThat(text(".profile-card[data-column=email] .profile-title")).contains("PII: email")
			.contains("pseudonymize");
		waitFor("the first rows", () -> present("#rows-table"));
		assertThat(text("#rows-table")).contains("tok_").contains("9999 9999 9999 9999").doesNotContain("@example");
		screenshot("dataset-masked");
		assertNoBrowserErrors();
	}

	/** Enters the admin key when the page asks for one. */
	static void signIn() {
		if (!browser.getCurrentUrl().startsWith(base)) {
			open("#/datasets");
		}
		waitFor("a page or the key form",
				() -> "true".equals(browser.findElement(By.id("main")).getDomAttribute("data-ready")));
		if (present("#key-form")) {
			type("#key-input", HttpTestClient.ADMIN_KEY);
			click("#key-save");
			waitFor("the key to be taken", () -> !present("#key-form")
					&& "true".equals(browser.findElement(By.id("main")).getDomAttribute("data-ready")));
		}
	}

	static void signOut() {
		if (!browser.getCurrentUrl().startsWith(base)) {
			open("#/datasets");
		}
		if (!present("#key-form")) {
			click("#forget-key");
		}
		waitFor("the key form", () -> present("#key-form"));
	}

	/**
	 * The dashboard's number format for a readout of 3 significant digits (as fmtNum(v,
	 * 3) writes it).
	 */
	static String format(double v) {
		if (v == Math.rint(v)) {
			return String.valueOf((long) v);
		}
		return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
	}

	@SuppressWarnings("unchecked")
	static List<String> castStrings(Object value) {
		return (List<String>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> castList(Object value) {
		return (List<Map<String, Object>>) value;
	}

	static List<Map<String, Object>> leaderboard(String tuningId) {
		return castList(tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readValue(http.get("/api/v1/tuning-jobs/" + tuningId + "/leaderboard").body(), List.class));
	}

	/**
	 * Fills the training form's hyperparameter inputs (one per name, from GET
	 * /api/v1/algorithms).
	 */
	static void setHyperparameters(Map<String, String> values) {
		for (Map.Entry<String, String> e : values.entrySet()) {
			type("#hp-" + e.getKey(), e.getValue());
		}
	}

	static void open(String hash) {
		String url = base + "/" + hash;
		if (browser.getCurrentUrl() != null && browser.getCurrentUrl().startsWith(base)) {
			((JavascriptExecutor) browser).executeScript("location.hash = arguments[0];", hash);
		}
		else {
			browser.get(url);
		}
	}

	static void awaitPage(String page) {
		waitFor("page " + page, () -> page.equals(browser.findElement(By.tagName("body")).getDomAttribute("data-page"))
				&& "true".equals(browser.findElement(By.id("main")).getDomAttribute("data-ready")));
		assertThat(browser.findElements(By.cssSelector("#main > .problem"))).as("a problem instead of page " + page)
			.isEmpty();
	}

	static String hashId(String prefix) {
		String url = browser.getCurrentUrl();
		String hash = url.substring(url.indexOf('#'));
		assertThat(hash).startsWith(prefix);
		return hash.substring(prefix.length());
	}

	static void waitFor(String what, java.util.function.BooleanSupplier condition) {
		waitFor(what, Duration.ofSeconds(30), condition);
	}

	static void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
		new WebDriverWait(browser, timeout, Duration.ofMillis(100)).withMessage(() -> "waiting for " + what)
			.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
			.until(driver -> condition.getAsBoolean());
	}

	static boolean present(String css) {
		return !browser.findElements(By.cssSelector(css)).isEmpty();
	}

	static String text(String css) {
		for (int attempt = 1;; attempt++) {
			try {
				return browser.findElement(By.cssSelector(css)).getText();
			}
			catch (org.openqa.selenium.StaleElementReferenceException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	static String attribute(String css, String name) {
		// one script call: the page replaces elements as events arrive, so a found
		// element can go stale before it is read
		Object value = ((JavascriptExecutor) browser).executeScript("const e = document.querySelector(arguments[0]);"
				+ "return e === null ? null : arguments[1].startsWith('data-') ? e.getAttribute(arguments[1])"
				+ " : String(e[arguments[1]]);", css, name);
		return (String) value;
	}

	static int points(String canvas) {
		String value = attribute(canvas, "data-points");
		return value == null ? 0 : Integer.parseInt(value);
	}

	static void type(String css, String value) {
		WebElement input = browser.findElement(By.cssSelector(css));
		input.clear();
		input.sendKeys(value);
	}

	static void click(String css) {
		for (int attempt = 1;; attempt++) {
			try {
				browser.findElement(By.cssSelector(css)).click();
				return;
			}
			catch (org.openqa.selenium.StaleElementReferenceException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	static String sessionKey() {
		return (String) ((JavascriptExecutor) browser)
			.executeScript("return sessionStorage.getItem('fitserve.apiKey');");
	}

	@SuppressWarnings("unchecked")
	static List<String> resourceUrls() {
		return (List<String>) ((JavascriptExecutor) browser)
			.executeScript("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);");
	}

	/** The browser console's lines since the last call, at any level. */
	static List<String> browserLog() {
		List<String> lines = new ArrayList<>();
		for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
			lines.add(entry.getLevel() + " " + entry.getMessage());
		}
		return lines;
	}

	/**
	 * No console error (a failed script, a CSP violation, a failed request) and nothing
	 * the page caught.
	 */
	static void assertNoBrowserErrors() {
		List<String> severe = new ArrayList<>();
		for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
			if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
				severe.add(entry.getLevel() + " " + entry.getMessage());
			}
		}
		assertThat(severe).as("browser console").isEmpty();
		assertThat((List<?>) ((JavascriptExecutor) browser).executeScript("return window.dashboardErrors;"))
			.as("errors the page caught")
			.isEmpty();
	}

	/**
	 * The whole page (not only the 1280x900 window) as a PNG: the window is made as tall
	 * as the page, the charts redraw at their new size (Chart.js clears a canvas when it
	 * is resized and draws it again on the next animation frame, so Chromium's
	 * capture-beyond-viewport would catch them blank), then the window gets its size
	 * back.
	 */
	static void screenshot(String page) throws IOException {
		JavascriptExecutor js = browser;
		js.executeScript("window.scrollTo(0, 0);");
		long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
		org.openqa.selenium.Dimension window = browser.manage().window().getSize();
		long chrome = window.getHeight() - ((Number) js.executeScript("return window.innerHeight;")).longValue();
		browser.manage()
			.window()
			.setSize(new org.openqa.selenium.Dimension(window.getWidth(), (int) Math.min(height + chrome, 8000)));
		try {
			js.executeAsyncScript("const done = arguments[arguments.length - 1];"
					+ "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));");
			Files.write(SCREENSHOTS.resolve(page + ".png"),
					browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
		}
		finally {
			browser.manage().window().setSize(window);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> castMap(Object value) {
		return (Map<String, Object>) value;
	}

}
