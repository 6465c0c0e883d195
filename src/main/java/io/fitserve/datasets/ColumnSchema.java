package io.fitserve.datasets;

/** A column's name, inferred type and profile. */
public record ColumnSchema(String name, ColumnType type, ColumnProfile profile) {
}
