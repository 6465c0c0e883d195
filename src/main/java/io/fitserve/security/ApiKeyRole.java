package io.fitserve.security;

import io.fitserve.ml.WireNames;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

/**
 * What an API key may do. {@code admin}: everything, keys and the audit log included;
 * {@code trainer}: datasets, training and tuning jobs, models, evaluations, predictions;
 * {@code predictor}: read models and post predictions, what a production client holds.
 */
public enum ApiKeyRole {

	ADMIN, TRAINER, PREDICTOR;

	@JsonValue
	public String wireName() {
		return WireNames.of(this);
	}

	/** The Spring Security authority for this role ({@code ROLE_ADMIN}, ...). */
	String authority() {
		return "ROLE_" + name();
	}

	/** Parses a request's role; 400 naming the field when it is missing or unknown. */
	static ApiKeyRole parse(String value) {
		ApiKeyRole role = value == null ? null : WireNames.parse(ApiKeyRole.class, value);
		if (role == null) {
			String allowed = String.join(", ", Arrays.stream(values()).map(ApiKeyRole::wireName).toList());
			throw DomainException.invalid("role must be one of " + allowed + ".",
					List.of(FieldError.field("role", "allowed: " + allowed)));
		}
		return role;
	}

}
