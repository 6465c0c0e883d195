package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.ModelArtifactCodec;
import io.fitserve.ml.preprocess.FeatureTransform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.fitserve.StorageProperties;
import io.fitserve.storage.CorruptFileException;
import io.fitserve.storage.SegmentedFile;
import io.fitserve.storage.StorageCodec;
import io.fitserve.storage.StorageFaults;
import io.fitserve.support.Ids;
import io.fitserve.errors.DomainException;
import io.fitserve.privacy.MaskMode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores, lists, loads and deletes trained models; the entry point other features use.
 */
@Service
public class ModelService {

	/**
	 * "FSME" little endian: an artifact sealed with {@link SegmentedFile} (written when a
	 * key is set).
	 */
	static final int SEALED_MAGIC = 0x454D5346;

	static final int SEALED_VERSION = 1;

	private static final Log log = LogFactory.getLog(ModelService.class);

	private final TrainedModelRepository repository;

	private final ModelEvaluationRepository evaluations;

	private final Path dir;

	private final StorageCodec codec;

	private final StorageProperties storage;

	private final Map<UUID, ServingModel> cache;

	private final TransactionTemplate transactions;

	/**
	 * Serving-cache lookups by outcome (Micrometer's cache.gets convention,
	 * cache="models").
	 */
	private final Counter cacheHits;

	private final Counter cacheMisses;

	/**
	 * Other features' references to models (the registry's versions): a referenced model
	 * is not deleted.
	 */
	private final org.springframework.beans.factory.ObjectProvider<ModelReferences> references;

	/** Told the id of each model that leaves the serving cache (evicted or deleted). */
	private final List<Consumer<UUID>> removalListeners = new CopyOnWriteArrayList<>();

