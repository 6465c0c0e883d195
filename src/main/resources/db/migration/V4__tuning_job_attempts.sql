-- Hyperparameter searches left queued or running by a stopped process run again at the next start.
ALTER TABLE tuning_job ADD COLUMN attempt INTEGER DEFAULT 1 NOT NULL;
