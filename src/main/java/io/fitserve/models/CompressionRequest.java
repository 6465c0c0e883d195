package io.fitserve.models;

import io.swagger.v3.oas.annotations.media.Schema;

/** Compress a model's weights. */
@Schema(description = "Compress a linear model's or an MLP's weights into a new model")
record CompressionRequest(@Schema(
		description = "how to store the weights: IEEE half floats (2 bytes each) or "
				+ "symmetric int8 with one scale per output neuron (1 byte each)",
		allowableValues = {
				"float16", "int8" },
		requiredMode = Schema.RequiredMode.REQUIRED) String precision){
}
