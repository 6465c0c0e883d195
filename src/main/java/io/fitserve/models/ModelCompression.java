package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import tools.jackson.core.type.TypeReference;

/**
 * A model's weights quantised into a new model: the sizes before and after and the
 * agreement of the two on the original's test split; it does not change once made.
 */
@Entity
@Table(name = "model_compression")
public class ModelCompression {

	@Id
	private UUID id;

	private UUID modelId;

	private UUID compressedModelId;

	@Column(name = "weight_precision")
	private String precision;

	private long sizeBefore;

	private long sizeAfter;

	private long weightBytesBefore;

	private long weightBytesAfter;

	@Column(name = "agreement_json")
	private String agreementJson;

	@Column(name = "warnings_json")
	private String warningsJson;

	private Instant createdAt;

	protected ModelCompression() {
	}

	static ModelCompression of(UUID modelId, UUID compressedModelId, String precision, long sizeBefore, long sizeAfter,
			long weightBytesBefore, long weightBytesAfter, CompressionAgreement agreement, List<String> warnings) {
		ModelCompression c = new ModelCompression();
		c.id = UUID.randomUUID();
		c.modelId = modelId;
		c.compressedModelId = compressedModelId;
		c.precision = precision;
		c.sizeBefore = sizeBefore;
		c.sizeAfter = sizeAfter;
		c.weightBytesBefore = weightBytesBefore;
		c.weightBytesAfter = weightBytesAfter;
		c.agreementJson = (agreement == null) ? null : Json.write(agreement);
		c.warningsJson = Json.write(warnings);
		c.createdAt = Instant.now();
		return c;
	}

	public UUID getId() {
		return id;
	}

	/** The original model. */
	public UUID getModelId() {
		return modelId;
	}

	/** The new model, with the quantised weights. */
	public UUID getCompressedModelId() {
		return compressedModelId;
	}

	/** "float16" or "int8". */
	public String getPrecision() {
		return precision;
	}

	/** Bytes of the original's artifact. */
	public long getSizeBefore() {
		return sizeBefore;
	}

	/** Bytes of the compressed model's artifact. */
	public long getSizeAfter() {
		return sizeAfter;
	}

	public long getWeightBytesBefore() {
		return weightBytesBefore;
	}

	public long getWeightBytesAfter() {
		return weightBytesAfter;
	}

	/** Null when it could not be measured (see the warnings). */
	CompressionAgreement getAgreement() {
		return agreementJson == null ? null : Json.read(agreementJson, CompressionAgreement.class);
	}

	public List<String> getWarnings() {
		return Json.read(warningsJson, new TypeReference<List<String>>() {
		});
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
