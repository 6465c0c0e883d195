-- Jobs left queued or running by a stopped process are run again at the next start; attempt
-- counts the runs a crash cut short (1 for the first run). tuning_job_id marks the training job a
-- hyperparameter search started for its best configuration.
ALTER TABLE training_job ADD COLUMN attempt INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE training_job ADD COLUMN tuning_job_id UUID;
