package io.fitserve.registry;

import java.util.Optional;
import java.util.UUID;

import io.fitserve.models.ModelReferences;

import org.springframework.stereotype.Component;

/** Tells ModelService that a model a registry version points at may not be deleted. */
@Component
class RegistryModelReferences implements ModelReferences {

	private final RegisteredModelRepository models;

	private final ModelVersionRepository versions;

	RegistryModelReferences(RegisteredModelRepository models, ModelVersionRepository versions) {
		this.models = models;
		this.versions = versions;
	}

	@Override
	public Optional<String> referenceTo(UUID modelId) {
		return versions.findFirstByModelIdOrderByCreatedAtAsc(modelId)
			.map(v -> "version " + v.getVersion() + " of registered model '"
					+ models.findById(v.getRegisteredModelId()).map(RegisteredModel::getName).orElse("?") + "'");
	}

}
