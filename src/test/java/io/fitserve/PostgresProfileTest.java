package io.fitserve;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres profile's pool settings bind onto the HikariDataSource the way Boot binds
 * {@code spring.datasource.hikari.*} (Hikari's own setters, timeouts as long
 * milliseconds): a value such as {@code 10s} failed to bind and stopped every start with
 * the profile (found by docker/compose-smoke.sh).
 */
class PostgresProfileTest {

	@Test
	void poolSettingsBindOntoHikari() throws IOException {
		List<PropertySource<?>> profile = new YamlPropertySourceLoader().load("application-postgres.yml",
				new ClassPathResource("application-postgres.yml"));
		Binder binder = new Binder(ConfigurationPropertySources.from(profile), null,
				ApplicationConversionService.getSharedInstance());
		try (HikariDataSource hikari = new HikariDataSource()) {
			binder.bind("spring.datasource.hikari", Bindable.ofInstance(hikari));
			assertThat(hikari.getMaximumPoolSize()).isEqualTo(10);
			assertThat(hikari.getMinimumIdle()).isEqualTo(2);
			assertThat(hikari.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(10).toMillis());
			assertThat(hikari.getMaxLifetime()).isEqualTo(Duration.ofMinutes(15).toMillis());
			assertThat(hikari.getIdleTimeout()).isEqualTo(Duration.ofMinutes(5).toMillis());
		}
	}

}
