package io.fitserve.prediction;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import io.fitserve.errors.DomainException;
import io.fitserve.web.BodyTooLargeException;
import io.fitserve.web.RequestBodies;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models/{id}/predictions")
@Tag(name = "Predictions", description = "Serve trained models")
class PredictionController {

	static final String TEXT_CSV = "text/csv";

	private static final String DESCRIPTION = "JSON (application/json): rows are matched by feature name. Absent "
			+ "feature: 422. null: imputed. Unseen category: treated as missing, with a warning. Extra keys: ignored, "
			+ "with a warning. NaN/Infinity: 422.\n\n"
			+ "CSV (text/csv, e.g. curl --data-binary @rows.csv -H 'Content-Type: text/csv'): a header row naming "
			+ "at least the model's features, then any number of rows, read and scored in chunks of 1000 and streamed "
			+ "back as text/csv. Bad rows: onError=fail (default) answers 422 naming the line when the bad row is in "
			+ "the first 1000 rows, and otherwise ends the output with a line `#error,line N: ...`; onError=skip "
			+ "leaves bad rows out and lists them at the end in lines starting with `#skipped`.";

	private final PredictionService predictions;

	private final CsvScoring csv;

	private final JsonMapper json;

	PredictionController(PredictionService predictions, CsvScoring csv, JsonMapper json) {
		this.predictions = predictions;
		this.csv = csv;
		this.json = json;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	// JSON and CSV bodies share one path and method, which OpenAPI documents as one
	// operation: the two handlers carry the same annotations so that the merged operation
	// describes both.
	@Operation(operationId = "predict", summary = "Predict (JSON rows, or a CSV file scored as a stream)",
			description = DESCRIPTION,
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = {
							@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
									schema = @Schema(implementation = PredictionRequest.class)),
							@Content(mediaType = TEXT_CSV, schema = @Schema(type = "string", format = "binary")) },
					required = true))
	@ApiResponse(responseCode = "200",
			description = "JSON: one prediction per row, in order; the Server-Timing header gives the server's time. "
					+ "CSV: the input columns, then prediction and, for classifiers, probability_<label> per class",
			content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = PredictionResponse.class)),
					@Content(mediaType = TEXT_CSV, schema = @Schema(type = "string", format = "binary")) })
	@ApiResponse(responseCode = "400", description = "Invalid request, malformed CSV (the error names the line)",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "413", description = "JSON body larger than fitserve.prediction.max-body-size",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "404", description = "Unknown model",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "422",
			description = "A row cannot be used; errors name the row (JSON) or line (CSV) and the feature",
			content = @Content(mediaType = "application/problem+json"))
	PredictionResponse predict(@PathVariable String id, HttpServletRequest request, HttpServletResponse http)
			throws IOException {
		// read whole (bounded by fitserve.prediction.max-body-size), then parsed by the
		// streaming reader straight into the model's feature layout
		byte[] body;
		try {
			body = RequestBodies.read(request);
		}
		catch (BodyTooLargeException ex) {
			// past fitserve.prediction.max-body-size while reading: the 413 the bound
			// route answered through the message converter
			throw DomainException.tooLarge(ex.detail());
		}
		long start = System.nanoTime();
		PredictionResponse response;
		try {
			response = predictions.predictJson(id, body);
		}
		catch (PredictionJsonReader.Unsupported ex) {
			// anything the reader does not answer exactly (every refused body among them)
			// is read as before: bound to PredictionRequest, with the same problems
			PredictionRequest bound = bind(body, request);
			response = (ex.model() != null) ? predictions.predictFound(ex.model(), bound)
					: predictions.predict(id, bound);
		}
		// lets clients and benchmarks see the server's share of a request's latency: from
		// the body received (not the client's upload) to the predictions, parsing the
		// JSON included, writing the answer not
		// set on the response itself and the body returned as it is: a ResponseEntity
		// costs a return-type resolution and a header copy per request (4-6% of a one-row
		// prediction's CPU)
		http.setHeader(ServerTiming.HEADER, serverTiming(System.nanoTime() - start));
		return response;
	}

	/**
	 * The body bound as {@code @RequestBody PredictionRequest} binds it, with the same
	 * exceptions (and so the same problem responses).
	 */
	private PredictionRequest bind(byte[] body, HttpServletRequest http) {
		PredictionRequest request;
		try {
			request = body.length == 0 ? null : json.readValue(body, PredictionRequest.class);
		}
		catch (JacksonException ex) {
			throw new HttpMessageNotReadableException("JSON parse error: " + ex.getOriginalMessage(), ex,
					new ServletServerHttpRequest(http));
		}
		if (request == null) {
			throw new HttpMessageNotReadableException("Required request body is missing",
					new ServletServerHttpRequest(http));
		}
		return request;
	}

	@PostMapping(consumes = TEXT_CSV)
	// JSON and CSV bodies share one path and method, which OpenAPI documents as one
	// operation: the two handlers carry the same annotations so that the merged operation
	// describes both.
	@Operation(operationId = "predict", summary = "Predict (JSON rows, or a CSV file scored as a stream)",
			description = DESCRIPTION,
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = {
							@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
									schema = @Schema(implementation = PredictionRequest.class)),
							@Content(mediaType = TEXT_CSV, schema = @Schema(type = "string", format = "binary")) },
					required = true))
	@ApiResponse(responseCode = "200",
			description = "JSON: one prediction per row, in order; the Server-Timing header gives the server's time. "
					+ "CSV: the input columns, then prediction and, for classifiers, probability_<label> per class",
			content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = PredictionResponse.class)),
					@Content(mediaType = TEXT_CSV, schema = @Schema(type = "string", format = "binary")) })
	@ApiResponse(responseCode = "400", description = "Invalid request, malformed CSV (the error names the line)",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "413", description = "JSON body larger than fitserve.prediction.max-body-size",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "404", description = "Unknown model",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "422",
			description = "A row cannot be used; errors name the row (JSON) or line (CSV) and the feature",
			content = @Content(mediaType = "application/problem+json"))
	void predictCsv(@PathVariable String id, @Parameter(
			description = "CSV bodies: fail (default) or skip, what to do with a row that cannot be read") @RequestParam(
					required = false) String onError,
			@Parameter(
					description = "binary models: a number in [0, 1] or best_f1 (as in the JSON request)") @RequestParam(
							required = false) String threshold,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		CsvScoring.OnError policy = CsvScoring.OnError.parse(onError);
		csv.score(id, policy, threshold(threshold), request.getInputStream(), response);
	}

	/**
	 * The query parameter as the JSON request would carry it: a number when it reads as
	 * one.
	 */
	private static Object threshold(String value) {
		if (value == null || value.equals("best_f1")) {
			return value;
		}
		double v = io.fitserve.datasets.ValueParser.parseNumber(value);
		return Double.isNaN(v) ? value : (Object) v;
	}

	/** "predict;dur=" and the milliseconds with 3 decimals (see {@link ServerTiming}). */
	static String serverTiming(long nanos) {
		return ServerTiming.of(nanos);
	}

}
