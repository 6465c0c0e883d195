package io.fitserve.datasets;

/** Upper bounds an upload must respect. */
public record IngestLimits(int maxColumns, long maxRows) {
}
