package io.fitserve.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's {@link RequestMappingHandlerMapping} with one change: a request whose path
 * has a variable in it ({@code /api/v1/models/{id}/predictions}) is matched against the
 * mappings whose literal leading segments fit its path, not against every mapping.
 *
 * <p>
 * Spring looks a literal path up in a map, but for any other path it tries every mapping
 * in turn, checking each one's method, consumed and produced media types (which read the
 * request's headers) before its path: about 70 mappings here, and about a fifth of a
 * one-row prediction's CPU time. This index groups the mappings by the literal segments
 * their patterns start with (up to the first variable or wildcard); a request is matched
 * against the groups of its own path's leading segments, a superset of the mappings whose
 * patterns can match it. The matching, ordering and match handling are Spring's own
 * ({@link #getMatchingMapping}, {@link #getMappingComparator}, {@link #handleMatch}), so
 * the same handler is chosen with the same request attributes. Anything else goes to
 * Spring's lookup unchanged: literal paths, CORS pre-flight requests, no match (so 404,
 * 405, 406 and 415 come from Spring), an ambiguous match, and every request while
 * patterns are case-insensitive.
 */
public class PrefixIndexedHandlerMapping extends RequestMappingHandlerMapping {

	/** The index of the current registrations; rebuilt after any change. */
	private volatile Index index;

	@Override
	protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
		HandlerMethod handler = indexedLookup(lookupPath, request);
		return (handler != null) ? handler : springLookup(lookupPath, request);
	}

	/** The lookup path Spring matches the request's mappings with (for tests). */
	String lookupPathOf(HttpServletRequest request) {
		return initLookupPath(request);
	}

	/** Spring's own lookup: every mapping tried. */
	HandlerMethod springLookup(String lookupPath, HttpServletRequest request) throws Exception {
		return super.lookupHandlerMethod(lookupPath, request);
	}

	/**
	 * The best match among the request's index groups, its attributes set as Spring sets
	 * them; null where Spring's lookup answers instead (nothing set then).
	 */
	HandlerMethod indexedLookup(String lookupPath, HttpServletRequest request) {
		Index current = index();
		if (current == null || current.directPaths.contains(lookupPath) || CorsUtils.isPreFlightRequest(request)
				|| !ServletRequestPathUtils.hasParsedRequestPath(request)) {
			return null;
		}
		List<RequestMappingInfo> matched = new ArrayList<>(4);
		List<HandlerMethod> handlers = new ArrayList<>(4);
		PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
		StringBuilder prefix = new StringBuilder(lookupPath.length());
		current.collect("", path, request, matched, handlers, this);
		int depth = 0;
		for (PathContainer.Element element : path.elements()) {
			if (depth == current.maxDepth) {
				break;
			}
			if (element instanceof PathContainer.PathSegment segment) {
				prefix.append('/').append(segment.valueToMatch());
				depth++;
				current.collect(prefix.toString(), path, request, matched, handlers, this);
			}
		}
		if (matched.isEmpty()) {
			return null;
		}
		int best = 0;
		if (matched.size() > 1) {
			// Spring's ordering: the best match first; a tie for first is ambiguous,
			// and Spring's lookup reports it
			Comparator<RequestMappingInfo> comparator = getMappingComparator(request);
			List<Integer> order = new ArrayList<>();
			for (int k = 0; k < matched.size(); k++) {
				order.add(k);
			}
			order.sort((x, y) -> comparator.compare(matched.get(x), matched.get(y)));
			if (comparator.compare(matched.get(order.get(0)), matched.get(order.get(1))) == 0) {
				return null;
			}
			best = order.get(0);
		}
		HandlerMethod handler = handlers.get(best);
		request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
		handleMatch(matched.get(best), lookupPath, request);
		return handler;
	}

	@Override
	protected void registerHandlerMethod(Object handler, Method method, RequestMappingInfo mapping) {
		super.registerHandlerMethod(handler, method, mapping);
		this.index = null;
	}

	@Override
	public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
		super.registerMapping(mapping, handler, method);
		this.index = null;
	}

	@Override
	public void unregisterMapping(RequestMappingInfo mapping) {
		super.unregisterMapping(mapping);
		this.index = null;
	}

	/** The index, built on first use after a change; null where it does not apply. */
	private Index index() {
		Index current = this.index;
		if (current == null) {
			if (getPatternParser() == null || !getPatternParser().isCaseSensitive()) {
				return null;
			}
			current = new Index(getHandlerMethods(), this);
			this.index = current;
		}
		return current;
	}

	/**
	 * The mappings grouped by their patterns' literal leading segments ("" for those with
	 * none), and the literal paths Spring looks up directly.
	 */
	private static final class Index {

		private final Map<String, List<Entry>> groups = new HashMap<>();

		private final Set<String> directPaths = new HashSet<>();

		private final int maxDepth;

		Index(Map<RequestMappingInfo, HandlerMethod> mappings, PrefixIndexedHandlerMapping owner) {
			int deepest = 0;
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.entrySet()) {
				RequestMappingInfo info = entry.getKey();
				this.directPaths.addAll(owner.getDirectPaths(info));
				// one group per mapping: the literal segments all its patterns start with
				PathPatternsRequestCondition condition = info.getPathPatternsCondition();
				String prefix = null;
				if (condition != null) {
					for (PathPattern pattern : condition.getPatterns()) {
						String own = literalPrefix(pattern.getPatternString());
						prefix = (prefix == null) ? own : commonPrefix(prefix, own);
					}
				}
				if (prefix == null) {
					prefix = "";
				}
				this.groups.computeIfAbsent(prefix, k -> new ArrayList<>())
					.add(new Entry(info, entry.getValue(),
							(condition == null) ? null : condition.getPatterns().toArray(PathPattern[]::new)));
				deepest = Math.max(deepest, (int) prefix.chars().filter(c -> c == '/').count());
			}
			this.maxDepth = deepest;
		}

		/**
		 * The pattern's leading segments up to the first that is not plain text (a
		 * variable, a wildcard, anything encoded or empty), as "/a/b"; "" when none.
		 */
		static String literalPrefix(String pattern) {
			if (!pattern.startsWith("/")) {
				return "";
			}
			StringBuilder prefix = new StringBuilder();
			for (String segment : pattern.substring(1).split("/", -1)) {
				if (segment.isEmpty() || segment.chars().anyMatch(c -> "{}*?%;\\".indexOf(c) >= 0)) {
					break;
				}
				prefix.append('/').append(segment);
			}
			return prefix.toString();
		}

		/** The segments "/a/b/c" and "/a/b/d" start with: "/a/b". */
		static String commonPrefix(String x, String y) {
			String[] a = x.split("/", -1);
			String[] b = y.split("/", -1);
			StringBuilder prefix = new StringBuilder();
			for (int k = 1; k < Math.min(a.length, b.length) && a[k].equals(b[k]); k++) {
				prefix.append('/').append(a[k]);
			}
			return prefix.toString();
		}

		/**
		 * Adds the group's mappings that match the request, as Spring matches them. The
		 * path is tried first: Spring's match fails when none of the patterns matches the
		 * path, and its method and media type checks, which read headers, cost more.
		 */
		void collect(String prefix, PathContainer path, HttpServletRequest request, List<RequestMappingInfo> matched,
				List<HandlerMethod> handlers, PrefixIndexedHandlerMapping owner) {
			List<Entry> group = this.groups.get(prefix);
			if (group == null) {
				return;
			}
			for (Entry entry : group) {
				if (!entry.mayMatch(path)) {
					continue;
				}
				RequestMappingInfo match = owner.getMatchingMapping(entry.info(), request);
				if (match != null) {
					matched.add(match);
					handlers.add(entry.handler());
				}
			}
		}

	}

	/** A mapping, its handler and its path patterns (null: no path condition). */
	private record Entry(RequestMappingInfo info, HandlerMethod handler, PathPattern[] patterns) {

		/** False only where Spring's path condition would not match. */
		boolean mayMatch(PathContainer path) {
			if (this.patterns == null) {
				return true;
			}
			for (PathPattern pattern : this.patterns) {
				if (pattern.matches(path)) {
					return true;
				}
			}
			return false;
		}

	}

}
