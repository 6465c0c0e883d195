package io.fitserve.models;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Model storage and serving.
 *
 * @param cacheSize decoded models kept in memory for predictions (least recently used
 * evicted)
 */
@ConfigurationProperties("fitserve.models")
public record ModelsProperties(@DefaultValue("32") int cacheSize) {
}
