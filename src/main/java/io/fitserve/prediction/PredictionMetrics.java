package io.fitserve.prediction;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.fitserve.models.ModelService;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Latency and rows per request of successful predictions, tagged {@code model} (id) and
 * {@code algorithm}.
 *
 * <p>
 * Cost per prediction: one map lookup by model id, one {@link Timer#record} and one
 * {@link DistributionSummary#record} on meters built when the model first serves; nothing
 * is built or tagged per request. Cardinality is bounded by the serving cache
 * ({@code fitserve.models.cache-size}): a model's meters are removed from the registry
 * when it leaves the cache (evicted or deleted) and start again from zero if it is loaded
 * again (Prometheus treats that as a counter reset). Histograms use a few fixed buckets,
 * not Micrometer's ~70-bucket percentile histogram, so each model adds about 30 series.
 */
@Component
class PredictionMetrics {

	static final String DURATION = "fitserve.prediction.duration";

	static final String ROWS = "fitserve.prediction.rows";

	private static final Duration[] LATENCY_BUCKETS = { Duration.ofNanos(250_000), Duration.ofNanos(500_000),
			Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5) };

	private static final double[] ROW_BUCKETS = { 1, 10, 100, 1000, 10000 };

	private final MeterRegistry registry;

	private final Map<UUID, Meters> meters = new ConcurrentHashMap<>();

	@Autowired
	PredictionMetrics(MeterRegistry registry, ModelService models) {
		this.registry = registry;
		models.onRemovedFromCache(this::remove);
	}

	/**
	 * Records nothing anywhere that matters: for unit tests that build a
	 * PredictionService by hand.
	 */
	static PredictionMetrics none() {
		return new PredictionMetrics(new SimpleMeterRegistry());
	}

	private PredictionMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void record(ModelService.ServingModel model, int rows, long nanos) {
		Meters m = meters.get(model.id());
		if (m == null) {
			m = meters.computeIfAbsent(model.id(), id -> register(id, model.algorithm()));
		}
		m.duration.record(nanos, TimeUnit.NANOSECONDS);
		m.rows.record(rows);
	}

	private Meters register(UUID id, String algorithm) {
		String model = id.toString();
		Timer duration = Timer.builder(DURATION)
			.description("Server time of successful predictions, by model")
			.tag("model", model)
			.tag("algorithm", algorithm)
			.serviceLevelObjectives(LATENCY_BUCKETS)
			.register(registry);
		DistributionSummary rows = DistributionSummary.builder(ROWS)
			.description("Rows per successful prediction request, by model")
			.tag("model", model)
			.tag("algorithm", algorithm)
			.serviceLevelObjectives(ROW_BUCKETS)
			.register(registry);
		return new Meters(duration, rows);
	}

	private void remove(UUID id) {
		Meters m = meters.remove(id);
		if (m != null) {
			registry.remove(m.duration);
			registry.remove(m.rows);
		}
	}

	private record Meters(Timer duration, DistributionSummary rows) {
	}

}
