package io.fitserve.ml;

import java.util.Locale;

/** Enum values on the wire are their names in lowercase snake_case. */
public final class WireNames {

	private WireNames() {
	}

	public static String of(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/** The constant whose wire name is value; null if none. */
	public static <E extends Enum<E>> E parse(Class<E> type, String value) {
		for (E candidate : type.getEnumConstants()) {
			if (of(candidate).equals(value)) {
				return candidate;
			}
		}
		return null;
	}

}
