-- Compressions: a model's weights quantised to float16 or int8 into a new trained model, with the artifact sizes
-- before and after and how closely the new model's predictions agree with the original's on its test split. A
-- row goes with either model (ON DELETE CASCADE on both): it describes the pair. agreement_json is null when
-- agreement could not be measured (the dataset was deleted, or the model has no test split).
CREATE TABLE model_compression (
    id                  UUID PRIMARY KEY,
    model_id            UUID        NOT NULL REFERENCES trained_model (id) ON DELETE CASCADE,
    compressed_model_id UUID        NOT NULL REFERENCES trained_model (id) ON DELETE CASCADE,
    weight_precision    VARCHAR(16) NOT NULL,
    size_before         BIGINT      NOT NULL,
    size_after          BIGINT      NOT NULL,
    weight_bytes_before BIGINT      NOT NULL,
    weight_bytes_after  BIGINT      NOT NULL,
    agreement_json      TEXT,
    warnings_json       TEXT        NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX model_compression_model_idx ON model_compression (model_id, created_at);
CREATE INDEX model_compression_compressed_idx ON model_compression (compressed_model_id);
