package io.fitserve.protocols;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.fitserve.errors.DomainException;
import io.fitserve.prediction.ServerTiming;
import io.fitserve.web.BodyTooLargeException;
import io.fitserve.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * MLflow's scoring protocol for a registered model (its champion alias's version, else
 * its latest).
 */
@RestController
@Tag(name = "MLflow scoring", description = "The /invocations protocol of mlflow models serve, for registered models")
class MlflowController {

	private static final String PROBLEM = "application/problem+json";

	private final MlflowService mlflow;

	MlflowController(MlflowService mlflow) {
		this.mlflow = mlflow;
	}

	@Schema(name = "MlflowInvocationsRequest",
			description = "Exactly one of dataframe_split, dataframe_records, instances, inputs (params is ignored)")
	record InvocationsRequest(Map<String, Object> dataframe_split, List<Map<String, Object>> dataframe_records,
			Object instances, Object inputs, Map<String, Object> params) {
	}

	@Schema(name = "MlflowInvocationsResponse",
			description = "A label per row for classifiers, a number for regressors")
	record InvocationsResponse(List<Object> predictions) {
	}

	@PostMapping(path = "/api/v1/registered-models/{name}/invocations",
			consumes = { MediaType.APPLICATION_JSON_VALUE, "text/csv" })
	@Operation(operationId = "mlflowInvocations", summary = "Score rows as MLflow's scoring server does",
			description = "JSON bodies: dataframe_split ({columns, data}), dataframe_records (a list of objects), "
					+ "instances or inputs (a list of objects, a list of rows in the model's feature order, or an "
					+ "object of columns); or a CSV body (text/csv) with a header row. Rows are read as "
					+ "POST /api/v1/models/{id}/predictions reads them.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = InvocationsRequest.class),
							examples = @ExampleObject(value = """
									{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length",
									 "petal_width"], "data": [[5.1, 3.5, 1.4, 0.2]]}}""")),
							@Content(mediaType = "text/csv", schema = @Schema(type = "string"),
									examples = @ExampleObject(
											value = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n")) }))
	@ApiResponse(responseCode = "200",
			description = "{\"predictions\": [...]}, one per row in order; the Fitserve-Model-Version header names the "
					+ "version that answered",
			content = @Content(schema = @Schema(implementation = InvocationsResponse.class)))
	@ApiResponse(responseCode = "400", description = "Not one of the formats, or malformed",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "404", description = "No such registered model, or it has no versions",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "413", description = "Body over fitserve.prediction.max-body-size",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "422", description = "A row cannot be used; errors name the row and the feature",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<InvocationsResponse> invocations(@PathVariable String name, HttpServletRequest request)
			throws IOException {
		long start = System.nanoTime();
		boolean csv = MediaType.parseMediaType(request.getContentType())
			.isCompatibleWith(MediaType.valueOf("text/csv"));
		byte[] body;
		try {
			body = RequestBodies.read(request);
		}
		catch (BodyTooLargeException ex) {
			throw DomainException.tooLarge(ex.detail());
		}
		MlflowService.Scored scored = mlflow.invoke(name, body, csv);
		return ResponseEntity.ok()
			.header(ServerTiming.HEADER, ServerTiming.of(System.nanoTime() - start))
			.header("Fitserve-Model-Version", Integer.toString(scored.resolved().version()))
			.body(new InvocationsResponse(scored.predictions()));
	}

}
