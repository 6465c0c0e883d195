package io.fitserve.compute;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which ND4J backend trains models.
 *
 * @param backend {@code auto} (CUDA when the CUDA backend is on the class path and a test
 * operation on the GPU passes, CPU otherwise), {@code cpu} (never touches CUDA) or
 * {@code cuda} (refuses to start unless the GPU passes the test operation)
 * @param probeTimeout how long the GPU test operation (run in a child JVM) may take,
 * native extraction included
 * @param preload load ND4J's native backend in the background once the service is up
 * ({@link Nd4jPreload}), so the first training job does not spend about a second on it;
 * off for a process that only serves predictions, which never loads it
 */
@ConfigurationProperties("fitserve.compute")
public record ComputeProperties(@DefaultValue("auto") Mode backend, @DefaultValue("180s") Duration probeTimeout,
		@DefaultValue("true") boolean preload) {

	/** The configured choice. */
	public enum Mode {

		AUTO, CPU, CUDA

	}

}
