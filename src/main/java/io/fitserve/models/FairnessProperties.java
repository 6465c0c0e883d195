package io.fitserve.models;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fairness reports.
 *
 * @param maxGroups most groups (distinct values of the sensitive feature, rows without a
 * value counting as one more) a report compares; a sensitive feature with more is refused
 * (422) before any row is scored, so that a numeric column such as an income is binned
 * into ranges first rather than reported value by value
 */
@ConfigurationProperties("fitserve.fairness")
public record FairnessProperties(@DefaultValue("100") int maxGroups) {
}
