package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.DenseNetwork;
import io.fitserve.ml.artifact.LinearCoefficients;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.ModelArtifactCodec;
import io.fitserve.ml.artifact.ModelCompressionNotSupportedException;
import io.fitserve.ml.artifact.Quantization;
import io.fitserve.ml.artifact.WeightPrecision;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.Split;
import io.fitserve.ml.data.Splits;
import io.fitserve.ml.eval.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.support.Ids;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Compresses a linear model's or an MLP's weights (float16, or int8 with per-neuron
 * scales) into a new trained model, measures how closely it follows the original on the
 * original's test split, and keeps the result under the original.
 */
@Service
public class CompressionService {

	private static final Log log = LogFactory.getLog(CompressionService.class);

	private final ModelService models;

	private final DatasetService datasets;

	private final ModelCompressionRepository repository;

	private final String appVersion;

	CompressionService(ModelService models, DatasetService datasets, ModelCompressionRepository repository,
			@Value("${info.app.version:dev}") String appVersion) {
		this.models = models;
		this.datasets = datasets;
		this.repository = repository;
		this.appVersion = appVersion;
	}

	/**
	 * Quantises the model's weights into a new model and stores the comparison: 404 for
	 * an unknown model, 400 for a missing or unknown precision, 409 for a model without
	 * weight matrices (trees, kernel SVM, k-means) or one already compressed. When the
	 * original's dataset is gone (or it had no test split) the model is still compressed
	 * and the agreement is null, with a warning.
	 */
	public ModelCompression compress(String modelId, CompressionRequest request) {
		TrainedModel model = models.get(modelId);
		WeightPrecision precision = precision(request);
		ModelArtifact original = models.artifact(model);
		ModelArtifact compressed;
		try {
			compressed = Quantization.compress(original, precision);
		}
		catch (ModelCompressionNotSupportedException ex) {
			throw notSupported(model, original, ex.getMessage());
		}
		List<String> warnings = new ArrayList<>();
		Measured measured = measure(model, original, compressed, warnings);

		Map<String, Object> metrics = new LinkedHashMap<>();
		if (measured != null) {
			metrics.put("test", measured.agreement().compressedMetrics());
		}
		Map<String, Object> importance = new LinkedHashMap<>();
		if (compressed.predictor() instanceof LinearCoefficients linear) {
			importance.put("standardizedCoefficients",
					linear.standardizedCoefficients(compressed.preprocessing(), compressed.classLabels()));
		}
		Provenance provenance = model.provenanceRecord()
			.compressed(new Provenance.CompressedFrom(model.getId(), precision.wireName(), model.getArtifactSha256(),
					appVersion, Instant.now()));
		ModelDraft draft = new ModelDraft(model.getJobId(), model.getDatasetId(), model.getAlgorithm(),
				Task.fromWireName(model.getTask()), model.getTarget(), model.getFeatures(), model.getClassLabels(),
				model.getHyperparameters(), metrics, model.getDecisionThreshold(), importance, provenance, compressed,
				measured == null ? null : measured.residuals(), ImportanceStatus.READY);
		TrainedModel stored = models.create(draft);
		try {
			return repository.save(ModelCompression.of(model.getId(), stored.getId(), precision.wireName(),
					model.getArtifactSize(), stored.getArtifactSize(), ModelArtifactCodec.weightBytes(original),
					ModelArtifactCodec.weightBytes(compressed), measured == null ? null : measured.agreement(),
					warnings));
		}
		catch (RuntimeException ex) {
			// the original was deleted meanwhile (or the row could not be written): no
			// compressed model without its record
			models.delete(stored.getId().toString());
			if (ex instanceof DataIntegrityViolationException) {
				throw DomainException.notFound("Model", modelId);
			}
			throw ex;
		}
	}

	/** The model's compressions, newest first. */
	@Transactional(readOnly = true)
	public List<ModelCompression> list(String modelId) {
		TrainedModel model = models.get(modelId);
		return repository.findByModelIdOrderByCreatedAtDesc(model.getId());
	}

