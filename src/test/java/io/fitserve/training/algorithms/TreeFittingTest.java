package io.fitserve.training.algorithms;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.preprocess.Encoding;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.trees.FeatureKinds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TreeFittingTest {

	/** A categorical column with the given number of categories, each used once. */
	private static ColumnData categorical(String name, int categories) {
		List<String> levels = new ArrayList<>();
		for (int c = 0; c < categories; c++) {
			levels.add("v" + c);
		}
		return new ColumnData(name, ColumnType.CATEGORICAL, null, IntStream.range(0, categories).toArray(), levels);
	}

	private static Preprocessing ordinal(ColumnData... columns) {
		int rows = columns[0].rows();
		return Preprocessing.fit(List.of(columns), IntStream.range(0, rows).toArray(), Encoding.ORDINAL);
	}

	@Test
	void aCategoricalFeatureWithinMaxBinsKeepsItsCategoryCount() {
		double[] x = new double[255];
		Preprocessing preprocessing = ordinal(categorical("city", 255),
				new ColumnData("x", ColumnType.NUMERIC, x, null, null));
		FeatureKinds kinds = TreeFitting.kinds(preprocessing, 255);
		assertThat(kinds.categorical()).containsExactly(true, false);
		assertThat(kinds.categoryCounts()[0]).isEqualTo(255);
	}

	@Test
	void moreCategoriesThanMaxBinsIsTheUsersProblemNamingTheFeature() {
		Preprocessing preprocessing = ordinal(categorical("city", 300));
		DomainException ex = catchThrowableOfType(DomainException.class, () -> TreeFitting.kinds(preprocessing, 255));
		assertThat(ex.kind()).isEqualTo(DomainException.Kind.UNPROCESSABLE);
		assertThat(ex.errors()).extracting(FieldError::field).containsExactly("features");
		assertThat(ex.errors().get(0).message()).startsWith("'city' has 300 categories in the training rows")
			.contains("at most maxBins (255)");
		// a smaller maxBins refuses a smaller count
		assertThat(
				catchThrowableOfType(DomainException.class, () -> TreeFitting.kinds(ordinal(categorical("c", 40)), 32)))
			.isNotNull();
	}

}
