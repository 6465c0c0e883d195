package io.fitserve.ml;

/** Losses after one epoch (1-based); validationLoss is NaN without a validation split. */
public record EpochLoss(int epoch, double trainLoss, double validationLoss) {
}
