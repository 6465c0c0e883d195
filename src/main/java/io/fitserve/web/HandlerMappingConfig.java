package io.fitserve.web;

import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Spring MVC's annotated-controller mapping, configured by Spring Boot as usual, with
 * lookups by path prefix ({@link PrefixIndexedHandlerMapping}).
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

		};
	}

}
