package io.fitserve.ml.data;

/**
 * Row indices of the train, validation and test parts of a dataset (each in shuffled
 * order).
 */
public record Split(int[] train, int[] validation, int[] test) {
}
