package io.fitserve.training;

/**
 * k-fold cross-validation settings; stratified folds keep each class's share in every
 * fold.
 */
public record CrossValidation(int folds, boolean stratified) {
}
