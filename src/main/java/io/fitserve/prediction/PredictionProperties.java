package io.fitserve.prediction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Prediction requests.
 *
 * @param maxRows most rows in one prediction request
 * @param maxBodySize largest prediction request body; a larger one is answered 413 before
 * it is read (by its Content-Length) or as soon as a chunked body passes the limit
 * @param maxExplainEvaluations most model evaluations one request's sampled explanations
 * (mlp and svm models with explain) may cost: rows x (1 + background + samples x
 * (features - 1) x background); a request over it is refused before any work
 */
@ConfigurationProperties("fitserve.prediction")
public record PredictionProperties(@DefaultValue("10000") int maxRows, @DefaultValue("32MB") DataSize maxBodySize,
		@DefaultValue("1000000") long maxExplainEvaluations) {
}
