package io.fitserve.registry;

import java.time.Instant;
import java.util.UUID;

import io.fitserve.WebSliceTest;
import io.fitserve.errors.DomainException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link RegistryController}'s web layer: 201 with the registered model's Location, the
 * calling key passed to the registry as the actor, versions and aliases mapped to their
 * responses, 204 on alias delete, and that changing the registry is a trainer's while
 * reading it is any key's.
 */
@WebMvcTest(RegistryController.class)
class RegistryControllerTest extends WebSliceTest {

	static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	@MockitoBean
	RegistryService registry;

	@Test
	void createAnswers201WithLocationAndPassesTheCallingKeyAsActor() throws Exception {
		RegisteredModel model = RegisteredModel.create("iris-species", "the iris classifier", NOW);
		given(this.registry.create("iris-species", "the iris classifier",
				new Actor("00000000-0000-0000-0000-000000000002", "slice-trainer")))
			.willReturn(model);
		this.mvc
			.perform(post("/api/v1/registered-models").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"iris-species\", \"description\": \"the iris classifier\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/registered-models/iris-species"))
			.andExpect(jsonPath("$.name").value("iris-species"))
			.andExpect(jsonPath("$.description").value("the iris classifier"))
			.andExpect(jsonPath("$.latestVersion").doesNotExist())
			.andExpect(jsonPath("$.aliases").isEmpty())
			.andExpect(jsonPath("$.createdAt").value("2026-12-01T12:00:00Z"));
	}

	@Test
	void aNewVersionAnswers201WithItsNumberInTheLocation() throws Exception {
		RegisteredModel model = RegisteredModel.create("iris-species", null, NOW);
		ModelVersion version = new ModelVersion(UUID.randomUUID(), 3, MODEL, Actor.UNKNOWN, NOW);
		given(this.registry.createVersion(any(), any(), any())).willReturn(new RegistryService.Version(model, version));
		this.mvc
			.perform(post("/api/v1/registered-models/iris-species/versions").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"modelId\": \"" + MODEL + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/registered-models/iris-species/versions/3"))
			.andExpect(jsonPath("$.version").value(3))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()));
		then(this.registry).should()
			.createVersion("iris-species", MODEL.toString(),
					new Actor("00000000-0000-0000-0000-000000000002", "slice-trainer"));
	}

	@Test
	void aliasesAreSetReadAndDeleted() throws Exception {
		RegisteredModel model = RegisteredModel.create("iris-species", null, NOW);
		ModelVersion version = new ModelVersion(UUID.randomUUID(), 2, MODEL, Actor.UNKNOWN, NOW);
		given(this.registry.setAlias(any(), any(), any(), any()))
			.willReturn(new RegistryService.Version(model, version));
		this.mvc
			.perform(put("/api/v1/registered-models/iris-species/aliases/champion").with(admin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"version\": 2}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("iris-species"))
			.andExpect(jsonPath("$.alias").value("champion"))
			.andExpect(jsonPath("$.version").value(2))
			.andExpect(jsonPath("$.modelId").value(MODEL.toString()));
		then(this.registry).should()
			.setAlias("iris-species", "champion", 2, new Actor("00000000-0000-0000-0000-000000000001", "slice-admin"));

		given(this.registry.alias("iris-species", "champion")).willReturn(new RegistryService.Version(model, version));
		this.mvc.perform(get("/api/v1/registered-models/iris-species/aliases/champion").with(predictor()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.version").value(2));

		this.mvc.perform(delete("/api/v1/registered-models/iris-species/aliases/champion").with(trainer()))
			.andExpect(status().isNoContent());
		then(this.registry).should().deleteAlias(any(), any(), any());
	}

	@Test
	void aVersionThatIsNotANumberIsAValidationProblem() throws Exception {
		this.mvc
			.perform(put("/api/v1/registered-models/iris-species/aliases/champion").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"version\": \"two\"}"))
			.andExpect(invalidField("version"));
		then(this.registry).should(never()).setAlias(any(), any(), any(), any());
	}

	@Test
	void anUnknownRegisteredModelIsA404Problem() throws Exception {
		given(this.registry.get("nope")).willThrow(DomainException.notFound("Registered model", "nope"));
		this.mvc.perform(get("/api/v1/registered-models/nope").with(predictor()))
			.andExpect(problem(404, "not-found"))
			.andExpect(jsonPath("$.detail").value("No registered model with id 'nope'."));
	}

	@Test
	void predictorKeysReadButDoNotChangeTheRegistry() throws Exception {
		this.mvc
			.perform(post("/api/v1/registered-models").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"x\"}"))
			.andExpect(forbidden());
		this.mvc.perform(delete("/api/v1/registered-models/x/aliases/champion").with(predictor()))
			.andExpect(forbidden());
		this.mvc.perform(get("/api/v1/registered-models")).andExpect(unauthorized());
		then(this.registry).should(never()).create(any(), any(), any());
	}

}
