package io.fitserve.registry;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.models.ModelService;
import io.fitserve.models.TrainedModel;
import io.fitserve.support.Ids;
import io.fitserve.web.Paging;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registered models, their numbered versions and aliases; and which trained model a name,
 * a version or an alias stands for at this moment (read from the database on every call,
 * so an alias move takes effect on the next request, on every replica).
 */
@Service
public class RegistryService {

	/**
	 * The alias requests that name neither a version nor an alias are served by (else the
	 * latest version).
	 */
	public static final String CHAMPION = "champion";

	/**
	 * Lower-case letters, digits, '-' and '_', starting with a letter or digit: safe in a
	 * URL path as is.
	 */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

	/** Aliases start with a letter, so one is never mistaken for a version number. */
	static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

	/**
	 * Concurrent changes to one registered model (version numbers, alias moves) are tried
	 * this often.
	 */
	private static final int ATTEMPTS = 10;

	private final RegisteredModelRepository models;

	private final ModelVersionRepository versions;

	private final AliasEventRepository events;

	private final ModelService trainedModels;

	private final TransactionTemplate transactions;

	private final Clock clock = Clock.systemUTC();

	RegistryService(RegisteredModelRepository models, ModelVersionRepository versions, AliasEventRepository events,
			ModelService trainedModels, PlatformTransactionManager transactionManager) {
		this.models = models;
		this.versions = versions;
		this.events = events;
		this.trainedModels = trainedModels;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * What a name, alias or version stands for now: the registered model's name, the
	 * version and its model.
	 */
	public record Resolved(String name, int version, UUID modelId) {
	}

	/** A version with the registered model it belongs to (for its aliases). */
	record Version(RegisteredModel model, ModelVersion version) {
	}

	RegisteredModel create(String name, String description, Actor actor) {
		checkName(name);
		if (description != null && description.length() > 10_000) {
			throw DomainException.invalid("description is longer than 10000 characters.",
					List.of(FieldError.field("description", "must be at most 10000 characters")));
		}
		try {
			return transactions.execute(status -> {
				if (models.existsByName(name)) {
					throw duplicate(name);
				}
				return models.saveAndFlush(RegisteredModel.create(name, description, clock.instant()));
			});
		}
		catch (DataIntegrityViolationException ex) {
			// the unique name constraint: another request created it between the check
			// and the insert
			throw duplicate(name);
		}
	}

	@Transactional(readOnly = true)
	Page<RegisteredModel> list(int page, int size) {
		return models.findAll(Paging.newestFirst(page, size));
	}

	@Transactional(readOnly = true)
	RegisteredModel get(String name) {
		return find(name);
	}

	/**
	 * Version n+1 of the registered model, pointing at a trained model (404 if either
	 * does not exist).
	 */
	Version createVersion(String name, String modelId, Actor actor) {
		if (modelId == null || modelId.isBlank()) {
			throw DomainException.invalid("modelId is required.",
					List.of(FieldError.field("modelId", "is required: the id of a trained model")));
		}
		if (Ids.parse(modelId).isEmpty()) {
			throw DomainException.invalid("modelId must be the id of a trained model (a UUID).",
					List.of(FieldError.field("modelId", "must be a UUID")));
		}
		return retried(() -> transactions.execute(status -> {
			RegisteredModel model = find(name);
			TrainedModel trained = trainedModels.get(modelId);
			ModelVersion version = model.addVersion(trained.getId(), actor, clock.instant());
			versions.save(version);
			models.saveAndFlush(model);
			return new Version(model, version);
		}));
	}

	@Transactional(readOnly = true)
	Page<ModelVersion> versions(String name, int page, int size) {
		RegisteredModel model = find(name);
		PageRequest paging = Paging.newestFirst(page, size).withSort(Sort.by(Sort.Direction.DESC, "version"));
		return versions.findByRegisteredModelId(model.getId(), paging);
	}

	@Transactional(readOnly = true)
	Version version(String name, String number) {
		RegisteredModel model = find(name);
		return new Version(model, findVersion(model, number));
	}

	/** Points the alias at the version; an unchanged alias records no history. */
	Version setAlias(String name, String alias, Integer number, Actor actor) {
		checkAlias(alias);
		if (number == null) {
			throw DomainException.invalid("version is required.",
					List.of(FieldError.field("version", "is required: a version number of this registered model")));
		}
		return retried(() -> transactions.execute(status -> {
			RegisteredModel model = find(name);
			ModelVersion version = findVersion(model, Integer.toString(number));
			if (!model.alias(alias).equals(Optional.of(number))) {
				events.save(model.moveAlias(alias, number, actor, clock.instant()));
				models.saveAndFlush(model);
			}
			return new Version(model, version);
		}));
	}

	@Transactional(readOnly = true)
	Version alias(String name, String alias) {
		RegisteredModel model = find(name);
		int number = model.alias(alias).orElseThrow(() -> noAlias(name, alias));
		return new Version(model, findVersion(model, Integer.toString(number)));
	}

	void deleteAlias(String name, String alias, Actor actor) {
		retried(() -> transactions.execute(status -> {
			RegisteredModel model = find(name);
			if (model.alias(alias).isEmpty()) {
				throw noAlias(name, alias);
			}
			events.save(model.removeAlias(alias, actor, clock.instant()));
			models.saveAndFlush(model);
			return null;
		}));
	}

	/** The alias's moves, newest first; 404 when the alias never existed. */
	@Transactional(readOnly = true)
	Page<AliasEvent> history(String name, String alias, int page, int size) {
		RegisteredModel model = find(name);
		PageRequest paging = Paging.newestFirst(page, size).withSort(Sort.by(Sort.Direction.DESC, "seq"));
		Page<AliasEvent> history = events.findByRegisteredModelIdAndAlias(model.getId(), alias, paging);
		if (history.getTotalElements() == 0) {
			throw noAlias(name, alias);
		}
		return history;
	}

	/** The version an alias points at now (404 for an unknown name or alias). */
	@Transactional(readOnly = true)
	public Resolved resolveAlias(String name, String alias) {
		RegisteredModel model = find(name);
		int number = model.alias(alias).orElseThrow(() -> noAlias(name, alias));
		return resolved(model, findVersion(model, Integer.toString(number)));
	}

	/**
	 * Version {@code number} (a decimal string, as in a URL) of the registered model (404
	 * if there is none).
	 */
	@Transactional(readOnly = true)
	public Resolved resolveVersion(String name, String number) {
		RegisteredModel model = find(name);
		return resolved(model, findVersion(model, number));
	}

	/**
	 * The champion alias's version, else the latest version (404 when the registered
	 * model has no version).
	 */
	@Transactional(readOnly = true)
	public Resolved resolveDefault(String name) {
		RegisteredModel model = find(name);
		int number = model.defaultVersion()
			.orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "not-found",
					"Model version not found", "Registered model '" + name + "' has no versions yet.", null, null));
		return resolved(model, findVersion(model, Integer.toString(number)));
	}

	/** The registered model's version numbers, oldest first. */
	@Transactional(readOnly = true)
	public List<Integer> versionNumbers(String name) {
		RegisteredModel model = find(name);
		return java.util.stream.IntStream.rangeClosed(1, model.getLastVersion()).boxed().toList();
	}

	private static Resolved resolved(RegisteredModel model, ModelVersion version) {
		return new Resolved(model.getName(), version.getVersion(), version.getModelId());
	}

	private RegisteredModel find(String name) {
		Optional<RegisteredModel> model = name == null || !NAME.matcher(name).matches() ? Optional.empty()
				: models.findByName(name);
		return model.orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "not-found",
				"Registered model not found", "No registered model named '" + shorten(name) + "'.", null, null));
	}

	private ModelVersion findVersion(RegisteredModel model, String number) {
		int n = parseVersion(number);
		return (n > 0
				&& model.hasVersion(n) ? versions.findByRegisteredModelIdAndVersion(model.getId(), n)
						: Optional.<ModelVersion>empty())
			.orElseThrow(
					() -> new DomainException(DomainException.Kind.NOT_FOUND, "not-found", "Model version not found",
							"Registered model '" + model.getName() + "' has no version '" + shorten(number) + "'"
									+ (model.getLastVersion() == 0 ? " (it has no versions yet)."
											: " (versions 1 to " + model.getLastVersion() + ")."),
							null, null));
	}

	private static int parseVersion(String number) {
		if (number == null || number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Integer.parseInt(number);
	}

	/**
	 * Retries a change that lost a race with another change to the same registered model.
	 */
	private static <T> T retried(Supplier<T> change) {
		for (int attempt = 1;; attempt++) {
			try {
				return change.get();
			}
			catch (ConcurrencyFailureException | DataIntegrityViolationException ex) {
				// lost the race for a version number or a history sequence (the unique
				// keys), or the row's version
				if (attempt == ATTEMPTS) {
					throw DomainException
						.conflict("The registered model was changed by other requests at the same time; " + "retry.");
				}
				try {
					// jittered, so that the requests that collided do not collide again
					Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L * attempt));
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw DomainException.conflict("Interrupted while retrying a concurrent change; retry.");
				}
			}
		}
	}

	private static void checkName(String name) {
		if (name == null || name.isEmpty()) {
			throw DomainException.invalid("name is required.", List.of(FieldError.field("name", "is required")));
		}
		if (!NAME.matcher(name).matches()) {
			throw DomainException.invalid(
					"name must be 1 to 100 lower-case letters, digits, '-' or '_', starting with "
							+ "a letter or digit (it is used in URLs as is).",
					List.of(FieldError.field("name", "must match " + NAME.pattern())));
		}
	}

	private static void checkAlias(String alias) {
		if (!ALIAS.matcher(alias).matches()) {
			throw DomainException.invalid(
					"An alias is 1 to 64 lower-case letters, digits, '-' or '_', starting with a " + "letter.",
					List.of(FieldError.field("alias", "must match " + ALIAS.pattern())));
		}
	}

	private static DomainException duplicate(String name) {
		return DomainException.conflict("A registered model named '" + name + "' already exists.");
	}

	private static DomainException noAlias(String name, String alias) {
		return new DomainException(DomainException.Kind.NOT_FOUND, "not-found", "Alias not found",
				"Registered model '" + name + "' has no alias '" + shorten(alias) + "'.", null, null);
	}

	private static String shorten(String value) {
		return value == null ? "" : value.length() > 100 ? value.substring(0, 100) + "..." : value;
	}

}
