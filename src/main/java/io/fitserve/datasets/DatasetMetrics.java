package io.fitserve.datasets;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * {@code fitserve.datasets.stored.bytes}: the uploaded (CSV) bytes of all stored
 * datasets, from one sum query run at most every 5 s however often Prometheus scrapes.
 * (The files on disk are columnar and compressed; disk.free and the health endpoint's
 * diskSpace say how full the data directory's disk is.)
 */
@Component
class DatasetMetrics {

	static final String STORED_BYTES = "fitserve.datasets.stored.bytes";

	private static final long TTL_NANOS = 5_000_000_000L;

	private static final Log log = LogFactory.getLog(DatasetMetrics.class);

	private final DatasetRepository datasets;

	private volatile long bytes;

	private volatile long countedAt = System.nanoTime() - TTL_NANOS - 1;

	DatasetMetrics(MeterRegistry registry, DatasetRepository datasets) {
		this.datasets = datasets;
		Gauge.builder(STORED_BYTES, this, DatasetMetrics::storedBytes)
			.description("Uploaded bytes of all stored datasets (refreshed at most every 5 s)")
			.baseUnit("bytes")
			.register(registry);
	}

	private synchronized double storedBytes() {
		long now = System.nanoTime();
		if (now - countedAt >= TTL_NANOS) {
			try {
				bytes = datasets.sumSizeBytes();
			}
			catch (RuntimeException ex) {
				log.debug("Could not sum dataset sizes: " + ex);
			}
			countedAt = System.nanoTime();
		}
		return bytes;
	}

}
