package io.fitserve.datasets;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Summary statistics of one column.
 *
 * @param count non-missing values
 * @param missing missing values
 * @param distinct distinct non-missing values (a lower bound when {@code distinctExact}
 * is false)
 * @param distinctExact whether {@code distinct} is exact
 * @param min numeric only, else null
 * @param max numeric only, else null
 * @param mean numeric only, else null
 * @param stddev sample standard deviation (n-1); numeric with at least two values, else
 * null
 * @param topValues up to 10 most frequent values, ties by first seen; categorical and
 * boolean only, else null
 * @param histogram numeric only, else null; null too for datasets uploaded before
 * histograms were computed
 * @param piiSuspected whether at least 80% of the column's first 256 non-missing values
 * (read before any mask) look like one kind of personal data
 * @param piiKind that kind ({@code email}, {@code phone}, {@code card}, {@code iban}), or
 * null
 */
public record ColumnProfile(long count, long missing, long distinct, boolean distinctExact, Double min, Double max,
		Double mean, Double stddev, List<ValueCount> topValues,
		@Schema(description = "numeric columns: equal-width histogram of the non-missing values, computed at upload; "
				+ "null for other columns and for datasets uploaded before fitserve computed histograms",
				nullable = true) Histogram histogram,
		@Schema(description = "whether most of the column's first 256 non-missing values, read before any mask, "
				+ "look like personal data (e-mail addresses, phone numbers, card numbers passing Luhn, IBANs); "
				+ "false for datasets uploaded before fitserve looked") Boolean piiSuspected,
		@Schema(description = "the kind of personal data suspected: email, phone, card or iban; null when none",
				nullable = true, allowableValues = {
						"email", "phone", "card", "iban" }) String piiKind){

	public ColumnProfile {
		piiSuspected = Boolean.TRUE.equals(piiSuspected);
	}

}
