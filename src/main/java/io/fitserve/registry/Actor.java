package io.fitserve.registry;

/**
 * Who made a change: the API key's id and name from the security principal (null when
 * unknown).
 */
record Actor(String keyId, String keyName) {

	static final Actor UNKNOWN = new Actor(null, null);

}
