package io.fitserve.compute;

import io.fitserve.ml.data.Blocks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fitserve.compute.training-threads: bound, applied to the training passes while the
 * application runs, lifted when it stops; a bad value stops the start with the setting's
 * name.
 */
class TrainingThreadsConfigTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, ComputeConfig.class)
		.withPropertyValues("fitserve.compute.backend=cpu");

	@Test
	void theSettingCapsTrainingPassesUntilTheApplicationStops() {
		this.runner.withPropertyValues("fitserve.compute.training-threads=1").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(Blocks.threads()).isEqualTo(1);
		});
		assertThat(Blocks.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
	}

	@Test
	void unsetUsesEveryProcessor() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(Blocks.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
		});
	}

	@Test
	void zeroIsRefusedAtStart() {
		this.runner.withPropertyValues("fitserve.compute.training-threads=0").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("fitserve.compute.training-threads must be at least 1, not 0");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ComputeProperties.class)
	static class Properties {

	}

}
