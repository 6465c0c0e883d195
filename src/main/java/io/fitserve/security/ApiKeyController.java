package io.fitserve.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Create, list and revoke API keys (admin only)")
class ApiKeyController {

	private final ApiKeyService keys;

	ApiKeyController(ApiKeyService keys) {
		this.keys = keys;
	}

	@Schema(description = "A new key: a name for people and the role it grants")
	record CreateApiKeyRequest(@Schema(description = "1..100 characters", example = "scoring-service") String name,
			@Schema(description = "admin, trainer or predictor", example = "predictor") String role) {
	}

	@Schema(description = "An API key without its secret")
	record ApiKeyResponse(String id, String name, ApiKeyRole role, Instant createdAt, Instant lastUsedAt,
			Instant revokedAt) {

		static ApiKeyResponse from(ApiKey key) {
			return new ApiKeyResponse(key.getId().toString(), key.getName(), key.getRole(), key.getCreatedAt(),
					key.getLastUsedAt(), key.getRevokedAt());
		}

	}

	@Schema(description = "A new API key; `secret` is shown this once and cannot be read again")
	record CreatedApiKeyResponse(String id, String name, ApiKeyRole role, Instant createdAt,
			@Schema(description = "send as 'Authorization: Bearer <secret>'") String secret) {
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createApiKey", summary = "Create an API key; its secret is in this response only")
	@ApiResponse(responseCode = "201", description = "Created: the key with its secret, shown this once")
	ResponseEntity<CreatedApiKeyResponse> create(@RequestBody CreateApiKeyRequest request) {
		ApiKeyService.CreatedKey created = keys.create(request.name(), request.role());
		ApiKey key = created.key();
		return ResponseEntity.created(URI.create("/api/v1/api-keys/" + key.getId()))
			.body(new CreatedApiKeyResponse(key.getId().toString(), key.getName(), key.getRole(), key.getCreatedAt(),
					created.secret()));
	}

	@Schema(description = "The API keys")
	record ApiKeyListResponse(List<ApiKeyResponse> items) {
	}

	@GetMapping
	@Operation(operationId = "listApiKeys",
			summary = "List API keys, oldest first, without secrets (revoked ones too, with revokedAt)")
	@ApiResponse(responseCode = "200", description = "Every key, without secrets")
	ApiKeyListResponse list() {
		return new ApiKeyListResponse(keys.list().stream().map(ApiKeyResponse::from).toList());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key at once; revoking a revoked key is a no-op")
	@ApiResponse(responseCode = "204", description = "Revoked")
	void revoke(@PathVariable String id) {
		keys.revoke(id);
	}

}
