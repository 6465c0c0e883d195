package io.fitserve.models;

import java.util.List;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link CompressionController}'s web layer: the stored compression mapped to its
 * response (201 with Location, the ratios worked out from the sizes), a null agreement
 * kept, a domain refusal as its problem, and which roles may compress and read.
 */
@WebMvcTest(CompressionController.class)
class CompressionControllerTest extends WebSliceTest {

	static final UUID MODEL = UUID.fromString("9a1e5c6d-1f0a-4b2c-8d3e-4f5a6b7c8d9e");

	static final UUID COMPRESSED = UUID.fromString("3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f");

	@MockitoBean
	CompressionService compressions;

	@Test
	void aCompressionAnswers201WithItsLocationAndRatios() throws Exception {
		CompressionAgreement agreement = new CompressionAgreement(30, 1.0, 0, 3e-4, 4e-5, null, null, null, null, null);
		ModelCompression compression = ModelCompression.of(MODEL, COMPRESSED, "int8", 2000, 1600, 800, 200, agreement,
				List.of());
		given(this.compressions.compress(any(), any())).willReturn(compression);
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/compressions").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"precision\": \"int8\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/models/" + MODEL + "/compressions/" + compression.getId()))
			.andExpect(jsonPath("$.compressedModelId").value(COMPRESSED.toString()))
			.andExpect(jsonPath("$.precision").value("int8"))
			.andExpect(jsonPath("$.compressionRatio").value(1.25))
			.andExpect(jsonPath("$.weightCompressionRatio").value(4.0))
			.andExpect(jsonPath("$.agreement.rows").value(30))
			.andExpect(jsonPath("$.agreement.labelAgreement").value(1.0))
			.andExpect(jsonPath("$.agreement.r2").doesNotExist());
	}

	@Test
	void anAgreementThatCouldNotBeMeasuredIsNull() throws Exception {
		ModelCompression compression = ModelCompression.of(MODEL, COMPRESSED, "float16", 1000, 800, 80, 20, null,
				List.of("agreement not measured: the model was trained without a test split (testFraction 0)"));
		given(this.compressions.list(any())).willReturn(List.of(compression));
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/compressions").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].agreement").isEmpty())
			.andExpect(jsonPath("$[0].warnings[0]")
				.value("agreement not measured: the model was trained without a test split (testFraction 0)"));
	}

	@Test
	void aRefusalIsItsProblem() throws Exception {
		given(this.compressions.compress(any(), any())).willThrow(new DomainException(DomainException.Kind.CONFLICT,
				"compression-not-supported", "The model cannot be compressed", "no weight matrices", null, null));
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/compressions").with(trainer())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"precision\": \"int8\"}"))
			.andExpect(problem(409, "compression-not-supported"));
	}

	@Test
	void predictorKeysNeitherCompressNorRead() throws Exception {
		this.mvc
			.perform(post("/api/v1/models/" + MODEL + "/compressions").with(predictor())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"precision\": \"int8\"}"))
			.andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/compressions").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/models/" + MODEL + "/compressions")).andExpect(unauthorized());
		then(this.compressions).shouldHaveNoInteractions();
	}

}
