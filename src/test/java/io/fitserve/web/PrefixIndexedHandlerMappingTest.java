package io.fitserve.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.fitserve.FitserveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running service's handler mapping, asked for every route it has (each pattern
 * filled in, then bent: a trailing slash, another case, a segment more or less, a matrix
 * parameter, an encoded slash), with every method and a mix of Content-Type and Accept
 * headers: the indexed lookup chooses what Spring's own lookup chooses (the same handler
 * method, or the same exception), and leaves the same request attributes (path variables,
 * best pattern, producible media types).
 */
class PrefixIndexedHandlerMappingTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	static final String ID = "0b0e5d0c-2f6e-4c57-9b5f-6a1f7c3b2a10";

	static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

	static final List<String> CONTENT_TYPES = Arrays.asList(null, "application/json", "text/csv",
			"multipart/form-data; boundary=x", "application/xml");

	static final List<String> ACCEPTS = Arrays.asList(null, "application/json", "text/csv", "*/*", "application/xml",
			"text/event-stream");

	PrefixIndexedHandlerMapping mapping() {
		RequestMappingHandlerMapping bean = server.context()
			.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
		assertThat(bean).isInstanceOf(PrefixIndexedHandlerMapping.class);
		return (PrefixIndexedHandlerMapping) bean;
	}

	@Test
	void everyRouteIsMatchedAsSpringMatchesIt() throws Exception {
		PrefixIndexedHandlerMapping mapping = mapping();
		Set<String> paths = new LinkedHashSet<>();
		for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
			PathPatternsRequestCondition condition = info.getPathPatternsCondition();
			for (PathPattern pattern : condition.getPatterns()) {
				String path = fill(pattern.getPatternString());
				paths.addAll(List.of(path, path + "/", path.toUpperCase(java.util.Locale.ROOT), path + "/extra",
						path.contains("/") ? path.substring(0, Math.max(1, path.lastIndexOf('/'))) : path,
						path.replaceFirst("^/([^/]+)", "/$1;m=1"), path.replace(ID, "a%2Fb")));
			}
		}
		paths.addAll(List.of("/", "/nowhere/" + ID, "/api/v1/nothing/" + ID + "/x", "/api/v1/models/" + ID + "/"));
		Random random = new Random(3);
		int compared = 0;
		int indexed = 0;
		for (String path : paths) {
			for (String method : METHODS) {
				for (int k = 0; k < 3; k++) {
					String contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
					String accept = ACCEPTS.get(random.nextInt(ACCEPTS.size()));
					List<Object> expected = outcome(mapping, request(method, path, contentType, accept), false);
					List<Object> actual = outcome(mapping, request(method, path, contentType, accept), true);
					assertThat(actual).as("%s %s (Content-Type %s, Accept %s)", method, path, contentType, accept)
						.isEqualTo(expected);
					compared++;
					MockHttpServletRequest probe = request(method, path, contentType, accept);
					if (mapping.indexedLookup(mapping.lookupPathOf(probe), probe) != null) {
						indexed++;
					}
				}
			}
		}
		assertThat(compared).isGreaterThan(1000);
		// the routes with variables are answered by the index (the rest by Spring)
		assertThat(indexed).isGreaterThan(100);
	}

	@Test
	void aPredictionIsMatchedByTheIndex() throws Exception {
		PrefixIndexedHandlerMapping mapping = mapping();
		MockHttpServletRequest request = request("POST", "/api/v1/models/" + ID + "/predictions", "application/json",
				"application/json");
		HandlerMethod handler = mapping.indexedLookup(mapping.lookupPathOf(request), request);
		assertThat(handler).isNotNull();
		assertThat(handler.getMethod().getName()).isEqualTo("predict");
		assertThat(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)).isEqualTo(Map.of("id", ID));
		assertThat(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE))
			.isEqualTo("/api/v1/models/{id}/predictions");
		MockHttpServletRequest csv = request("POST", "/api/v1/models/" + ID + "/predictions", "text/csv", null);
		assertThat(mapping.indexedLookup(mapping.lookupPathOf(csv), csv).getMethod().getName()).isEqualTo("predictCsv");
	}

	/**
	 * Overlapping routes (the service has none today): several patterns match one path,
	 * and Spring's ordering decides; the index hands all of them to that ordering.
	 */
	@org.springframework.web.bind.annotation.RestController
	static class Overlapping {

		@org.springframework.web.bind.annotation.GetMapping("/things/{a}/x")
		String specific() {
			return "specific";
		}

		@org.springframework.web.bind.annotation.GetMapping("/things/{b}/{c}")
		String general() {
			return "general";
		}

		@org.springframework.web.bind.annotation.GetMapping("/things/{*rest}")
		String rest() {
			return "rest";
		}

		@org.springframework.web.bind.annotation.GetMapping({ "/things/{id}", "/stuff/{id}" })
		String either() {
			return "either";
		}

		@org.springframework.web.bind.annotation.GetMapping(path = "/things/{id}", produces = "text/csv")
		String csv() {
			return "csv";
		}

		@org.springframework.web.bind.annotation.PostMapping(path = "/things/{id}", consumes = "application/json")
		String post() {
			return "post";
		}

	}

	@Test
	void overlappingRoutesAreOrderedAsSpringOrdersThem() throws Exception {
		org.springframework.context.support.StaticApplicationContext context = new org.springframework.context.support.StaticApplicationContext();
		context.registerSingleton("overlapping", Overlapping.class);
		context.refresh();
		PrefixIndexedHandlerMapping mapping = new PrefixIndexedHandlerMapping();
		mapping.setApplicationContext(context);
		mapping.afterPropertiesSet();
		MockHttpServletRequest request = request("GET", "/things/1/x", null, null);
		assertThat(mapping.indexedLookup(mapping.lookupPathOf(request), request).getMethod().getName())
			.isEqualTo("specific");
		request = request("GET", "/things/1", null, "text/csv");
		assertThat(mapping.indexedLookup(mapping.lookupPathOf(request), request).getMethod().getName())
			.isEqualTo("csv");
		for (String path : List.of("/things/1/x", "/things/1/y", "/things/1/y/z", "/things/1", "/stuff/1", "/stuff/1/x",
				"/things", "/things/", "/Things/1", "/things/1;m=2/x")) {
			for (String method : List.of("GET", "POST", "PUT")) {
				for (String contentType : CONTENT_TYPES) {
					for (String accept : ACCEPTS) {
						assertThat(outcome(mapping, request(method, path, contentType, accept), true))
							.as("%s %s (Content-Type %s, Accept %s)", method, path, contentType, accept)
							.isEqualTo(outcome(mapping, request(method, path, contentType, accept), false));
					}
				}
			}
		}
		context.close();
	}

	static MockHttpServletRequest request(String method, String path, String contentType, String accept) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		if (contentType != null) {
			request.setContentType(contentType);
			request.setContent(new byte[] { '{', '}' });
		}
		if (accept != null) {
			request.addHeader("Accept", accept);
		}
		ServletRequestPathUtils.parseAndCache(request);
		return request;
	}

	/** The handler method or exception, then the attributes a match sets. */
	static List<Object> outcome(PrefixIndexedHandlerMapping mapping, MockHttpServletRequest request, boolean indexed) {
		List<Object> outcome = new ArrayList<>();
		try {
			String lookupPath = mapping.lookupPathOf(request);
			HandlerMethod handler = indexed ? mapping.lookupHandlerMethod(lookupPath, request)
					: mapping.springLookup(lookupPath, request);
			outcome.add(handler == null ? null : handler.getMethod());
		}
		catch (Exception ex) {
			outcome.add(ex.getClass().getName() + ": " + ex.getMessage());
		}
		for (String attribute : List.of(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
				HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
				HandlerMapping.MATRIX_VARIABLES_ATTRIBUTE, HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE,
				HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE)) {
			Object value = request.getAttribute(attribute);
			outcome.add(value instanceof HandlerMethod h ? h.getMethod() : String.valueOf(value));
		}
		return outcome;
	}

	/** A path the pattern matches: each variable filled in. */
	static String fill(String pattern) {
		return pattern.replaceAll("\\{\\*[^}]+}", "a/b")
			.replaceAll("\\{[^}]+}", ID)
			.replace("**", "x/y")
			.replace("*", "x");
	}

}
