-- Permutation importance is computed after the model is stored, off the training job's critical path:
-- 'pending' until feature_importance_json holds it (written once), 'ready' then, 'failed' (with the reason in
-- importance_error) when it could not be computed. Models stored before this column existed are 'ready'.
ALTER TABLE trained_model ADD COLUMN importance_status VARCHAR(16) DEFAULT 'ready' NOT NULL;
ALTER TABLE trained_model ADD COLUMN importance_error TEXT;
CREATE INDEX trained_model_importance_status_idx ON trained_model (importance_status);
