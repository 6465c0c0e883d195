package io.fitserve.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.PathVariableMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Spring MVC's annotated-controller mapping and adapter, configured by Spring Boot as
 * usual, with lookups by path prefix ({@link PrefixIndexedHandlerMapping}) and
 * {@code @PathVariable String} arguments taken as they are ({@link StringPathVariables}).
 */
@Configuration(proxyBeanMethods = false)
class HandlerMappingConfig {

	@Bean
	WebMvcRegistrations prefixIndexedHandlerMapping() {
		return new WebMvcRegistrations() {

			@Override
			public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
				return new PrefixIndexedHandlerMapping();
			}

			@Override
			public RequestMappingHandlerAdapter getRequestMappingHandlerAdapter() {
				return new RequestMappingHandlerAdapter() {

					@Override
					public void afterPropertiesSet() {
						super.afterPropertiesSet();
						setArgumentResolvers(withStringPathVariables(getArgumentResolvers()));
					}

				};
			}

		};
	}

	/**
	 * The resolvers with {@link StringPathVariables} just ahead of Spring's path variable
	 * resolver, which it falls back to.
	 */
	static List<HandlerMethodArgumentResolver> withStringPathVariables(List<HandlerMethodArgumentResolver> resolvers) {
		List<HandlerMethodArgumentResolver> result = new ArrayList<>(resolvers.size() + 1);
		for (HandlerMethodArgumentResolver resolver : resolvers) {
			if (resolver.getClass() == PathVariableMethodArgumentResolver.class) {
				result.add(new StringPathVariables(resolver));
			}
			result.add(resolver);
		}
		return result;
	}

}
