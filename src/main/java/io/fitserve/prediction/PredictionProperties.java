package io.fitserve.prediction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prediction requests.
 *
 * @param maxRows most rows in one prediction request
 */
@ConfigurationProperties("fitserve.prediction")
public record PredictionProperties(@DefaultValue("10000") int maxRows) {
}
