package io.fitserve.datasets;

/** How often one value occurs in a column. */
public record ValueCount(String value, long count) {
}
