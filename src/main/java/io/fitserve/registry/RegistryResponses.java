package io.fitserve.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** The registry's wire records: requests and responses, never the entities. */
final class RegistryResponses {

	private RegistryResponses() {
	}

	@Schema(description = "A new registered model")
	record CreateRegisteredModelRequest(@Schema(
			description = "1..100 lower-case letters, digits, '-' or '_', starting with a letter or digit; unique",
			example = "iris-species", requiredMode = Schema.RequiredMode.REQUIRED) String name,
			@Schema(description = "free text, at most 10000 characters",
					example = "Iris species from flower sizes") String description) {
	}

	@Schema(description = "A registered model: its latest version number and its aliases")
	record RegisteredModelResponse(String name, String description,
			@Schema(description = "null until the first version is created") Integer latestVersion,
			@Schema(description = "alias -> version number",
					example = "{\"champion\": 2}") Map<String, Integer> aliases,
			Instant createdAt, Instant updatedAt) {

		static RegisteredModelResponse from(RegisteredModel model) {
			return new RegisteredModelResponse(model.getName(), model.getDescription(),
					model.getLastVersion() == 0 ? null : model.getLastVersion(), new TreeMap<>(model.getAliases()),
					model.getCreatedAt(), model.getUpdatedAt());
		}

	}

	@Schema(description = "A new version: the trained model it points at")
	record CreateModelVersionRequest(@Schema(description = "id of a trained model (GET /api/v1/models)",
			requiredMode = Schema.RequiredMode.REQUIRED) String modelId) {
	}

	@Schema(description = "Who made a change: the API key's id and name")
	record KeyRef(String keyId, String keyName) {
	}

	@Schema(description = "Version n of a registered model")
	record ModelVersionResponse(String name, int version, UUID modelId,
			@Schema(description = "aliases that point at this version now") List<String> aliases, Instant createdAt,
			KeyRef createdBy) {

		static ModelVersionResponse from(RegisteredModel model, ModelVersion version) {
			List<String> aliases = model.getAliases()
				.entrySet()
				.stream()
				.filter(e -> e.getValue() == version.getVersion())
				.map(Map.Entry::getKey)
				.sorted()
				.toList();
			return new ModelVersionResponse(model.getName(), version.getVersion(), version.getModelId(), aliases,
					version.getCreatedAt(), new KeyRef(version.getCreatedByKeyId(), version.getCreatedByKeyName()));
		}

		static ModelVersionResponse from(RegistryService.Version v) {
			return from(v.model(), v.version());
		}

	}

	@Schema(description = "Where an alias should point")
	record SetAliasRequest(@Schema(description = "a version number of this registered model", example = "2",
			requiredMode = Schema.RequiredMode.REQUIRED) Integer version) {
	}

	@Schema(description = "An alias and the version (and trained model) it points at")
	record AliasResponse(String name, String alias, int version, UUID modelId) {

		static AliasResponse from(String alias, RegistryService.Version v) {
			return new AliasResponse(v.model().getName(), alias, v.version().getVersion(), v.version().getModelId());
		}

	}

	@Schema(description = "One move of an alias: who, when, from which version to which")
	record AliasHistoryEntry(String alias,
			@Schema(description = "order of the alias moves on this registered model, from 1") int sequence,
			@Schema(description = "null when the move created the alias") Integer fromVersion,
			@Schema(description = "null when the move deleted the alias") Integer toVersion, KeyRef movedBy,
			Instant movedAt) {

		static AliasHistoryEntry from(AliasEvent event) {
			return new AliasHistoryEntry(event.getAlias(), event.getSeq(), event.getFromVersion(), event.getToVersion(),
					new KeyRef(event.getKeyId(), event.getKeyName()), event.getCreatedAt());
		}

	}

}
