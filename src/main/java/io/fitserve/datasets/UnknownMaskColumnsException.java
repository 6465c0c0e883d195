package io.fitserve.datasets;

import java.util.List;

/**
 * The upload's mask names columns the CSV's header does not have (empty: it would drop
 * every column).
 */
final class UnknownMaskColumnsException extends RuntimeException {

	private final List<String> columns;

	UnknownMaskColumnsException(List<String> columns) {
		super(columns.isEmpty() ? "the mask drops every column" : "mask names unknown columns", null, false, false);
		this.columns = List.copyOf(columns);
	}

	List<String> columns() {
		return this.columns;
	}

}
