package io.fitserve;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** fitserve: fit and serve models over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FitserveApplication {

	public static void main(String[] args) {
		SpringApplication.run(FitserveApplication.class, args);
	}

}
