package io.fitserve.compute;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** fitserve.compute.warm-up: on unless set to false. */
class WarmUpConfigTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class);

	@Test
	void onByDefault() {
		this.runner.run(context -> assertThat(context.getBean(ComputeProperties.class).warmUp()).isTrue());
	}

	@Test
	void offWhenSetToFalse() {
		this.runner.withPropertyValues("fitserve.compute.warm-up=false")
			.run(context -> assertThat(context.getBean(ComputeProperties.class).warmUp()).isFalse());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ComputeProperties.class)
	static class Properties {

	}

}
