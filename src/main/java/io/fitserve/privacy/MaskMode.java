package io.fitserve.privacy;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a column's values are masked while an upload is parsed. */
public enum MaskMode {

	/**
	 * Each value becomes a keyed HMAC token ({@code tok_} + 32 hex): the same value, the
	 * same token, so the column still works as a category.
	 */
	PSEUDONYMIZE,

	/** Only the shape is kept: letters become x or X, digits 9, the rest stays. */
	REDACT,

	/** The column is not stored at all. */
	DROP;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a wire name; null if unknown. */
	@JsonCreator
	public static MaskMode fromWireName(String value) {
		return Arrays.stream(values()).filter(m -> m.wireName().equals(value)).findFirst().orElse(null);
	}

	/** The wire names, for error messages. */
	public static String allowed() {
		return String.join(", ", Arrays.stream(values()).map(MaskMode::wireName).toList());
	}

}
