package io.fitserve.models;

import java.util.Optional;
import java.util.UUID;

/**
 * Another feature's references to trained models (the model registry's versions): a model
 * something refers to is not deleted (409), so a name never starts pointing at nothing.
 */
public interface ModelReferences {

	/**
	 * What refers to the model, for the 409's detail (e.g. "version 2 of registered model
	 * 'churn'"); empty if nothing.
	 */
	Optional<String> referenceTo(UUID modelId);

}
