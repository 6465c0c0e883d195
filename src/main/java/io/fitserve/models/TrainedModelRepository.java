package io.fitserve.models;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface TrainedModelRepository extends JpaRepository<TrainedModel, UUID>, PendingImportance {

}