	/** One of the model's compressions, or 404. */
	@Transactional(readOnly = true)
	public ModelCompression get(String modelId, String compressionId) {
		TrainedModel model = models.get(modelId);
		return Ids.parse(compressionId)
			.flatMap(id -> repository.findByIdAndModelId(id, model.getId()))
			.orElseThrow(() -> DomainException.notFound("Compression", compressionId));
	}

	private static WeightPrecision precision(CompressionRequest request) {
		String name = (request == null) ? null : request.precision();
		if (name == null || name.isBlank()) {
			throw DomainException.invalid("precision is required: \"float16\" or \"int8\".",
					List.of(FieldError.field("precision", "is required: \"float16\" or \"int8\"")));
		}
		WeightPrecision precision = WeightPrecision.fromWire(name);
		if (precision == null || precision == WeightPrecision.FLOAT64) {
			throw DomainException.invalid("precision must be \"float16\" or \"int8\".",
					List.of(FieldError.field("precision", "must be \"float16\" or \"int8\"")));
		}
		return precision;
	}

	private static DomainException notSupported(TrainedModel model, ModelArtifact artifact, String why) {
		if (artifact.weightPrecision() != WeightPrecision.FLOAT64) {
			return new DomainException(DomainException.Kind.CONFLICT, "already-compressed",
					"The model is already compressed",
					"Model " + model.getId() + " already stores " + artifact.weightPrecision().wireName()
							+ " weights; compress the original model (provenance.compressedFrom.modelId) instead.",
					null, null);
		}
		String detail = !(artifact.predictor() instanceof DenseNetwork)
				? "Model " + model.getId() + " is a " + model.getAlgorithm() + " model: it has no dense weight "
						+ "matrices to quantise. Compression applies to linear_regression, logistic_regression, "
						+ "linear_svm and mlp models."
				: "Model " + model.getId() + " cannot be compressed so: " + why + ".";
		return new DomainException(DomainException.Kind.CONFLICT, "compression-not-supported",
				"The model cannot be compressed", detail, null, null);
	}

	/**
	 * @param residuals regression: the compressed model's residuals on the test split, as
	 * training keeps them; null for classifiers
	 */
	private record Measured(CompressionAgreement agreement, ModelResiduals residuals) {
	}

