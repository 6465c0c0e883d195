package io.fitserve.datasets;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Upload CSV files, read their schema, profile and rows")
class DatasetController {

	/** Raw-body upload media types: the request body is the CSV itself. */
	static final String TEXT_CSV_VALUE = "text/csv";

	private static final String UPLOAD_SUMMARY = "Upload a CSV dataset (multipart or raw body)";

	private static final String UPLOAD_DESCRIPTION = "Header row required; comma, semicolon or tab delimited; RFC 4180 "
			+ "quotes; UTF-8 (BOM stripped). Column types (numeric, categorical, boolean) are inferred and every column "
			+ "is profiled. Missing values: empty, NA, N/A, NaN, null, ? (case-insensitive).\n\n"
			+ "Two request forms: multipart/form-data with the CSV in part `file` (and optionally a form field `name`), "
			+ "or the CSV itself as the request body with Content-Type text/csv or application/octet-stream and `name` "
			+ "as a query parameter (e.g. curl -X POST -T data.csv -H 'Content-Type: text/csv' '.../api/v1/datasets?name=x', "
			+ "which streams the file; --data-binary @data.csv works too, but curl reads the whole file first). "
			+ "Either form is parsed while it arrives, with no temporary copy on disk. Same limits either way: over "
			+ "fitserve.upload.max-size is 413, checked against Content-Length up front and while reading a chunked "
			+ "body. In the multipart form, fields `name` and `mask` may come before the `file` part or in the query "
			+ "string; `mask` after the file part is a 400 (columns are masked while the file is read).\n\n"
			+ "Option `mask` (a form field, or a query parameter of the raw-body form): a JSON object of column name "
			+ "to mode, e.g. {\"email\": \"pseudonymize\", \"card\": \"redact\", \"name\": \"drop\"}. "
			+ "pseudonymize stores a keyed HMAC token per value (tok_ + 32 hex; the same value, the same token), redact "
			+ "keeps the shape (letters x/X, digits 9), drop stores nothing of the column. Masking happens while the CSV "
			+ "is parsed: the raw values of those columns reach no file, database row or log. Each column's profile "
			+ "says piiSuspected (and piiKind) when most of its values look like e-mail addresses, phone numbers, card "
			+ "numbers or IBANs.";

	private final DatasetService datasets;

	private final UploadProperties limits;

	DatasetController(DatasetService datasets, UploadProperties limits) {
		this.datasets = datasets;
		this.limits = limits;
	}

	// Both upload handlers share one path and method, which OpenAPI documents as one
	// operation: both carry @UploadOperation, which describes both request forms. `name`
	// is read from the request rather than bound as a @RequestParam, which the document
	// would list as a query parameter next to the form's field, so that Swagger UI sent
	// it twice.
	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@UploadOperation
	ResponseEntity<DatasetResponse> upload(HttpServletRequest request) {
		// Spring's multipart support is off (spring.servlet.multipart.enabled): the query
		// string is all getParameterValues sees, and the body is read here as it arrives
		checkDeclaredSize(request);
		MultipartUpload.Form form;
		LimitedInputStream in = null;
		try {
			in = new LimitedInputStream(request.getInputStream(), limits.maxSize().toBytes());
			form = MultipartUpload.read(request.getContentType(), in, request.getParameterValues("name"),
					request.getParameterValues("mask"), (csv, filename, name, mask) -> {
						datasets.checkNames(name, filename);
						return datasets.parse(csv, mask);
					});
		}
		catch (IOException | UncheckedIOException ex) {
			rethrowUnlessTheBody(ex, in);
			// the multipart reader's own reasons are plain English; any other I/O message
			// stays in the server log, as it can carry paths and class names
			Throwable cause = (ex instanceof MultipartUpload.UnreadableBody) ? ex.getCause() : ex;
			String why = (cause instanceof MultipartReader.MalformedException malformed)
					? ": " + malformed.getMessage() + "." : " (cut short, malformed, or the client stopped sending?).";
			throw DomainException.invalid("The multipart body could not be read" + why,
					List.of(FieldError.field("body", "could not be read")));
		}
		return created(datasets.store(form.parsed(), form.name(), form.filename()));
	}

