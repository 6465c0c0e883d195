package io.fitserve.prediction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Batch predictions ({@code POST /api/v1/models/{id}/batch-predictions}).
 *
 * @param chunkRows rows scored per call to the model and per progress write to the
 * database: progress, cancel and shutdown are looked at after each chunk (at most
 * fitserve.prediction.max-rows)
 */
@ConfigurationProperties("fitserve.batch-predictions")
public record BatchPredictionProperties(@DefaultValue("1000") int chunkRows) {

	public BatchPredictionProperties {
		if (chunkRows < 1) {
			throw new IllegalArgumentException("fitserve.batch-predictions.chunk-rows must be >= 1");
		}
	}

}
