-- Regression models: a sample of (actual, predicted) pairs on the held-out split, for residual plots.
-- Null for classifiers, for models without held-out rows, and for models trained before this column existed.
ALTER TABLE trained_model ADD COLUMN residuals_json TEXT;
