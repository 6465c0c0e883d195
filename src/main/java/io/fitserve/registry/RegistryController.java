package io.fitserve.registry;

import java.net.URI;

import io.fitserve.registry.RegistryResponses.AliasHistoryEntry;
import io.fitserve.registry.RegistryResponses.AliasResponse;
import io.fitserve.registry.RegistryResponses.CreateModelVersionRequest;
import io.fitserve.registry.RegistryResponses.CreateRegisteredModelRequest;
import io.fitserve.registry.RegistryResponses.ModelVersionResponse;
import io.fitserve.registry.RegistryResponses.RegisteredModelResponse;
import io.fitserve.registry.RegistryResponses.SetAliasRequest;
import io.fitserve.security.ApiKeyPrincipal;
import io.fitserve.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/registered-models")
@Tag(name = "Model registry", description = "Named models, numbered versions and aliases such as champion")
class RegistryController {

	private static final String PROBLEM = "application/problem+json";

	private final RegistryService registry;

	RegistryController(RegistryService registry) {
		this.registry = registry;
	}

	static Actor actor(ApiKeyPrincipal principal) {
		return principal == null ? Actor.UNKNOWN : new Actor(principal.keyId(), principal.name());
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "createRegisteredModel", summary = "Register a model name")
	@ApiResponse(responseCode = "201", description = "Registered, with no versions yet; Location names it",
			content = @Content(schema = @Schema(implementation = RegisteredModelResponse.class)))
	@ApiResponse(responseCode = "400", description = "The name is missing or not a slug",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = PROBLEM))
	ResponseEntity<RegisteredModelResponse> create(@RequestBody CreateRegisteredModelRequest request,
			@Parameter(hidden = true) @AuthenticationPrincipal ApiKeyPrincipal principal) {
		RegisteredModel model = registry.create(request == null ? null : request.name(),
				request == null ? null : request.description(), actor(principal));
		return ResponseEntity.created(URI.create("/api/v1/registered-models/" + model.getName()))
			.body(RegisteredModelResponse.from(model));
	}

	@GetMapping
	@Operation(operationId = "listRegisteredModels", summary = "List registered models, newest first")
	@ApiResponse(responseCode = "200",
			description = "One page of registered models, each with its latest version number and its aliases")
	@ApiResponse(responseCode = "400", description = "Bad paging", content = @Content(mediaType = PROBLEM))
	PageResponse<RegisteredModelResponse> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(registry.list(page, size), RegisteredModelResponse::from);
	}

	@GetMapping("/{name}")
	@Operation(operationId = "getRegisteredModel", summary = "A registered model with its latest version and aliases")
	@ApiResponse(responseCode = "200", description = "The registered model: its latest version number and its aliases",
			content = @Content(schema = @Schema(implementation = RegisteredModelResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such name", content = @Content(mediaType = PROBLEM))
	RegisteredModelResponse get(@PathVariable String name) {
		return RegisteredModelResponse.from(registry.get(name));
	}

	@PostMapping(path = "/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "createModelVersion",
			summary = "Add the next version (1, 2, ...), pointing at a trained model",
			description = "A trained model a version points at cannot be deleted (409) while the version exists.")
	@ApiResponse(responseCode = "201",
			description = "The new version, numbered one past the latest, and its trained model; Location names it",
			content = @Content(schema = @Schema(implementation = ModelVersionResponse.class)))
	@ApiResponse(responseCode = "400", description = "modelId missing or not a UUID",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "404", description = "No such registered model or trained model",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "409", description = "Too many concurrent changes; retry",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<ModelVersionResponse> createVersion(@PathVariable String name,
			@RequestBody CreateModelVersionRequest request,
			@Parameter(hidden = true) @AuthenticationPrincipal ApiKeyPrincipal principal) {
		RegistryService.Version created = registry.createVersion(name, request == null ? null : request.modelId(),
				actor(principal));
		return ResponseEntity
			.created(URI.create("/api/v1/registered-models/" + name + "/versions/" + created.version().getVersion()))
			.body(ModelVersionResponse.from(created));
	}

	@GetMapping("/{name}/versions")
	@Operation(operationId = "listModelVersions", summary = "The registered model's versions, newest first")
	@ApiResponse(responseCode = "200",
			description = "One page of versions, each with its trained model and the aliases on it")
	@ApiResponse(responseCode = "404", description = "No such name", content = @Content(mediaType = PROBLEM))
	PageResponse<ModelVersionResponse> versions(@PathVariable String name, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		RegisteredModel model = registry.get(name);
		return PageResponse.of(registry.versions(name, page, size), v -> ModelVersionResponse.from(model, v));
	}

	@GetMapping("/{name}/versions/{version}")
	@Operation(operationId = "getModelVersion", summary = "One version: its trained model and the aliases on it")
	@ApiResponse(responseCode = "200", description = "The version, its trained model and the aliases on it",
			content = @Content(schema = @Schema(implementation = ModelVersionResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such name or version", content = @Content(mediaType = PROBLEM))
	ModelVersionResponse version(@PathVariable String name, @PathVariable String version) {
		return ModelVersionResponse.from(registry.version(name, version));
	}

	@PutMapping(path = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "setModelAlias", summary = "Point an alias (e.g. champion) at a version",
			description = "Creates the alias or moves it; predictions through the alias use the new version from the "
					+ "next request on. Each change is recorded in the alias's history with the API key that made it.")
	@ApiResponse(responseCode = "200",
			description = "The alias now points at the version: the version and its " + "trained model",
			content = @Content(schema = @Schema(implementation = AliasResponse.class)))
	@ApiResponse(responseCode = "400", description = "Bad alias name or no version given",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "404", description = "No such name or version", content = @Content(mediaType = PROBLEM))
	AliasResponse setAlias(@PathVariable String name, @PathVariable String alias, @RequestBody SetAliasRequest request,
			@Parameter(hidden = true) @AuthenticationPrincipal ApiKeyPrincipal principal) {
		return AliasResponse.from(alias,
				registry.setAlias(name, alias, request == null ? null : request.version(), actor(principal)));
	}

	@GetMapping("/{name}/aliases/{alias}")
	@Operation(operationId = "getModelAlias", summary = "The version an alias points at")
	@ApiResponse(responseCode = "200", description = "The version the alias points at and its trained model",
			content = @Content(schema = @Schema(implementation = AliasResponse.class)))
	@ApiResponse(responseCode = "404", description = "No such name or alias", content = @Content(mediaType = PROBLEM))
	AliasResponse alias(@PathVariable String name, @PathVariable String alias) {
		return AliasResponse.from(alias, registry.alias(name, alias));
	}

	@DeleteMapping("/{name}/aliases/{alias}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteModelAlias", summary = "Remove an alias (recorded in its history)")
	@ApiResponse(responseCode = "204", description = "Removed; the removal is recorded in the alias's history")
	@ApiResponse(responseCode = "404", description = "No such name or alias", content = @Content(mediaType = PROBLEM))
	void deleteAlias(@PathVariable String name, @PathVariable String alias,
			@Parameter(hidden = true) @AuthenticationPrincipal ApiKeyPrincipal principal) {
		registry.deleteAlias(name, alias, actor(principal));
	}

	@GetMapping("/{name}/aliases/{alias}/history")
	@Operation(operationId = "getModelAliasHistory",
			summary = "Who moved the alias, when, from which version to which; newest first")
	@ApiResponse(responseCode = "200",
			description = "One page of the alias's moves: who, when, from which version to which")
	@ApiResponse(responseCode = "404", description = "No such name, or the alias never existed",
			content = @Content(mediaType = PROBLEM))
	PageResponse<AliasHistoryEntry> history(@PathVariable String name, @PathVariable String alias,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(registry.history(name, alias, page, size), AliasHistoryEntry::from);
	}

}
