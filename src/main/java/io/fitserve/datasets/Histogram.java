package io.fitserve.datasets;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Equal-width histogram of a numeric column's non-missing values: bin i holds edges[i] <=
 * x < edges[i + 1], the last bin also x = max, so the counts add up to the column's
 * non-missing count.
 *
 * @param edges k + 1 increasing bin edges, from min to max
 * @param counts k counts, one per bin
 */
@Schema(name = "ColumnHistogram",
		description = "Equal-width histogram of a numeric column's non-missing values: bin "
				+ "i counts edges[i] <= x < edges[i+1], the last bin also x = max; at most " + Histogram.MAX_BINS
				+ " bins, " + "as many as distinct values when fewer, one when min = max")
public record Histogram(
		@ArraySchema(schema = @Schema(description = "a bin edge"),
				arraySchema = @Schema(
						description = "k + 1 increasing bin edges, the first min and the last max")) List<Double> edges,
		@ArraySchema(schema = @Schema(description = "values in the bin"), arraySchema = @Schema(
				description = "k counts, one per bin; they add up to the column's count")) List<Long> counts) {

	/**
	 * At most this many bins: enough for a dashboard's bar chart, small enough to store
	 * with every profile.
	 */
	static final int MAX_BINS = 20;

	/**
	 * The histogram of the finite values of v (NaN is missing and skipped). min and max
	 * are those of the non-missing values; distinct their number of distinct values (it
	 * caps the bins, so small integer columns get a bin each).
	 */
	static Histogram of(double[] v, double min, double max, long distinct) {
		return of(DoubleChunks.wrap(v), min, max, distinct);
	}

	/** As {@link #of(double[], double, double, long)}, over a column's chunks. */
	static Histogram of(DoubleChunks v, double min, double max, long distinct) {
		Binner binner = new Binner(min, max, distinct);
		for (int c = 0; c < v.chunkCount(); c++) {
			binner.addAll(v.chunk(c), v.chunkLength(c));
		}
		return binner.histogram();
	}

	/**
	 * Counts values into the bins as they come, so that a pass over a column's chunks
	 * made for another reason can fill the histogram too.
	 */
	static final class Binner {

		private final int k;

		private final double[] edges;

		private final long[] counts;

		private final double binsPerHalf;

		private final double halfMin;

		/** Bins for values from min to max (see {@link Histogram#of}). */
		Binner(double min, double max, long distinct) {
			this.k = min == max ? 1 : (int) Math.max(1, Math.min(MAX_BINS, distinct));
			this.edges = new double[this.k + 1];
			// Halves keep the range finite for columns that span more than
			// Double.MAX_VALUE (e.g. -1e308 .. 1e308).
			double halfRange = max / 2 - min / 2;
			for (int i = 0; i < this.k; i++) {
				this.edges[i] = min + (halfRange * i / this.k) * 2;
			}
			this.edges[this.k] = max;
			this.counts = new long[this.k];
			// a first guess by multiplication (a division per value cost as much as
			// parsing it); the edges below correct any rounding
			this.binsPerHalf = this.k / halfRange;
			this.halfMin = min / 2;
		}

		/** Counts the first n values of a; NaN (missing) is skipped. */
		void addAll(double[] a, int n) {
			int k = this.k;
			double[] edges = this.edges;
			long[] counts = this.counts;
			for (int i = 0; i < n; i++) {
				double x = a[i];
				if (x != x) {
					continue;
				}
				int bin = k == 1 ? 0 : (int) ((x / 2 - this.halfMin) * this.binsPerHalf);
				bin = Math.max(0, Math.min(k - 1, bin));
				// Rounding may put a value on an edge one bin off; the edges as reported
				// decide.
				while (bin < k - 1 && x >= edges[bin + 1]) {
					bin++;
				}
				while (bin > 0 && x < edges[bin]) {
					bin--;
				}
				counts[bin]++;
			}
		}

		Histogram histogram() {
			List<Double> edgeList = new ArrayList<>(this.k + 1);
			for (double e : this.edges) {
				edgeList.add(e);
			}
			List<Long> countList = new ArrayList<>(this.k);
			for (long c : this.counts) {
				countList.add(c);
			}
			return new Histogram(List.copyOf(edgeList), List.copyOf(countList));
		}

	}

}
