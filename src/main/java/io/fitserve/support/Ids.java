package io.fitserve.support;

import java.util.Optional;
import java.util.UUID;

/**
 * Parses resource ids from paths and request bodies; anything that is not a UUID names no
 * resource.
 */
public final class Ids {

	private Ids() {
	}

	public static Optional<UUID> parse(String id) {
		if (id == null || id.length() != 36) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
