package io.fitserve.web;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.MethodParameter;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.View;

/**
 * {@code @PathVariable String} arguments, taken from the matched path's variables as they
 * are. Spring's resolver ({@code PathVariableMethodArgumentResolver}) makes a data binder
 * for every argument and asks the conversion service whether a String converts to a
 * String, a cache lookup whose key compares the parameter's annotations: about 5% of a
 * one-row prediction's CPU time. No binder customization applies to Strings here (no
 * {@code @InitBinder} methods, no property editors), so the value Spring would pass is
 * the variable itself. Anything else (another type, a variable the match did not set or
 * set empty) goes to Spring's resolver, which answers as before: defaults, Optional,
 * conversion and the missing-variable error.
 */
final class StringPathVariables implements HandlerMethodArgumentResolver {

	private final HandlerMethodArgumentResolver spring;

	/** Each parameter's variable name, as Spring works it out. */
	private final Map<MethodParameter, String> names = new ConcurrentHashMap<>();

	/**
	 * @param spring Spring's path variable resolver, which answers everything this one
	 * does not
	 */
	StringPathVariables(HandlerMethodArgumentResolver spring) {
		this.spring = spring;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == String.class && parameter.hasParameterAnnotation(PathVariable.class)
				&& this.spring.supportsParameter(parameter);
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) throws Exception {
		String name = this.names.computeIfAbsent(parameter, StringPathVariables::nameOf);
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) webRequest
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		String value = (variables != null && name != null) ? variables.get(name) : null;
		if (value == null || value.isEmpty()) {
			return this.spring.resolveArgument(parameter, mavContainer, webRequest, binderFactory);
		}
		// as Spring's resolver leaves it: the resolved variables for views
		@SuppressWarnings("unchecked")
		Map<String, Object> resolved = (Map<String, Object>) webRequest.getAttribute(View.PATH_VARIABLES,
				RequestAttributes.SCOPE_REQUEST);
		if (resolved == null) {
			resolved = new HashMap<>();
			webRequest.setAttribute(View.PATH_VARIABLES, resolved, RequestAttributes.SCOPE_REQUEST);
		}
		resolved.put(name, value);
		return value;
	}

	/** The annotation's name, else the parameter's (null when neither is known). */
	private static String nameOf(MethodParameter parameter) {
		PathVariable annotation = parameter.getParameterAnnotation(PathVariable.class);
		if (annotation != null && StringUtils.hasText(annotation.name())) {
			return annotation.name();
		}
		return parameter.getParameterName();
	}

}
