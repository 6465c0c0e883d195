package io.fitserve.datasets;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.fitserve.WebSliceTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@link DatasetController}'s web layer: both upload forms (201 with Location and the
 * inferred schema), the request checks before the service (empty file or body, a body
 * over fitserve.upload.max-size, two names), listing, reading, the CSV download, delete,
 * roles.
 */
@WebMvcTest(controllers = DatasetController.class, properties = "fitserve.upload.max-size=1KB")
class DatasetControllerTest extends WebSliceTest {

	static final String CSV = "x,colour\n1.5,red\n2.5,blue\n";

	static final TestDatasets.Loaded DATA = TestDatasets.fromCsv(CSV);

	@MockitoBean
	DatasetService datasets;

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(UploadProperties.class)
	static class Limits {

	}

	/**
	 * A multipart/form-data body of (field name, file name or null, content) parts, in
	 * order, as a browser or curl -F sends it.
	 */
	static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder multipartBody(String url,
			String[]... parts) {
		String boundary = "----fitserve-test-boundary";
		StringBuilder body = new StringBuilder();
		for (String[] part : parts) {
			body.append("--").append(boundary).append("\r\n");
			body.append("Content-Disposition: form-data; name=\"").append(part[0]).append('"');
			if (part[1] != null) {
				body.append("; filename=\"").append(part[1]).append("\"\r\nContent-Type: text/csv");
			}
			body.append("\r\n\r\n").append(part[2]).append("\r\n");
		}
		body.append("--").append(boundary).append("--\r\n");
		return post(url).contentType("multipart/form-data; boundary=" + boundary)
			.content(body.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static final DatasetService.ParsedUpload PARSED = new DatasetService.ParsedUpload(null, 0, 0);

	@Test
	void aMultipartUploadAnswers201WithLocationAndTheInferredSchema() throws Exception {
		Dataset dataset = DATA.dataset();
		given(this.datasets.parse(any(InputStream.class), isNull())).willAnswer(call -> {
			// the file part's bytes, as they arrive
			assertThat(new String(call.<InputStream>getArgument(0).readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo(CSV);
			return PARSED;
		});
		given(this.datasets.store(PARSED, "colours", "colours.csv")).willReturn(dataset);
		// the name may come after the file
		this.mvc
			.perform(multipartBody("/api/v1/datasets", new String[] { "file", "colours.csv", CSV },
					new String[] { "name", null, "colours" })
				.with(trainer()))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/datasets/" + dataset.getId()))
			.andExpect(jsonPath("$.id").value(dataset.getId().toString()))
			.andExpect(jsonPath("$.rows").value(2))
			.andExpect(jsonPath("$.columnCount").value(2))
			.andExpect(jsonPath("$.delimiter").value(","))
			.andExpect(jsonPath("$.columns[0].name").value("x"))
			.andExpect(jsonPath("$.columns[0].type").value("numeric"))
			.andExpect(jsonPath("$.columns[1].type").value("categorical"));
		then(this.datasets).should().checkNames(null, "colours.csv");
	}

	/**
	 * The mask applies while the file is read: before the file part it is passed to the
	 * parser; after it, it is a 400 and nothing is stored.
	 */
	@Test
	void aMultipartMaskMustComeBeforeTheFile() throws Exception {
		String mask = "{\"colour\":\"redact\"}";
		given(this.datasets.parse(any(InputStream.class), eq(mask))).willReturn(PARSED);
		given(this.datasets.store(PARSED, null, "c.csv")).willReturn(DATA.dataset());
		this.mvc
			.perform(multipartBody("/api/v1/datasets", new String[] { "mask", null, mask },
					new String[] { "file", "c.csv", CSV })
				.with(trainer()))
			.andExpect(status().isCreated());
		given(this.datasets.parse(any(InputStream.class), isNull())).willReturn(PARSED);
		this.mvc
			.perform(multipartBody("/api/v1/datasets", new String[] { "file", "c.csv", CSV },
					new String[] { "mask", null, mask })
				.with(trainer()))
			.andExpect(invalidField("mask"))
			.andExpect(jsonPath("$.errors[0].message").value("must come before the file part"));
		then(this.datasets).should(org.mockito.Mockito.times(1)).store(any(), any(), any());
		this.mvc.perform(multipartBody("/api/v1/datasets", new String[] { "name", null, "x" }).with(trainer()))
			.andExpect(invalidField("file"))
			.andExpect(jsonPath("$.errors[0].message").value("is missing"));
		// no boundary at all: no part
		this.mvc
			.perform(post("/api/v1/datasets").contentType("multipart/form-data; boundary=zz")
				.content("not multipart at all")
				.with(trainer()))
			.andExpect(invalidField("file"));
		// a file part cut short (no closing boundary): the parser's read fails
		given(this.datasets.parse(any(InputStream.class), isNull())).willAnswer(call -> {
			call.<InputStream>getArgument(0).readAllBytes();
			return PARSED;
		});
		this.mvc
			.perform(post("/api/v1/datasets").contentType("multipart/form-data; boundary=zz")
				.content("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,y\n1,2\n")
				.with(trainer()))
			.andExpect(invalidField("body"))
			.andExpect(jsonPath("$.errors[0].message").value("could not be read"))
			.andExpect(jsonPath("$.detail").value("The multipart body could not be read: the body ends inside a part, "
					+ "with no boundary after it."));
	}

	/**
	 * A body the multipart reader cannot read is a 400 that says why, before the service
	 * sees anything.
	 */
	@Test
	void anUnreadableMultipartBodyIsA400ThatSaysWhy() throws Exception {
		this.mvc
			.perform(post("/api/v1/datasets").contentType("multipart/form-data")
				.content("--zz\r\n\r\nx\r\n--zz--")
				.with(trainer()))
			.andExpect(invalidField("body"))
			.andExpect(jsonPath("$.errors[0].message").value("is not a readable multipart/form-data body"))
			.andExpect(jsonPath("$.detail")
				.value("The multipart request could not be read: its Content-Type has no usable boundary parameter."));
		this.mvc
			.perform(post("/api/v1/datasets").contentType("multipart/form-data; boundary=zz")
				.content("--zz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--zzX")
				.with(trainer()))
			.andExpect(invalidField("body"))
			.andExpect(jsonPath("$.detail").value("The multipart request could not be read: a boundary is "
					+ "followed by something other than a line break or --."));
		this.mvc
			.perform(post("/api/v1/datasets").contentType("multipart/form-data; boundary=zz")
				.content("--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n"
						+ "Content-Type: multipart/mixed; boundary=yy\r\n\r\n--yy\r\n\r\nx\r\n--yy--\r\n--zz--")
				.with(trainer()))
			.andExpect(invalidField("file"))
			.andExpect(jsonPath("$.errors[0].message").value("is a nested multipart body, not a CSV file"));
		then(this.datasets).shouldHaveNoInteractions();
	}

	@Test
	void aRawCsvBodyUploadsToo() throws Exception {
		given(this.datasets.upload(any(InputStream.class), eq("raw"), isNull(), isNull())).willReturn(DATA.dataset());
		this.mvc.perform(post("/api/v1/datasets?name=raw").contentType("text/csv").content(CSV).with(trainer()))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/api/v1/datasets/" + DATA.dataset().getId()));
	}

	@Test
	void emptyUploadsAreRefusedBeforeTheService() throws Exception {
		this.mvc.perform(multipartBody("/api/v1/datasets", new String[] { "file", "e.csv", "" }).with(trainer()))
			.andExpect(invalidField("file"))
			.andExpect(jsonPath("$.errors[0].message").value("is empty"));
		this.mvc.perform(post("/api/v1/datasets").contentType("text/csv").content("").with(trainer()))
			.andExpect(invalidField("body"));
		then(this.datasets).should(never()).upload(any(), any(), any(), any());
		then(this.datasets).should(never()).parse(any(), any());
	}

	@Test
	void aBodyOverTheUploadLimitIs413BeforeAByteIsRead() throws Exception {
		this.mvc
			.perform(
					post("/api/v1/datasets").contentType("text/csv").content("x\n" + "1\n".repeat(600)).with(trainer()))
			.andExpect(problem(413, "content-too-large"))
			.andExpect(jsonPath("$.detail")
				.value("The upload is larger than the limit of 1024B (fitserve.upload.max-size)."));
		then(this.datasets).should(never()).upload(any(), any(), any(), any());
	}

	@Test
	void twoDifferentNamesAreAValidationProblem() throws Exception {
		given(this.datasets.parse(any(InputStream.class), isNull())).willReturn(PARSED);
		this.mvc
			.perform(multipartBody("/api/v1/datasets?name=a", new String[] { "file", "a.csv", CSV },
					new String[] { "name", null, "b" })
				.with(trainer()))
			.andExpect(invalidField("name"))
			.andExpect(jsonPath("$.errors[0].message").value("has different values: a, b"));
	}

	@Test
	void listGetAndDelete() throws Exception {
		Dataset dataset = DATA.dataset();
		given(this.datasets.list(any(Pageable.class))).willReturn(new PageImpl<>(List.of(dataset)));
		given(this.datasets.get(dataset.getId().toString())).willReturn(dataset);
		this.mvc.perform(get("/api/v1/datasets").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[0].id").value(dataset.getId().toString()))
			.andExpect(jsonPath("$.items[0].name").value("test"))
			.andExpect(jsonPath("$.items[0].columns").doesNotExist())
			.andExpect(jsonPath("$.totalItems").value(1));
		this.mvc.perform(get("/api/v1/datasets/" + dataset.getId()).with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.originalFilename").value("test.csv"))
			.andExpect(jsonPath("$.sha256").value(dataset.getSha256()));
		this.mvc.perform(delete("/api/v1/datasets/" + dataset.getId()).with(trainer()))
			.andExpect(status().isNoContent());
		then(this.datasets).should().delete(dataset.getId().toString());
	}

	@Test
	void rowsAndContent() throws Exception {
		Dataset dataset = DATA.dataset();
		given(this.datasets.get(dataset.getId().toString())).willReturn(dataset);
		given(this.datasets.rows(dataset, 1, 1)).willReturn(List.of(Map.of("x", 2.5, "colour", "blue")));
		given(this.datasets.frame(dataset.getId())).willReturn(DATA.frame());
		this.mvc.perform(get("/api/v1/datasets/" + dataset.getId() + "/rows?offset=1&limit=1").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.offset").value(1))
			.andExpect(jsonPath("$.totalRows").value(2))
			.andExpect(jsonPath("$.rows[0].colour").value("blue"));
		this.mvc.perform(get("/api/v1/datasets/" + dataset.getId() + "/content").with(trainer()))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment")))
			.andExpect(content().string(org.hamcrest.Matchers.startsWith("x,colour\r\n1.5,red")));
	}

	@Test
	void predictorKeysAndAnonymousCallersAreRefused() throws Exception {
		this.mvc.perform(get("/api/v1/datasets").with(predictor())).andExpect(forbidden());
		this.mvc.perform(get("/api/v1/datasets")).andExpect(unauthorized());
		this.mvc.perform(get("/api/v1/datasets").header("Authorization", "Basic dXNlcjpwYXNz"))
			.andExpect(unauthorized());
	}

}
