-- Batch predictions: a stored dataset scored by a model in the background (README "Batch predictions"). Each queued
-- or running job also has one execution row in scheduled_tasks (task_name 'batch-prediction'), created in the same
-- transaction; the result CSV is a file under <data-dir>/batch-predictions named after the job's id.
CREATE TABLE batch_prediction (
    id                UUID PRIMARY KEY,
    model_id          UUID         NOT NULL,
    dataset_id        UUID         NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    on_error          VARCHAR(8)   NOT NULL,
    threshold_json    VARCHAR(64),
    save_as_dataset   BOOLEAN      NOT NULL,
    dataset_name      VARCHAR(255),
    rows_total        BIGINT       NOT NULL,
    rows_scored       BIGINT       NOT NULL,
    rows_skipped      BIGINT       NOT NULL,
    result_dataset_id UUID,
    error_json        TEXT,
    cancel_requested  BOOLEAN      NOT NULL,
    attempt           INTEGER      NOT NULL,
    worker            VARCHAR(255),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE,
    version           BIGINT       NOT NULL
);
CREATE INDEX batch_prediction_status_idx ON batch_prediction (status);
CREATE INDEX batch_prediction_created_idx ON batch_prediction (created_at);
CREATE INDEX batch_prediction_dataset_idx ON batch_prediction (dataset_id);
CREATE INDEX batch_prediction_model_idx ON batch_prediction (model_id);
