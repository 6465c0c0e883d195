-- Clustering models (kmeans) have no target: the job and model rows leave it empty.
ALTER TABLE training_job ALTER COLUMN target DROP NOT NULL;
ALTER TABLE trained_model ALTER COLUMN target DROP NOT NULL;
