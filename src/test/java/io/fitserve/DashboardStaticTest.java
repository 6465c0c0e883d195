package io.fitserve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files over real HTTP, without a browser: served by Spring at {@code /}
 * with the strict Content-Security-Policy, Chart.js from its WebJar, no inline script or
 * style and no innerHTML in the pages, Swagger UI still served without that policy, and
 * the API still closed to a request without a key. DashboardBrowserTest drives the same
 * pages in Chromium.
 */
class DashboardStaticTest {

	static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static HttpTestClient anonymous;

	@BeforeAll
	static void start() {
		anonymous = new HttpTestClient(server.port(), null);
	}

	@Test
	void rootServesTheDashboardWithAStrictContentSecurityPolicy() {
		HttpTestClient.Response page = anonymous.get("/");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.header("Content-Security-Policy")).isEqualTo(POLICY);
		assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\"></script>")
			.contains("<script src=\"/webjars/chart.js/4.4.1/dist/chart.umd.js\" defer></script>");
		assertThat(anonymous.get("/index.html").header("Content-Security-Policy")).isEqualTo(POLICY);
	}

	@Test
	void theShellHasNoInlineScriptOrStyle() {
		String html = anonymous.get("/").body();
		Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
		List<String> tags = new ArrayList<>();
		while (scripts.find()) {
			tags.add(scripts.group(1));
			assertThat(scripts.group(2)).as("inline script body").isBlank();
		}
		assertThat(tags).hasSize(2).allSatisfy(attributes -> assertThat(attributes).contains(" src=\""));
		assertThat(html).doesNotContain("<style")
			.doesNotContain(" style=")
			.doesNotContain(" onclick=")
			.doesNotContain("javascript:");
	}

	@Test
	void pageScriptsNeverBuildMarkupFromStrings() throws IOException {
		Resource[] scripts = new PathMatchingResourcePatternResolver()
			.getResources("classpath:/static/dashboard/**/*.js");
		assertThat(scripts).extracting(Resource::getFilename)
			.contains("app.js", "api.js", "dom.js", "datasets.js", "train.js", "jobs.js", "models.js", "tuning.js",
					"registry.js");
		for (Resource script : scripts) {
			String js = script.getContentAsString(StandardCharsets.UTF_8);
			assertThat(js).as(script.getFilename())
				.doesNotContain("innerHTML")
				.doesNotContain("outerHTML")
				.doesNotContain("insertAdjacentHTML")
				.doesNotContain("document.write")
				.doesNotContain("eval(")
				.doesNotContain("new Function")
				.doesNotContain("setAttribute('style'");
		}
	}

	@Test
	void dashboardFilesAndChartJsAreServedFromThisServer() {
		HttpTestClient.Response app = anonymous.get("/dashboard/app.js");
		assertThat(app.status()).isEqualTo(200);
		assertThat(app.contentType()).startsWith("text/javascript");
		assertThat(app.header("Content-Security-Policy")).isEqualTo(POLICY);
		assertThat(app.body()).contains("sessionStorage").doesNotContain("http://").doesNotContain("https://");

		HttpTestClient.Response css = anonymous.get("/dashboard/app.css");
		assertThat(css.status()).isEqualTo(200);
		assertThat(css.contentType()).startsWith("text/css");
		assertThat(css.body()).doesNotContain("@import").doesNotContain("url(http");

		HttpTestClient.Response chart = anonymous.get("/webjars/chart.js/4.4.1/dist/chart.umd.js");
		assertThat(chart.status()).isEqualTo(200);
		assertThat(chart.contentType()).startsWith("text/javascript");
		assertThat(chart.body()).contains("Chart.js v4.4.1");
	}

	@Test
	void swaggerUiKeepsWorkingWithoutTheDashboardPolicy() {
		HttpTestClient.Response ui = anonymous.get("/swagger-ui/index.html");
		assertThat(ui.status()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
		// springdoc's page bootstraps with an inline script that the dashboard's policy
		// would block
		assertThat(ui.header("Content-Security-Policy")).isNull();
		HttpTestClient.Response docs = anonymous.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json()).containsKey("paths");
		assertThat(docs.header("Content-Security-Policy")).isNull();
	}

	@Test
	void theApiStaysClosedToRequestsWithoutAKey() {
		HttpTestClient.Response api = anonymous.get("/api/v1/datasets");
		assertThat(api.status()).isEqualTo(401);
		assertThat(api.contentType()).startsWith("application/problem+json");
		assertThat(api.json().get("type")).isEqualTo("urn:fitserve:problem:unauthorized");
		assertThat(api.header("Content-Security-Policy")).isNull();
	}

}