	@PostMapping(consumes = { TEXT_CSV_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE })
	@UploadOperation
	ResponseEntity<DatasetResponse> uploadRaw(HttpServletRequest request) {
		String name = oneName(request.getParameterValues("name"));
		String mask = oneMask(request.getParameterValues("mask"));
		if (checkDeclaredSize(request) == 0) {
			throw emptyBody();
		}
		Dataset dataset;
		LimitedInputStream in = null;
		try {
			in = new LimitedInputStream(request.getInputStream(), limits.maxSize().toBytes());
			dataset = datasets.upload(in, name, null, mask);
		}
		catch (IOException | UncheckedIOException ex) {
			rethrowUnlessTheBody(ex, in);
			throw DomainException.invalid("The request body could not be read (the client stopped sending?).",
					List.of(FieldError.field("body", "could not be read")));
		}
		return created(dataset);
	}

	/**
	 * The declared Content-Length (-1 when chunked); over fitserve.upload.max-size is a
	 * 413 before a byte is read, and Tomcat swallows the rest
	 * (server.tomcat.max-swallow-size).
	 */
	private long checkDeclaredSize(HttpServletRequest request) {
		long maxBytes = limits.maxSize().toBytes();
		long declared = request.getContentLengthLong();
		if (declared > maxBytes) {
			throw new MaxUploadSizeExceededException(maxBytes);
		}
		return declared;
	}

	/**
	 * Rethrows an unchecked I/O failure that is not the request body's (e.g. the dataset
	 * file could not be written); returns for a body that could not be read.
	 */
	private static void rethrowUnlessTheBody(Exception ex, LimitedInputStream in) {
		if (ex instanceof UncheckedIOException unchecked && !(ex instanceof MultipartUpload.UnreadableBody)
				&& (in == null || !in.readFailed())) {
			throw unchecked;
		}
	}

	/**
	 * The dataset's name from every value the request carries: a multipart request has
	 * both the query string's and the form's (a String @RequestParam joined two into
	 * "iris,iris", a List one would split "a,b"). Repeats of one value are that value;
	 * two different values are a 400.
	 */
	static String oneName(String[] names) {
		List<String> distinct = names == null ? List.of()
				: Arrays.stream(names).filter(Objects::nonNull).distinct().toList();
		if (distinct.size() > 1) {
			throw DomainException.invalid("The dataset name is given more than once, with different values.",
					List.of(FieldError.field("name", "has different values: " + String.join(", ", distinct))));
		}
		return distinct.isEmpty() ? null : distinct.get(0);
	}

	/**
	 * The mask option from every value the request carries (the query string's and the
	 * form's), as {@link #oneName}; two different values are a 400 that does not repeat
	 * them.
	 */
	static String oneMask(String[] masks) {
		List<String> distinct = masks == null ? List.of()
				: Arrays.stream(masks).filter(Objects::nonNull).distinct().toList();
		if (distinct.size() > 1) {
			throw DomainException.invalid("The mask option is given more than once, with different values.",
					List.of(FieldError.field("mask", "is given more than once, with different values")));
		}
		return distinct.isEmpty() ? null : distinct.get(0);
	}

	private static DomainException emptyBody() {
		return DomainException.invalid("The request body is empty.", List.of(FieldError.field("body", "is empty")));
	}

	private static ResponseEntity<DatasetResponse> created(Dataset dataset) {
		return ResponseEntity.created(URI.create("/api/v1/datasets/" + dataset.getId()))
			.body(DatasetResponse.from(dataset));
	}

	@GetMapping
	@Operation(operationId = "listDatasets", summary = "List datasets, newest first")
	@ApiResponse(responseCode = "200", description = "One page of dataset summaries")
	PageResponse<DatasetSummary> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(datasets.list(Paging.newestFirst(page, size)), DatasetSummary::from);
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getDataset", summary = "A dataset's schema and column profiles")
	@ApiResponse(responseCode = "200", description = "The dataset with its schema and a profile of every column")
	DatasetResponse get(@PathVariable String id) {
		return DatasetResponse.from(datasets.get(id));
	}

