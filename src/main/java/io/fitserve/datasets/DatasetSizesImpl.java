package io.fitserve.datasets;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;

/** {@link DatasetSizes} as a criteria query (no JPQL string to parse). */
class DatasetSizesImpl implements DatasetSizes {

	private final EntityManager entityManager;

	DatasetSizesImpl(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Override
	public long sumSizeBytes() {
		CriteriaBuilder cb = this.entityManager.getCriteriaBuilder();
		CriteriaQuery<Long> query = cb.createQuery(Long.class);
		Root<Dataset> dataset = query.from(Dataset.class);
		query.select(cb.coalesce(cb.sum(dataset.<Long>get("sizeBytes")), 0L));
		Long total = this.entityManager.createQuery(query).getSingleResult();
		return (total == null) ? 0 : total;
	}

}
