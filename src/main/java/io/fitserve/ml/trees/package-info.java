/**
 * Pure-Java tree models: histogram gradient boosting, random forest and TreeSHAP. Imports
 * only the JDK.
 *
 * <p>
 * Inputs are numeric and column-major ({@code double[feature][row]}, NaN = missing) in a
 * {@link io.fitserve.ml.trees.TreeDataset}; {@link io.fitserve.ml.trees.FeatureKinds}
 * marks categorical features, whose values are codes {@code 0..k-1}. Training:
 * <ul>
 * <li>{@link io.fitserve.ml.trees.GradientBoostingTrainer#fit} with
 * {@link io.fitserve.ml.trees.GradientBoostingParams#defaults} (scikit-learn's
 * HistGradientBoosting defaults);</li>
 * <li>{@link io.fitserve.ml.trees.RandomForestTrainer#fit} with
 * {@link io.fitserve.ml.trees.RandomForestParams#classifierDefaults()} or
 * {@link io.fitserve.ml.trees.RandomForestParams#regressorDefaults()}.</li>
 * </ul>
 * Both return a {@link io.fitserve.ml.trees.TreeEnsemble} (records and primitive arrays,
 * ready for JSON): {@code predict}, {@code rawScores}, {@code predictBatch},
 * {@code featureImportance}. {@link io.fitserve.ml.trees.TreeShap#explain} gives exact
 * path-dependent SHAP values in raw score space. Progress and cancellation go through
 * {@link io.fitserve.ml.trees.TreeTrainingListener}; cancellation throws
 * {@link java.util.concurrent.CancellationException}.
 */
package io.fitserve.ml.trees;
