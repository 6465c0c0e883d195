package io.fitserve.ml.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * One fitted input feature: standardization for numeric columns, one-hot categories for
 * the others.
 *
 * @param name the column name
 * @param type "numeric", "categorical" or "boolean"
 * @param mean numeric: training mean of the non-missing values (0 when there were none);
 * 0 otherwise
 * @param scale numeric: training population standard deviation (1 when it is 0 or
 * unknown); 1 otherwise
 * @param categories categorical/boolean: levels seen in training, sorted, one encoded
 * column each; empty for numeric
 * @param mostFrequent categorical/boolean: imputation level for missing or unseen values
 * (null when there are no categories); null for numeric
 */
public record FeatureTransform(String name, String type, double mean, double scale, List<String> categories,
		String mostFrequent) {

	/** Type name of a standardized numeric feature. */
	public static final String NUMERIC = "numeric";

	/** Type name of a one-hot categorical feature. */
	public static final String CATEGORICAL = "categorical";

	/** Type name of a one-hot boolean feature (categories among "false", "true"). */
	public static final String BOOLEAN = "boolean";

	public FeatureTransform {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		// the shared constant, so that numericFeature() (called per value when serving)
		// matches on identity
		type = NUMERIC.equals(type) ? NUMERIC
				: CATEGORICAL.equals(type) ? CATEGORICAL : BOOLEAN.equals(type) ? BOOLEAN : type;
		categories = (categories != null) ? List.copyOf(categories) : List.of();
		if (NUMERIC.equals(type)) {
			if (!Double.isFinite(mean) || !Double.isFinite(scale) || scale <= 0) {
				throw new IllegalArgumentException(
						"numeric feature '" + name + "' needs a finite mean and a positive scale");
			}
			if (!categories.isEmpty() || mostFrequent != null) {
				throw new IllegalArgumentException("numeric feature '" + name + "' cannot have categories");
			}
		}
		else if (CATEGORICAL.equals(type) || BOOLEAN.equals(type)) {
			for (int i = 1; i < categories.size(); i++) {
				if (categories.get(i - 1).compareTo(categories.get(i)) >= 0) {
					throw new IllegalArgumentException(
							"categories of feature '" + name + "' must be sorted and distinct");
				}
			}
			if (mostFrequent == null ? !categories.isEmpty() : !categories.contains(mostFrequent)) {
				throw new IllegalArgumentException(
						"mostFrequent of feature '" + name + "' must be one of its categories");
			}
		}
		else {
			throw new IllegalArgumentException("unknown feature type '" + type + "' for feature '" + name + "'");
		}
	}

	/** A numeric feature with the given training mean and scale. */
	public static FeatureTransform numeric(String name, double mean, double scale) {
		return new FeatureTransform(name, NUMERIC, mean, scale, List.of(), null);
	}

	/** A categorical ("categorical" or "boolean") feature over sorted categories. */
	public static FeatureTransform categorical(String name, String type, List<String> categories, String mostFrequent) {
		return new FeatureTransform(name, type, 0.0, 1.0, categories, mostFrequent);
	}

	/** True for a standardized numeric feature. */
	public boolean numericFeature() {
		return NUMERIC.equals(type);
	}

	/** Number of encoded columns this feature produces. */
	public int width() {
		return numericFeature() ? 1 : categories.size();
	}

}
