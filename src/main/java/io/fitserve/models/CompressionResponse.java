package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A compression: the new model, the sizes before and after, the agreement. */
@Schema(name = "CompressionResponse", description = "A model's weights quantised into a new model")
record CompressionResponse(UUID id, @Schema(description = "the original model") UUID modelId,
		@Schema(description = "the new model, served, evaluated and exported like any") UUID compressedModelId,
		@Schema(allowableValues = {
				"float16", "int8" }) String precision,
		@Schema(description = "bytes of the original's artifact") long sizeBefore,
		@Schema(description = "bytes of the compressed model's artifact") long sizeAfter,
		@Schema(description = "sizeBefore / sizeAfter") double compressionRatio,
		@Schema(description = "bytes of the weight matrices alone, as stored (doubles)") long weightBytesBefore,
		@Schema(description = "bytes of the weight matrices alone, as stored (halves; int8 codes and their float32 "
				+ "scales)") long weightBytesAfter,
		@Schema(description = "weightBytesBefore / weightBytesAfter") double weightCompressionRatio,
		@Schema(description = "null when it could not be measured: the dataset was deleted, or the model has no "
				+ "test split (see warnings)") CompressionAgreement agreement,
		List<String> warnings, Instant createdAt){

	static CompressionResponse from(ModelCompression c) {
		return new CompressionResponse(c.getId(), c.getModelId(), c.getCompressedModelId(), c.getPrecision(),
				c.getSizeBefore(), c.getSizeAfter(), ratio(c.getSizeBefore(), c.getSizeAfter()),
				c.getWeightBytesBefore(), c.getWeightBytesAfter(),
				ratio(c.getWeightBytesBefore(), c.getWeightBytesAfter()), c.getAgreement(), c.getWarnings(),
				c.getCreatedAt());
	}

	private static double ratio(long before, long after) {
		return after == 0 ? 0 : (double) before / after;
	}

}
