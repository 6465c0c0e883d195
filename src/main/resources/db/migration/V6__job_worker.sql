-- The replica (fitserve.cluster.replica-name: host name and process id unless set) that started the job's latest
-- run; NULL until it first runs.
ALTER TABLE training_job ADD COLUMN worker VARCHAR(255);