	@GetMapping("/{id}/rows")
	@Operation(operationId = "getDatasetRows", summary = "A window of rows as JSON objects keyed by column name")
	@ApiResponse(responseCode = "200", description = "Up to `limit` rows from `offset`, and the dataset's row count")
	DatasetRowsResponse rows(@PathVariable String id, @RequestParam(defaultValue = "0") long offset, @Parameter(
			description = "1.." + DatasetService.MAX_ROWS_PER_PAGE) @RequestParam(defaultValue = "100") int limit) {
		Dataset dataset = datasets.get(id);
		return new DatasetRowsResponse(dataset.getId(), offset, limit, dataset.getRowCount(),
				datasets.rows(dataset, offset, limit));
	}

	@GetMapping(path = "/{id}/content", produces = TEXT_CSV_VALUE)
	@Operation(operationId = "downloadDatasetContent", summary = "The dataset as CSV (streamed)",
			description = "Header row first, then every row; comma-delimited, CRLF, fields quoted per RFC 4180 when "
					+ "they hold a comma, quote or line break; missing cells empty. Uploading the file again gives the "
					+ "same schema and values.")
	@ApiResponse(responseCode = "200", description = "The CSV",
			content = @Content(mediaType = TEXT_CSV_VALUE, schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "404", description = "Unknown dataset",
			content = @Content(mediaType = "application/problem+json"))
	void content(@PathVariable String id, HttpServletResponse response) throws IOException {
		Dataset dataset = datasets.get(id);
		// read before anything is written, so a missing or unreadable file is still a
		// problem response
		DatasetFrame frame = datasets.frame(dataset.getId());
		response.setContentType(TEXT_CSV_VALUE + ";charset=UTF-8");
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				ContentDisposition.attachment()
					.filename(dataset.getName() + ".csv", StandardCharsets.UTF_8)
					.build()
					.toString());
		Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
				1 << 16);
		DatasetCsv.write(frame, out);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteDataset", summary = "Delete a dataset",
			description = "409 while a queued or running training job uses it.")
	@ApiResponse(responseCode = "204", description = "Deleted, with its file")
	@ApiResponse(responseCode = "409", description = "A queued or running training job uses the dataset")
	void delete(@PathVariable String id) {
		datasets.delete(id);
	}

	/** The multipart form, for the OpenAPI document. */
	@Schema(description = "A CSV file and an optional display name")
	// the fields come before the file, so a client sending them in this order (Swagger
	// UI does) has the mask applied while the file is read
	record UploadForm(
			@Schema(description = "display name; defaults to the file name (a raw-body upload takes it as the "
					+ "query parameter `name`, and defaults to \"dataset\")", example = "iris") String name,
			@Schema(description = "JSON object of column name to pseudonymize, redact or drop (a raw-body upload "
					+ "takes it as the query parameter `mask`); before the file part, since columns are masked "
					+ "while the file is read",
					example = "{\"email\": \"pseudonymize\", \"name\": \"drop\"}") String mask,
			@Schema(type = "string", format = "binary", description = "the CSV file",
					requiredMode = Schema.RequiredMode.REQUIRED) String file) {
	}

	/** The one OpenAPI operation both upload handlers document. */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Operation(operationId = "uploadDataset", summary = UPLOAD_SUMMARY, description = UPLOAD_DESCRIPTION,
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = {
							@Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
									schema = @Schema(implementation = UploadForm.class),
									encoding = @Encoding(name = "file", contentType = "text/csv")),
							@Content(mediaType = TEXT_CSV_VALUE, schema = @Schema(type = "string", format = "binary")),
							@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
									schema = @Schema(type = "string", format = "binary")) }))
	@ApiResponse(responseCode = "201",
			description = "Stored and profiled: the schema and a profile of every column; "
					+ "Location is the dataset's URL")
	@ApiResponse(responseCode = "400",
			description = "Empty upload, malformed CSV (the error names the line), two different names, or a mask "
					+ "that is not a JSON object, names an unknown mode or a column the CSV does not have")
	@ApiResponse(responseCode = "413", description = "Larger than fitserve.upload.max-size")
	@ApiResponse(responseCode = "507", description = "Not enough free disk space to store the dataset")
	@interface UploadOperation {

	}

}
