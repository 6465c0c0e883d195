package io.fitserve.storage;

/**
 * Storage settings or files that make it unsafe to start; the message says what to do
 * (see StorageFailureAnalyzer).
 */
public class StorageConfigurationException extends IllegalStateException {

	private final String action;

	public StorageConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	public String action() {
		return action;
	}

}
