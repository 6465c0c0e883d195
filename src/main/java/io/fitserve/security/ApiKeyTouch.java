package io.fitserve.security;

import java.time.Instant;
import java.util.UUID;

/** Last-used stamps, for {@link ApiKeyRepository}. */
interface ApiKeyTouch {

	/**
	 * Moves last-used forward only when the stored value is older than
	 * {@code staleBefore}: one write a minute at most. Needs a transaction.
	 * @return the rows updated (0 or 1)
	 */
	int touch(UUID id, Instant at, Instant staleBefore);

}