	ModelService(TrainedModelRepository repository, ModelEvaluationRepository evaluations, StorageProperties storage,
			ModelsProperties properties, StorageCodec codec, PlatformTransactionManager transactionManager,
			io.fitserve.ClusterProperties cluster,
			@org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String datasourceUrl,
			org.springframework.beans.factory.ObjectProvider<MeterRegistry> meterRegistry,
			org.springframework.beans.factory.ObjectProvider<ModelReferences> references) throws IOException {
		this.references = references;
		this.modelCheckNanos = cluster.modelCheckInterval().toNanos();
		this.orphanMinAge = cluster.orphanMinAge(datasourceUrl);
		this.started = java.time.Instant.now().minus(orphanMinAge);
		this.transactions = new TransactionTemplate(transactionManager);
		this.repository = repository;
		this.evaluations = evaluations;
		this.dir = storage.modelsDir();
		// artifacts are mostly doubles that compress poorly: encrypted (with a key) but
		// not compressed
		this.codec = codec.withoutCompression();
		this.storage = storage;
		Files.createDirectories(dir);
		StorageFaults.removeOrphanTempFiles(dir, orphanMinAge, log);
		int capacity = Math.max(1, properties.cacheSize());
		this.cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<UUID, ServingModel> eldest) {
				if (size() > capacity) {
					checkedAt.remove(eldest.getKey());
					removed(eldest.getKey());
					return true;
				}
				return false;
			}
		});
		MeterRegistry registry = meterRegistry.getIfAvailable(() -> Metrics.globalRegistry);
		this.cacheHits = Counter.builder("cache.gets")
			.tag("cache", "models")
			.tag("result", "hit")
			.description("Serving-cache lookups of a model to predict with")
			.register(registry);
		this.cacheMisses = Counter.builder("cache.gets")
			.tag("cache", "models")
			.tag("result", "miss")
			.description("Serving-cache lookups of a model to predict with")
			.register(registry);
		Gauge.builder("cache.size", cache, Map::size)
			.tag("cache", "models")
			.description("Decoded models held for serving (fitserve.models.cache-size at most)")
			.register(registry);
	}

	/**
	 * Calls the listener with the id of each model that leaves the serving cache (evicted
	 * or deleted).
	 */
	public void onRemovedFromCache(Consumer<UUID> listener) {
		removalListeners.add(listener);
	}

	private void removed(UUID id) {
		for (Consumer<UUID> listener : removalListeners) {
			try {
				listener.accept(id);
			}
			catch (RuntimeException ex) {
				log.warn("Serving-cache removal listener failed for model " + id + ": " + ex);
			}
		}
	}

	/**
	 * Writes the artifact file completely, then records the model; removes the file if
	 * recording fails. The recorded SHA-256 and size are those of the plain artifact,
	 * whether or not the file is encrypted. A full disk (or less free space than
	 * fitserve.storage.min-free-space) is a 507 insufficient-storage problem.
	 */
	public TrainedModel create(ModelDraft draft) {
		byte[] bytes = ModelArtifactCodec.encode(draft.artifact());
		StorageFaults.requireFreeSpace(dir, storage.minFreeSpace(), "the model", log);
		byte[] stored = codec.encrypted() ? SegmentedFile.seal(bytes, SEALED_MAGIC, SEALED_VERSION, codec) : bytes;
		UUID id = UUID.randomUUID();
		Path file = path(id);
		Path tmp = null;
		try {
			tmp = Files.createTempFile(dir, id.toString(), ".tmp");
			Files.write(tmp, stored);
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			if (StorageFaults.isOutOfSpace(ex)) {
				log.warn("Disk full while storing model " + id + "; nothing was stored");
				throw StorageFaults.insufficientStorage("the model");
			}
			throw new UncheckedIOException("could not write model artifact " + id, ex);
		}
		finally {
			deleteQuietly(tmp);
		}
		try {
			return repository.save(TrainedModel.of(id, draft, sha256(bytes), bytes.length));
		}
		catch (RuntimeException ex) {
			deleteFile(id);
			if (StorageFaults.isOutOfSpace(ex)) {
				throw StorageFaults.insufficientStorage("the model");
			}
			throw ex;
		}
	}

	private static void deleteQuietly(Path tmp) {
		if (tmp != null) {
			try {
				Files.deleteIfExists(tmp);
			}
			catch (IOException ex) {
				log.warn("Could not remove temporary file " + tmp + ": " + ex.getMessage());
			}
		}
	}

	@Transactional(readOnly = true)
	public Page<TrainedModel> list(Pageable pageable) {
		return repository.findAll(pageable);
	}

	/** The model, or 404. */
	@Transactional(readOnly = true)
	public TrainedModel get(String id) {
		return Ids.parse(id).flatMap(repository::findById).orElseThrow(() -> DomainException.notFound("Model", id));
	}

	/**
	 * Deletes the rows (committed first), then the artifact file, then the cached copy: a
	 * prediction racing the delete either sees the model whole or answers 404 (see
	 * {@link #load}).
	 */
	public void delete(String id) {
		UUID modelId;
		try {
			modelId = transactions.execute(status -> {
				TrainedModel model = get(id);
				references.orderedStream()
					.map(r -> r.referenceTo(model.getId()))
					.flatMap(java.util.Optional::stream)
					.findFirst()
					.ifPresent(reference -> {
						throw referenced(model.getId(), reference);
					});
				evaluations.deleteByModelId(model.getId());
				repository.deleteById(model.getId());
				repository.flush();
				return model.getId();
			});
		}
		catch (org.springframework.dao.DataIntegrityViolationException ex) {
			// a reference (a registry version's foreign key) committed between the check
			// and the delete
			throw referenced(id, "a registered model version");
		}
		cache.remove(modelId);
		deleteFile(modelId);
		cache.remove(modelId);
		checkedAt.remove(modelId);
		removed(modelId);
	}

	/**
	 * Importance stored with the model and, once computed, its permutation importance
	 * (see the feature-importance endpoint), with status: pending while the permutation
	 * importance is being computed, ready, or failed (with error).
	 */
	@Transactional(readOnly = true)
	public Map<String, Object> featureImportance(String id) {
		TrainedModel model = get(id);
		Map<String, Object> stored = model.getFeatureImportance();
		Map<String, Object> report = new LinkedHashMap<>();
		if (stored != null) {
			report.putAll(stored);
		}
		report.put("status", model.getImportanceStatus().wireName());
		if (model.getImportanceError() != null) {
			report.put("error", model.getImportanceError());
		}
		return report;
	}

	/**
	 * Models whose permutation importance is still to be computed, oldest first (after a
	 * restart: those the previous process did not finish).
	 */
	@Transactional(readOnly = true)
	public List<UUID> pendingImportance() {
		return repository.findIdsWithPendingImportance();
	}

	/** Whether a model still waits for its permutation importance on this dataset. */
	@Transactional(readOnly = true)
	public boolean pendingImportanceUses(UUID datasetId) {
		return repository.pendingImportanceUses(datasetId);
	}

	/**
	 * Stores a model's permutation importance (null: it has none); false when it was no
	 * longer pending (already stored, or the model deleted).
	 */
	public boolean importanceComputed(UUID id, Map<String, Object> permutation) {
		return updateImportance(id, m -> m.importanceComputed(permutation));
	}

	/** Records why a model's permutation importance could not be computed. */
	public boolean importanceFailed(UUID id, String reason) {
		return updateImportance(id, m -> m.importanceFailed(reason));
	}

	/**
	 * Applies change to the model and saves it when it says so; false when it does not,
	 * and when the model is deleted, also while this runs: a delete that commits between
	 * the read and the update leaves the update no row (trained_model has no version
	 * column, so nothing else does), which is no error.
	 */
	private boolean updateImportance(UUID id, java.util.function.Predicate<TrainedModel> change) {
		try {
			return Boolean.TRUE.equals(transactions.execute(status -> repository.findById(id)
				.map(m -> change.test(m) && repository.save(m) != null)
				.orElse(false)));
		}
		catch (OptimisticLockingFailureException ex) {
			if (repository.existsById(id)) {
				throw ex;
			}
			return false;
		}
	}

	/**
	 * The predictions on the held-out split kept when a regression model was trained: 409
	 * for a classifier, and for a regression model without them (trained before they were
	 * kept, or with no held-out rows).
	 */
	@Transactional(readOnly = true)
	public ModelResiduals residuals(String id) {
		TrainedModel model = get(id);
		if (!Task.REGRESSION.wireName().equals(model.getTask())) {
			throw new DomainException(DomainException.Kind.CONFLICT, "not-a-regression-model",
					"Residuals are for regression models", "Model " + model.getId() + " is a " + model.getTask()
							+ " model (" + model.getAlgorithm() + "); residuals exist for regression models only.",
					null, null);
		}
		ModelResiduals residuals = model.getResiduals();
		if (residuals == null) {
			throw new DomainException(DomainException.Kind.CONFLICT, "no-residuals",
					"The model has no stored residuals",
					"Model " + model.getId() + " has no stored residuals: it was trained with no held-out rows "
							+ "(testFraction 0 and no validation split, or cross-validation without a test split), "
							+ "or before fitserve kept them.",
					null, null);
		}
		return residuals;
	}

	/**
	 * What serving needs of a model, cached with its decoded artifact so a prediction
	 * touches no database.
	 *
	 * @param featureIndex position of each input feature in
	 * {@code artifact.preprocessing().features()}, by name
	 * @param masks per feature in that order, the mask its training column was uploaded
	 * with, or null; null when no feature has one
	 */
	public record ServingModel(UUID id, String algorithm, Double decisionThreshold, ModelArtifact artifact,
			Map<String, Integer> featureIndex, MaskMode[] masks) {

		public ServingModel(UUID id, String algorithm, Double decisionThreshold, ModelArtifact artifact) {
			this(id, algorithm, decisionThreshold, artifact, featureIndex(artifact), null);
		}

		/** As the four-argument form, with the masks of the model's recorded features. */
		public ServingModel(UUID id, String algorithm, Double decisionThreshold, ModelArtifact artifact,
				List<FeatureInfo> features) {
			this(id, algorithm, decisionThreshold, artifact, featureIndex(artifact), masks(artifact, features));
		}

		/** The mask of feature j (in the artifact's order), or null. */
		public MaskMode mask(int j) {
			return this.masks == null ? null : this.masks[j];
		}

		private static MaskMode[] masks(ModelArtifact artifact, List<FeatureInfo> features) {
			Map<String, MaskMode> byName = new HashMap<>();
			for (FeatureInfo f : features) {
				if (f.mask() != null) {
					byName.put(f.name(), f.mask());
				}
			}
			if (byName.isEmpty()) {
				return null;
			}
			List<FeatureTransform> transforms = artifact.preprocessing().features();
			MaskMode[] masks = new MaskMode[transforms.size()];
			for (int j = 0; j < masks.length; j++) {
				masks[j] = byName.get(transforms.get(j).name());
			}
			return masks;
		}

		private static Map<String, Integer> featureIndex(ModelArtifact artifact) {
			List<FeatureTransform> features = artifact.preprocessing().features();
			Map<String, Integer> index = new HashMap<>(features.size() * 2);
			for (int j = 0; j < features.size(); j++) {
				index.put(features.get(j).name(), j);
			}
			return Collections.unmodifiableMap(index);
		}

	}

	/** The model ready to serve, from the cache or loaded (404 if unknown). */
	public ServingModel serving(String id) {
		ServingModel cached = Ids.parse(id).map(cache::get).orElse(null);
		if (cached != null) {
			Long checked = checkedAt.get(cached.id());
			long now = System.nanoTime();
			// another replica may have deleted it: checked at most every
			// fitserve.cluster.model-check-interval per model, by the one request that
			// claims the check; requests meanwhile are answered from the cache, as
			// before the interval ran out (before, every request that came while
			// the check ran queried the database too)
			if (checked != null && (now - checked < modelCheckNanos || !checkedAt.replace(cached.id(), checked, now))) {
				cacheHits.increment();
				return cached;
			}
			if (repository.existsById(cached.id())) {
				checkedAt.put(cached.id(), now);
				cacheHits.increment();
				return cached;
			}
			cache.remove(cached.id());
			checkedAt.remove(cached.id());
			removed(cached.id());
			throw DomainException.notFound("Model", id);
		}
		cacheMisses.increment();
		return load(get(id));
	}

	/** When each cached model's row was last seen (System.nanoTime()). */
	private final java.util.concurrent.ConcurrentMap<UUID, Long> checkedAt = new java.util.concurrent.ConcurrentHashMap<>();

	private final long modelCheckNanos;

	private final java.time.Duration orphanMinAge;

	/**
	 * The decoded artifact, from the cache or from its file after checking its SHA-256.
	 */
	public ModelArtifact artifact(TrainedModel model) {
		ServingModel cached = cache.get(model.getId());
		return cached != null ? cached.artifact() : load(model).artifact();
	}

	private ServingModel load(TrainedModel model) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(path(model.getId()));
		}
		catch (IOException ex) {
			if (!repository.existsById(model.getId())) {
				// deleted since it was read: the delete commits the row before it removes
				// the file
				throw DomainException.notFound("Model", model.getId());
			}
			log.error("Model " + model.getId() + ": artifact file cannot be read: " + ex);
			throw corrupt(model, "its artifact file cannot be read");
		}
		if (SegmentedFile.hasMagic(bytes, SEALED_MAGIC)) {
			try {
				bytes = SegmentedFile.unseal(bytes, SEALED_MAGIC, SEALED_VERSION, codec, "model artifact");
			}
			catch (CorruptFileException ex) {
				log.error("Model " + model.getId() + " failed its integrity check: " + ex.getMessage());
				throw corrupt(model, ex.getMessage());
			}
		}
		if (!sha256(bytes).equals(model.getArtifactSha256())) {
			log.error("Model " + model.getId() + ": artifact SHA-256 does not match the recorded one");
			throw corrupt(model, "its artifact's SHA-256 does not match the recorded one");
		}
		ModelArtifact artifact;
		try {
			artifact = ModelArtifactCodec.decode(bytes);
		}
		catch (IllegalArgumentException ex) {
			log.error("Model " + model.getId() + " failed to decode: " + ex.getMessage());
			throw corrupt(model, ex.getMessage());
		}
		ServingModel serving = new ServingModel(model.getId(), model.getAlgorithm(), model.getDecisionThreshold(),
				artifact, model.getFeatures());
		checkedAt.put(model.getId(), System.nanoTime());
		cache.put(model.getId(), serving);
		if (!Files.exists(path(model.getId()))) {
			// a delete removed the file (and its cached copy) while this was loading: do
			// not keep serving a deleted model from the cache
			cache.remove(model.getId());
			throw DomainException.notFound("Model", model.getId());
		}
		return serving;
	}

	private static DomainException referenced(Object id, String reference) {
		return DomainException.conflict("Model '" + id + "' is " + reference
				+ "; it cannot be deleted while a registered model version points at it.");
	}

	private static DomainException corrupt(TrainedModel model, String why) {
		return new DomainException(DomainException.Kind.CORRUPT, "model-artifact-corrupt",
				"Model artifact failed its integrity check",
				"Model '" + model.getId() + "' cannot be loaded: " + why + ". Train it again.", null, null);
	}

	private Path path(UUID id) {
		return dir.resolve(id + ".fsm");
	}

	/**
	 * This start, less fitserve.cluster.orphan-min-age (another replica may be saving a
	 * newer artifact).
	 */
	private final java.time.Instant started;

	/**
	 * Once started, removes artifact files of earlier processes that have no model row
	 * (killed mid-save).
	 */
	@org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
	void removeOrphanFiles() {
		StorageFaults.removeOrphanFiles(dir, "*.fsm", repository::existsById, started, "model artifact", log);
	}

	private void deleteFile(UUID id) {
		try {
			Files.deleteIfExists(path(id));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete model artifact " + id, ex);
		}
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