	/**
	 * Both models on the original's test split, re-derived as training split it: the rows
	 * with a target, split by {@link Splits#split} with the spec's fractions and seed
	 * (stratified by class for classifiers). Null, with a warning, when it cannot be.
	 */
	private Measured measure(TrainedModel model, ModelArtifact original, ModelArtifact compressed,
			List<String> warnings) {
		Dataset dataset;
		try {
			dataset = datasets.get(model.getDatasetId());
		}
		catch (DomainException ex) {
			if (ex.kind() != DomainException.Kind.NOT_FOUND) {
				throw ex;
			}
			warnings.add("agreement not measured: the dataset the model was trained on (" + model.getDatasetId()
					+ ") was deleted");
			return null;
		}
		Map<String, Object> provenance = model.getProvenance();
		Object sha = provenance.get("datasetSha256");
		if (sha != null && !sha.equals(dataset.getSha256())) {
			warnings.add("agreement not measured: the dataset's content is not the one the model was trained on");
			return null;
		}
		Map<?, ?> spec = (provenance.get("trainingSpec") instanceof Map<?, ?> map) ? map : Map.of();
		double testFraction = number(spec.get("testFraction"));
		double validationFraction = number(spec.get("validationFraction"));
		long seed = (long) number(spec.get("seed"));
		if (testFraction <= 0) {
			warnings.add("agreement not measured: the model was trained without a test split (testFraction 0)");
			return null;
		}
		DatasetFrame frame = datasets.frame(dataset.getId());
		List<FieldError> errors = EvaluationRows.check(model, frame, original);
		if (!errors.isEmpty()) {
			warnings.add("agreement not measured: the dataset no longer fits the model");
			return null;
		}
		// the rows training kept (those with a target; for a classifier, of a class it
		// knows: all of them in its own dataset), in dataset order, as PreparedData keeps
		// them; only the test rows are encoded (not every row of a large dataset)
		boolean classification = original.task() == Task.CLASSIFICATION;
		ColumnData target = frame.column(model.getTarget());
		List<String> labels = original.classLabels();
		int[] classOfCode = classification ? target.levels().stream().mapToInt(labels::indexOf).toArray() : null;
		int[] kept = new int[frame.rows()];
		double[] targets = new double[frame.rows()];
		int n = 0;
		for (int r = 0; r < frame.rows(); r++) {
			double value;
			if (classification) {
				int code = target.codes()[r];
				if (code < 0 || classOfCode[code] < 0) {
					continue;
				}
				value = classOfCode[code];
			}
			else {
				value = target.values()[r];
				if (Double.isNaN(value)) {
					continue;
				}
			}
			kept[n] = r;
			targets[n++] = value;
		}
		int[] classes = null;
		if (classification) {
			classes = new int[n];
			for (int i = 0; i < n; i++) {
				classes[i] = (int) targets[i];
			}
		}
		Split split = Splits.split(n, classes, validationFraction, testFraction, seed);
		int[] test = split.test();
		Object expected = (provenance.get("rows") instanceof Map<?, ?> sizes) ? sizes.get("test") : null;
		if (expected instanceof Number count && count.intValue() != test.length) {
			log.warn("Model " + model.getId() + ": the re-derived test split has " + test.length + " rows, "
					+ "training's had " + count);
			warnings.add("agreement not measured: the test split could not be derived again (" + test.length
					+ " rows instead of " + count + ")");
			return null;
		}
		if (test.length == 0) {
			warnings.add("agreement not measured: the test split is empty");
			return null;
		}
		List<ColumnData> columns = original.preprocessing()
			.features()
			.stream()
			.map(f -> frame.column(f.name()))
			.toList();
		Object[] values = new Object[columns.size()];
		double[][] x = new double[test.length][];
		double[] y = new double[test.length];
		for (int i = 0; i < test.length; i++) {
			EvaluationRows.readRow(original, columns, kept[test[i]], values);
			x[i] = original.preprocessing().transformRow(values);
			y[i] = targets[test[i]];
		}
		double[][] before = original.predictBatch(x);
		double[][] after = compressed.predictBatch(x);
		if (classification) {
			return new Measured(classificationAgreement(original, y, before, after), null);
		}
		double[] predicted = new double[after.length];
		for (int i = 0; i < predicted.length; i++) {
			predicted[i] = after[i][0];
		}
		return new Measured(regressionAgreement(y, before, after), ModelResiduals.of("test", y, predicted, seed));
	}

	static CompressionAgreement classificationAgreement(ModelArtifact artifact, double[] y, double[][] before,
			double[][] after) {
		int n = before.length;
		int same = 0;
		double max = 0;
		double sum = 0;
		long cells = 0;
		int[] actual = new int[n];
		for (int i = 0; i < n; i++) {
			actual[i] = (int) Math.round(y[i]);
			if (Metrics.argmax(before[i]) == Metrics.argmax(after[i])) {
				same++;
			}
			for (int c = 0; c < before[i].length; c++) {
				double d = Math.abs(before[i][c] - after[i][c]);
				max = Math.max(max, d);
				sum += d;
				cells++;
			}
		}
		return new CompressionAgreement(n, (double) same / n, n - same, max, sum / cells, null, null, null,
				Metrics.classification(actual, before, artifact.classLabels()),
				Metrics.classification(actual, after, artifact.classLabels()));
	}

	static CompressionAgreement regressionAgreement(double[] y, double[][] before, double[][] after) {
		int n = before.length;
		double[] original = new double[n];
		double[] compressed = new double[n];
		double max = 0;
		double sum = 0;
		double mean = 0;
		for (int i = 0; i < n; i++) {
			original[i] = before[i][0];
			compressed[i] = after[i][0];
			double d = Math.abs(original[i] - compressed[i]);
			max = Math.max(max, d);
			sum += d;
			mean += original[i];
		}
		mean /= n;
		double residual = 0;
		double total = 0;
		for (int i = 0; i < n; i++) {
			residual += (original[i] - compressed[i]) * (original[i] - compressed[i]);
			total += (original[i] - mean) * (original[i] - mean);
		}
		Double r2 = total > 0 ? 1 - residual / total : null;
		return new CompressionAgreement(n, null, null, null, null, max, sum / n, r2, Metrics.regression(y, original),
				Metrics.regression(y, compressed));
	}

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : 0;
	}

}
