package io.fitserve.protocols;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The KServe Open Inference Protocol V2 (REST) JSON objects, field names as the protocol
 * spells them.
 */
final class KServeTypes {

	private KServeTypes() {
	}

	@Schema(name = "KServeInferenceRequest", description = "Open Inference Protocol V2 inference request", example = """
			{"id": "42", "inputs": [
			  {"name": "sepal_length", "shape": [2], "datatype": "FP64", "data": [5.1, 6.7]},
			  {"name": "sepal_width", "shape": [2], "datatype": "FP64", "data": [3.5, 3.0]},
			  {"name": "petal_length", "shape": [2], "datatype": "FP64", "data": [1.4, 5.2]},
			  {"name": "petal_width", "shape": [2], "datatype": "FP64", "data": [0.2, 2.3]}],
			 "outputs": [{"name": "label"}]}
			""")
	record InferenceRequest(String id, Map<String, Object> parameters, List<RequestInput> inputs,
			List<RequestOutput> outputs) {
	}

	@Schema(name = "KServeRequestInput", description = "One input tensor: a feature of shape [n] or [n, 1], or all "
			+ "features as one FP64/FP32 tensor of shape [n, d] in the model's feature order")
	record RequestInput(String name, List<Long> shape, String datatype, Map<String, Object> parameters,
			@Schema(description = "row-major, flat or nested") Object data) {
	}

	@Schema(name = "KServeRequestOutput", description = "An output to return: label, probabilities or value")
	record RequestOutput(String name, Map<String, Object> parameters) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "KServeInferenceResponse", description = "Open Inference Protocol V2 inference response")
	record InferenceResponse(String model_name, String model_version, String id, Map<String, Object> parameters,
			List<ResponseOutput> outputs) {
	}

	@Schema(name = "KServeResponseOutput", description = "One output tensor: label, probabilities or value")
	record ResponseOutput(String name, List<Integer> shape, String datatype, List<?> data) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "KServeMetadataTensor", description = "An input or output tensor: its name, datatype and shape")
	record MetadataTensor(String name, String datatype, List<Integer> shape,
			@Schema(description = "probabilities: the class labels, in column order") Map<String, Object> parameters) {
	}

	@Schema(name = "KServeModelMetadata", description = "Model metadata: name, versions, platform, inputs, outputs")
	record ModelMetadata(String name, List<String> versions, String platform, List<MetadataTensor> inputs,
			List<MetadataTensor> outputs) {
	}

	@Schema(name = "KServeError", description = "The protocol's error object")
	record ErrorResponse(String error) {
	}

	@Schema(name = "KServeServerLive", description = "Whether the server is live")
	record ServerLive(boolean live) {
	}

	@Schema(name = "KServeReady", description = "Whether the server (no name) or a model (its name) is ready to serve")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Ready(String name, boolean ready) {
	}

}
