package io.fitserve.storage;

import java.io.IOException;

/**
 * A stored file failed its integrity check (checksum, authentication tag, framing) or
 * cannot be decrypted with the configured key. The message names what is wrong but never
 * the file's path, so it may be shown to API clients.
 */
public class CorruptFileException extends IOException {

	public CorruptFileException(String message) {
		super(message);
	}

	public CorruptFileException(String message, Throwable cause) {
		super(message, cause);
	}

}
