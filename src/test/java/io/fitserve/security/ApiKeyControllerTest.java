package io.fitserve.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.mockito.ArgumentMatchers.any;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link ApiKeyController}'s web layer: admin only, 201 with the secret once, list,
 * revoke.
 */
@WebMvcTest(ApiKeyController.class)
class ApiKeyControllerTest extends WebSliceTest {

	static final UUID ID = UUID.fromString("0b6f4f7e-5d3c-4d1e-9a57-3f1c2b7d8e90");

	static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");

	@Test
	void createAnswers201WithLocationAndTheSecretOnce() throws Exception {
		given(this.apiKeys.create("scoring", "predictor")).willReturn(new ApiKeyService.CreatedKey(
				new ApiKey(ID, "scoring", ApiKeyRole.PREDICTOR, new byte[32], CREATED), "fs_secret"));
		this.mvc
			.perform(post("/api/v1/api-keys").with(admin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"scoring\", \"role\": \"predictor\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/api-keys/" + ID))
			.andExpect(jsonPath("$.id").value(ID.toString()))
			.andExpect(jsonPath("$.name").value("scoring"))
			.andExpect(jsonPath("$.role").value("predictor"))
			.andExpect(jsonPath("$.createdAt").value("2026-12-01T10:00:00Z"))
			.andExpect(jsonPath("$.secret").value("fs_secret"));
	}

	@Test
	void listShowsKeysWithoutSecrets() throws Exception {
		ApiKey key = new ApiKey(ID, "ci", ApiKeyRole.TRAINER, new byte[32], CREATED);
		given(this.apiKeys.list()).willReturn(List.of(key));
		this.mvc.perform(get("/api/v1/api-keys").with(admin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(ID.toString()))
			.andExpect(jsonPath("$.items[0].name").value("ci"))
			.andExpect(jsonPath("$.items[0].role").value("trainer"))
			.andExpect(jsonPath("$.items[0].secret").doesNotExist())
			.andExpect(jsonPath("$.items[0].secretSha256").doesNotExist());
	}

	@Test
	void revokeAnswers204() throws Exception {
		this.mvc.perform(delete("/api/v1/api-keys/" + ID).with(admin())).andExpect(status().isNoContent());
		then(this.apiKeys).should().revoke(ID.toString());
	}

	@Test
	void anUnknownFieldInTheBodyIsAValidationProblemNamingIt() throws Exception {
		this.mvc
			.perform(post("/api/v1/api-keys").with(admin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"scoring\", \"rol\": \"predictor\"}"))
			.andExpect(invalidField("rol"));
		then(this.apiKeys).should(never()).create(any(), any());
	}

	@Test
	void aBodyThatIsNotJsonIsA400Problem() throws Exception {
		this.mvc
			.perform(post("/api/v1/api-keys").with(admin()).contentType(MediaType.APPLICATION_JSON).content("{name"))
			.andExpect(problem(400, "bad-request"));
	}

	@Test
	void withoutAKeyOrWithAnUnknownOneThe401Problem() throws Exception {
		this.mvc.perform(get("/api/v1/api-keys"))
			.andExpect(unauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer realm=\"fitserve\""));
		this.mvc.perform(get("/api/v1/api-keys").with(bearer("not-a-key")))
			.andExpect(unauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer realm=\"fitserve\", error=\"invalid_token\""));
	}

	@Test
	void onlyAdminKeysManageKeys() throws Exception {
		this.mvc.perform(get("/api/v1/api-keys").with(trainer())).andExpect(forbidden());
		this.mvc.perform(delete("/api/v1/api-keys/" + ID).with(predictor())).andExpect(forbidden());
		then(this.apiKeys).should(never()).revoke(any());
	}

}
