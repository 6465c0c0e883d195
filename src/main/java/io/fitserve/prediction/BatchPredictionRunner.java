package io.fitserve.prediction;

import io.fitserve.ml.data.ColumnData;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetCsv;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;
import io.fitserve.storage.StorageFaults;
import io.fitserve.training.TrainingExecutor;
import io.fitserve.training.TrainingProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Runs one batch prediction on a job slot: the dataset's rows, as its CSV download holds
 * them, go through the synchronous CSV scoring chunk by chunk and into the result file;
 * progress is written once per chunk, when the run also learns of a cancel; a shutdown
 * stops it after the current chunk and puts it back in the queue.
 */
@Component
class BatchPredictionRunner {

	private static final Log log = LogFactory.getLog(BatchPredictionRunner.class);

	private final BatchPredictionTransitions transitions;

	private final CsvScoring scoring;

	private final DatasetService datasets;

	private final BatchResultStore results;

	private final TrainingExecutor executor;

	private final int maxAttempts;

	private final int chunkRows;

	BatchPredictionRunner(BatchPredictionTransitions transitions, CsvScoring scoring, DatasetService datasets,
			BatchResultStore results, TrainingExecutor executor, TrainingProperties training,
			BatchPredictionProperties properties) {
		this.transitions = transitions;
		this.scoring = scoring;
		this.datasets = datasets;
		this.results = results;
		this.executor = executor;
		this.maxAttempts = training.maxAttempts();
		this.chunkRows = properties.chunkRows();
	}

	/** Why a run stopped before the end of the dataset. */
	private enum Stop {

		CANCEL, SUPERSEDED, SHUTDOWN

	}

	void run(UUID id) {
		if (executor.shuttingDown()) {
			return; // stays queued; another replica or the next start runs it
		}
		BatchPredictionJob job = transitions.claim(id, maxAttempts).orElse(null);
		if (job == null) {
			return;
		}
		int attempt = job.getAttempt();
		Stop[] stop = new Stop[1];
		UUID resultDataset = null;
		try {
			DatasetFrame frame = datasets.frame(datasets.get(job.getDatasetId()).getId());
			CsvScoring.Outcome outcome = results.write(id, out -> scoring.scoreJob(job.getModelId().toString(),
					job.getOnError(), job.getThreshold(), new FrameRows(frame), out, chunkRows, (scored, skipped) -> {
						stop[0] = switch (transitions.progress(id, attempt, scored, skipped)) {
							case GO_ON -> executor.shuttingDown() ? Stop.SHUTDOWN : null;
							case CANCEL -> Stop.CANCEL;
							case SUPERSEDED -> Stop.SUPERSEDED;
						};
						return stop[0] == null;
					}), o -> !o.stopped());
			if (outcome.stopped()) {
				switch (stop[0]) {
					case CANCEL -> transitions.cancelled(id, attempt, outcome.rowsScored(), outcome.rowsSkipped());
					case SHUTDOWN -> {
						transitions.stoppedByShutdown(id, attempt, outcome.rowsScored(), outcome.rowsSkipped());
						log.info("Batch prediction " + id + " stopped by the shutdown after " + outcome.rowsScored()
								+ " row(s); it runs again from the start on another replica or at the next start");
					}
					case SUPERSEDED -> log.warn("Batch prediction " + id + " attempt " + attempt
							+ " stopped: another run has taken it over");
				}
				return;
			}
			if (job.isSaveAsDataset()) {
				resultDataset = saveAsDataset(id, job);
			}
			if (!transitions.succeed(id, attempt, outcome.rowsScored(), outcome.rowsSkipped(), resultDataset)
					&& resultDataset != null) {
				datasets.delete(resultDataset.toString()); // the run that took over saves
															// its own
			}
		}
		catch (DomainException ex) {
			// a bad row under onError=fail, the model or dataset deleted meanwhile,
			// ingest limits of the saved dataset
			fail(id, attempt, new BatchPredictionError(ex.type(), ex.getMessage()));
		}
		catch (IOException | RuntimeException ex) {
			if (StorageFaults.isOutOfSpace(ex)) {
				log.warn("Disk full while writing the result of batch prediction " + id);
				fail(id, attempt, new BatchPredictionError(StorageFaults.INSUFFICIENT_STORAGE,
						"The disk filled up while the result was written; free space and submit it again."));
			}
			else {
				log.error("Batch prediction " + id + " failed", ex);
				fail(id, attempt, new BatchPredictionError("internal-error",
						"The batch prediction failed unexpectedly; the service log has the details."));
			}
		}
	}

	private void fail(UUID id, int attempt, BatchPredictionError error) {
		transitions.fail(id, attempt, error);
		results.delete(id);
	}

	/**
	 * The result uploaded as a new dataset, as if its CSV had been sent to POST
	 * /api/v1/datasets.
	 */
	private UUID saveAsDataset(UUID id, BatchPredictionJob job) throws IOException {
		String name = job.getDatasetName();
		try (InputStream csv = results.open(id)) {
			return datasets.upload(csv, name, name + ".csv").getId();
		}
	}

	/**
	 * A dataset's rows as CsvScoring reads them: each cell as the CSV download writes it
	 * (missing: empty).
	 */
	static final class FrameRows implements CsvScoring.Rows {

		private final DatasetFrame frame;

		private int next;

		FrameRows(DatasetFrame frame) {
			this.frame = frame;
		}

		@Override
		public List<String> header() {
			return frame.columns().stream().map(ColumnData::name).toList();
		}

		@Override
		public List<String> next() {
			if (next >= frame.rows()) {
				return null;
			}
			List<ColumnData> columns = frame.columns();
			List<String> cells = new ArrayList<>(columns.size());
			for (ColumnData column : columns) {
				String cell = DatasetCsv.cell(column, next);
				cells.add(cell == null ? "" : cell);
			}
			next++;
			return cells;
		}

		/**
		 * The header is line 1 and row r (from 0) line r + 2, as in the dataset's CSV
		 * download.
		 */
		@Override
		public long line() {
			return next + 1;
		}

	}

}
