package io.fitserve.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on dataset uploads.
 *
 * @param maxSize largest accepted CSV upload; larger ones get 413
 * @param maxColumns most columns a CSV may have
 * @param maxRows most data rows a CSV may have
 * @param maxLineLength longest record (line) of a CSV; longer ones are refused with their
 * line number
 * @param parseThreads threads that parse one upload's CSV (in chunks of 4 MB, for inputs
 * over 1 MB); 0 means one per available processor, 1 parses on the request's thread alone
 */
@ConfigurationProperties("fitserve.upload")
public record UploadProperties(@DefaultValue("500MB") DataSize maxSize, @DefaultValue("10000") int maxColumns,
		@DefaultValue("50000000") long maxRows, @DefaultValue("1MB") DataSize maxLineLength,
		@DefaultValue("0") int parseThreads) {

	/** parseThreads with 0 resolved to the available processors. */
	public int resolvedParseThreads() {
		return this.parseThreads > 0 ? this.parseThreads : Runtime.getRuntime().availableProcessors();
	}
}
