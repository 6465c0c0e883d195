package bench.peer;

import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP baseline for fitserve's serving benchmark: Spring MVC parses the same JSON body as
 * fitserve's {@code POST /api/v1/models/{id}/predictions} ({@code {"rows": [{feature: value}]}})
 * into the same shape, and the endpoint answers a constant prediction per row. Everything fitserve
 * does beyond this (validation, preprocessing, the model) is what the comparison measures.
 */
@SpringBootApplication
@RestController
public class PeerApplication {

	/** Same shape as fitserve's PredictionRequest. */
	public record PredictionRequest(List<Map<String, Object>> rows) {
	}

	private static final Map<String, Object> ONE = Map.of("label", "1", "probabilities", Map.of("0", 0.5, "1", 0.5));

	public static void main(String[] args) {
		SpringApplication.run(PeerApplication.class, args);
	}

	@PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, Object> predict(@RequestBody PredictionRequest request) {
		int n = request.rows() == null ? 0 : request.rows().size();
		return Map.of("modelId", "constant", "predictions", java.util.Collections.nCopies(n, ONE), "warnings",
				List.of());
	}

	/** Readiness probe answering like actuator's, so both apps are timed to the same kind of answer. */
	@GetMapping(path = "/actuator/health", produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, String> health() {
		return Map.of("status", "UP");
	}

}
