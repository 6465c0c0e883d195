package io.fitserve.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.FitserveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.MethodParameter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.method.annotation.PathVariableMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ServletRequestDataBinderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code @PathVariable} parameter of the running service's handlers, resolved by
 * {@link StringPathVariables} and by Spring's own resolver from the same request: the
 * same argument (or the same exception) and the same resolved variables left for views.
 */
class StringPathVariablesTest {

	@RegisterExtension
	static final FitserveServer server = new FitserveServer();

	@Test
	void theAdapterAsksStringPathVariablesBeforeSpringsResolver() {
		RequestMappingHandlerAdapter adapter = server.context().getBean(RequestMappingHandlerAdapter.class);
		List<Class<?>> order = new ArrayList<>();
		for (HandlerMethodArgumentResolver resolver : adapter.getArgumentResolvers()) {
			order.add(resolver.getClass());
		}
		assertThat(order).containsSubsequence(StringPathVariables.class, PathVariableMethodArgumentResolver.class);
	}

	@Test
	void everyPathVariableResolvesAsSpringResolvesIt() throws Exception {
		RequestMappingHandlerAdapter adapter = server.context().getBean(RequestMappingHandlerAdapter.class);
		RequestMappingHandlerMapping mapping = server.context()
			.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
		PathVariableMethodArgumentResolver spring = new PathVariableMethodArgumentResolver();
		StringPathVariables fast = new StringPathVariables(spring);
		WebDataBinderFactory binders = new ServletRequestDataBinderFactory(null, adapter.getWebBindingInitializer());
		int strings = 0;
		for (HandlerMethod handler : mapping.getHandlerMethods().values()) {
			for (MethodParameter parameter : handler.getMethodParameters()) {
				if (!parameter.hasParameterAnnotation(PathVariable.class)) {
					continue;
				}
				parameter.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
				assertThat(fast.supportsParameter(parameter)).as("%s", parameter)
					.isEqualTo(parameter.getParameterType() == String.class);
				if (!fast.supportsParameter(parameter)) {
					continue;
				}
				strings++;
				String name = parameter.getParameterName();
				for (Map<String, String> variables : List.of(Map.of(name, "0b0e5d0c-2f6e-4c57-9b5f-6a1f7c3b2a10"),
						Map.of(name, "a b%2F\u00e9"), Map.of(name, ""), Map.of("other", "x"),
						Map.<String, String>of())) {
					assertThat(outcome(fast, parameter, variables, binders)).as("%s %s", parameter, variables)
						.isEqualTo(outcome(spring, parameter, variables, binders));
				}
			}
		}
		// the model, job, dataset, key and batch routes all take their ids as Strings
		assertThat(strings).isGreaterThan(20);
	}

	@Test
	void noInitBinderCustomizesArguments() {
		// StringPathVariables passes ids as they are, which is what Spring's binder does
		// only while no @InitBinder method (a trimming editor, say) applies to them
		RequestMappingHandlerMapping mapping = server.context()
			.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
		List<Class<?>> types = new ArrayList<>();
		for (HandlerMethod handler : mapping.getHandlerMethods().values()) {
			types.add(handler.getBeanType());
		}
		for (org.springframework.web.method.ControllerAdviceBean advice : org.springframework.web.method.ControllerAdviceBean
			.findAnnotatedBeans(server.context())) {
			types.add(advice.getBeanType());
		}
		assertThat(types).hasSizeGreaterThan(10);
		for (Class<?> type : types) {
			assertThat(org.springframework.core.MethodIntrospector.selectMethods(type,
					(org.springframework.util.ReflectionUtils.MethodFilter) method -> method
						.isAnnotationPresent(org.springframework.web.bind.annotation.InitBinder.class)))
				.as("@InitBinder methods of %s", type)
				.isEmpty();
		}
	}

	/** The argument or the exception's class, then the resolved variables for views. */
	static List<Object> outcome(HandlerMethodArgumentResolver resolver, MethodParameter parameter,
			Map<String, String> variables, WebDataBinderFactory binders) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
		request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, new HashMap<>(variables));
		ServletWebRequest web = new ServletWebRequest(request, new MockHttpServletResponse());
		List<Object> outcome = new ArrayList<>();
		try {
			outcome.add(resolver.resolveArgument(parameter, new ModelAndViewContainer(), web, binders));
		}
		catch (Exception ex) {
			outcome.add(ex.getClass());
		}
		outcome.add(request.getAttribute(View.PATH_VARIABLES));
		return outcome;
	}

}
