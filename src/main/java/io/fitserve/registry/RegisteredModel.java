package io.fitserve.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A named model: the aggregate that hands out version numbers and owns its aliases. Every
 * change bumps the optimistic-lock version, so two concurrent version creations or alias
 * moves cannot both win with the same number or the same "from" version.
 */
@Entity
@Table(name = "registered_model")
public class RegisteredModel {

	@Id
	private UUID id;

	private String name;

	private String description;

	/**
	 * The highest version number handed out; versions are never removed, so
	 * 1..lastVersion all exist.
	 */
	private int lastVersion;

	/** Alias moves so far; each history entry takes the next number. */
	private int aliasChanges;

	private Instant createdAt;

	private Instant updatedAt;

	@Version
	private long version;

	/**
	 * Alias name to version number: a handful per model, read with it (responses list
	 * them).
	 */
	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "model_alias", joinColumns = @JoinColumn(name = "registered_model_id"))
	@MapKeyColumn(name = "alias")
	@Column(name = "version")
	private Map<String, Integer> aliases = new HashMap<>();

	protected RegisteredModel() {
	}

	static RegisteredModel create(String name, String description, Instant now) {
		RegisteredModel model = new RegisteredModel();
		model.id = UUID.randomUUID();
		model.name = name;
		model.description = description;
		model.createdAt = now;
		model.updatedAt = now;
		return model;
	}

	/**
	 * The next version, pointing at a trained model; the caller checked that the model
	 * exists.
	 */
	ModelVersion addVersion(UUID modelId, Actor actor, Instant now) {
		lastVersion++;
		updatedAt = now;
		return new ModelVersion(id, lastVersion, modelId, actor, now);
	}

	boolean hasVersion(int number) {
		return number >= 1 && number <= lastVersion;
	}

	/**
	 * Points the alias at a version (creating the alias if new) and returns the history
	 * entry.
	 */
	AliasEvent moveAlias(String alias, int toVersion, Actor actor, Instant now) {
		if (!hasVersion(toVersion)) {
			throw new IllegalArgumentException("registered model " + name + " has no version " + toVersion);
		}
		Integer from = aliases.put(alias, toVersion);
		return recorded(alias, from, toVersion, actor, now);
	}

	/** Removes the alias and returns the history entry (to: null). */
	AliasEvent removeAlias(String alias, Actor actor, Instant now) {
		Integer from = aliases.remove(alias);
		if (from == null) {
			throw new IllegalStateException("registered model " + name + " has no alias " + alias);
		}
		return recorded(alias, from, null, actor, now);
	}

	private AliasEvent recorded(String alias, Integer from, Integer to, Actor actor, Instant now) {
		aliasChanges++;
		updatedAt = now;
		return new AliasEvent(id, alias, aliasChanges, from, to, actor, now);
	}

	Optional<Integer> alias(String alias) {
		return Optional.ofNullable(aliases.get(alias));
	}

	/**
	 * The version requests without one are served by: the champion alias's, else the
	 * latest; empty if none.
	 */
	Optional<Integer> defaultVersion() {
		Integer champion = aliases.get(RegistryService.CHAMPION);
		return champion != null ? Optional.of(champion) : lastVersion > 0 ? Optional.of(lastVersion) : Optional.empty();
	}

	public UUID getId() {
		return id;
	}

	public String getName() {
		return name;
	}

	public String getDescription() {
		return description;
	}

	public int getLastVersion() {
		return lastVersion;
	}

	public Map<String, Integer> getAliases() {
		return Collections.unmodifiableMap(aliases);
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public Instant getUpdatedAt() {
		return updatedAt;
	}

}
