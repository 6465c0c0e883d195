package io.fitserve.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import io.fitserve.web.ApiException;
import io.fitserve.web.FieldError;
import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Upload CSV files, read their schema, profile and rows")
class DatasetController {

	private final DatasetService datasets;

	DatasetController(DatasetService datasets) {
		this.datasets = datasets;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@Operation(summary = "Upload a CSV dataset",
			description = "Header row required; comma, semicolon or tab delimited; RFC 4180 quotes; UTF-8 (BOM stripped). "
					+ "Column types (numeric, categorical, boolean) are inferred and every column is profiled. "
					+ "Missing values: empty, NA, N/A, NaN, null, ? (case-insensitive).",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class),
					encoding = @Encoding(name = "file", contentType = "text/csv"))))
	@ApiResponse(responseCode = "201", description = "Stored and profiled")
	@ApiResponse(responseCode = "400", description = "Malformed CSV (the error names the line)",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "413", description = "Larger than fitserve.upload.max-size",
			content = @Content(mediaType = "application/problem+json"))
	ResponseEntity<DatasetResponse> upload(@RequestPart("file") MultipartFile file,
			@RequestParam(name = "name", required = false) String name) {
		if (file.isEmpty()) {
			throw ApiException.invalid("The uploaded file is empty.", List.of(FieldError.field("file", "is empty")));
		}
		Dataset dataset;
		try (InputStream in = file.getInputStream()) {
			dataset = datasets.upload(in, name, file.getOriginalFilename());
		}
		catch (IOException ex) {
			throw ApiException.invalid("The upload could not be read: " + ex.getMessage(),
					List.of(FieldError.field("file", "could not be read")));
		}
		return ResponseEntity.created(URI.create("/api/v1/datasets/" + dataset.getId()))
			.body(DatasetResponse.from(dataset));
	}

	@GetMapping
	@Operation(summary = "List datasets, newest first")
	PageResponse<DatasetSummary> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(datasets.list(Paging.newestFirst(page, size)), DatasetSummary::from);
	}

	@GetMapping("/{id}")
	@Operation(summary = "A dataset's schema and column profiles")
	DatasetResponse get(@PathVariable String id) {
		return DatasetResponse.from(datasets.get(id));
	}

	@GetMapping("/{id}/rows")
	@Operation(summary = "A window of rows as JSON objects keyed by column name")
	DatasetRowsResponse rows(@PathVariable String id, @RequestParam(defaultValue = "0") long offset,
			@Parameter(description = "1.." + DatasetService.MAX_ROWS_PER_PAGE) @RequestParam(defaultValue = "100") int limit) {
		Dataset dataset = datasets.get(id);
		return new DatasetRowsResponse(dataset.getId(), offset, limit, dataset.getRowCount(),
				datasets.rows(dataset, offset, limit));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a dataset", description = "409 while a queued or running training job uses it.")
	void delete(@PathVariable String id) {
		datasets.delete(id);
	}

	/** The multipart form, for the OpenAPI document. */
	record UploadForm(@Schema(type = "string", format = "binary", description = "the CSV file") String file,
			@Schema(description = "display name; defaults to the file name", example = "iris") String name) {
	}

}
