package io.fitserve.web;

import java.util.List;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Validated paging parameters shared by the list endpoints. */
public final class Paging {

	public static final int MAX_SIZE = 500;

	/** Highest page index: MAX_PAGE * MAX_SIZE stays well inside an int offset. */
	public static final int MAX_PAGE = 1_000_000;

	private Paging() {
	}

	/** Newest first; 400 for a page outside 0..1000000 or a size outside 1..500. */
	public static PageRequest newestFirst(int page, int size) {
		if (page < 0) {
			throw DomainException.invalid("page must be >= 0.", List.of(FieldError.field("page", "must be >= 0")));
		}
		if (size < 1 || size > MAX_SIZE) {
			throw DomainException.invalid("size must be between 1 and " + MAX_SIZE + ".",
					List.of(FieldError.field("size", "must be between 1 and " + MAX_SIZE)));
		}
		if (page > MAX_PAGE) {
			// far past any real listing; beyond this the row offset would overflow the
			// database's
			throw DomainException.invalid("page must be <= " + MAX_PAGE + ".",
					List.of(FieldError.field("page", "must be between 0 and " + MAX_PAGE)));
		}
		return PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt"));
	}

}
