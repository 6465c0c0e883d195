package io.fitserve.models;

import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained models, their metrics and provenance")
class ModelController {

	private final ModelService models;

	ModelController(ModelService models) {
		this.models = models;
	}

	@GetMapping
	@Operation(summary = "List models, newest first")
	PageResponse<ModelSummary> list(@RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return PageResponse.of(models.list(Paging.newestFirst(page, size)), ModelSummary::from);
	}

	@GetMapping("/{id}")
	@Operation(summary = "A model: features, classes, hyperparameters, test and validation metrics, provenance")
	ModelResponse get(@PathVariable String id) {
		return ModelResponse.from(models.get(id));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a model and its artifact")
	void delete(@PathVariable String id) {
		models.delete(id);
	}

}
