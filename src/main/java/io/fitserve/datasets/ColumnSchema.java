package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnType;

/** A column's name, inferred type and profile. */
public record ColumnSchema(String name, ColumnType type, ColumnProfile profile) {
}
