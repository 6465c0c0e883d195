package io.fitserve.web;

import io.fitserve.errors.DomainException;

import org.springframework.http.HttpStatus;

/** The one table from a domain failure's kind to the HTTP status that reports it. */
public final class ProblemStatus {

	private ProblemStatus() {
	}

	public static HttpStatus of(DomainException.Kind kind) {
		return switch (kind) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case CONFLICT -> HttpStatus.CONFLICT;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
			case TOO_BUSY -> HttpStatus.TOO_MANY_REQUESTS;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
			case CORRUPT -> HttpStatus.INTERNAL_SERVER_ERROR;
			case OUT_OF_SPACE -> HttpStatus.INSUFFICIENT_STORAGE;
		};
	}

}
