-- db-scheduler's table (its PostgreSQL schema, in types H2 shares): one row per training or tuning job that is
-- queued or running. A replica picks a row (picked, picked_by) when it has a free slot and heartbeats it while the job
-- runs; a row whose heartbeat stops is revived and another replica runs the job again (README "Jobs").
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(255),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- The replicas alive now and the job slots each brings: the cluster's capacity is their sum (README "Jobs").
CREATE TABLE cluster_replica (
    name           VARCHAR(255) PRIMARY KEY,
    slots          INT NOT NULL,
    queue_capacity INT NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row, locked by each job submission: the capacity check and the new job's rows are one decision cluster-wide.
CREATE TABLE job_admission (
    id INT PRIMARY KEY
);
INSERT INTO job_admission (id) VALUES (1);
