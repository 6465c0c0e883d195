package io.fitserve.web;

import java.util.List;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Validated paging parameters shared by the list endpoints. */
public final class Paging {

	public static final int MAX_SIZE = 500;

	private Paging() {
	}

	/** Newest first; 400 for a negative page or a size outside 1..500. */
	public static PageRequest newestFirst(int page, int size) {
		if (page < 0) {
			throw ApiException.invalid("page must be >= 0.", List.of(FieldError.field("page", "must be >= 0")));
		}
		if (size < 1 || size > MAX_SIZE) {
			throw ApiException.invalid("size must be between 1 and " + MAX_SIZE + ".",
					List.of(FieldError.field("size", "must be between 1 and " + MAX_SIZE)));
		}
		return PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt"));
	}

}
