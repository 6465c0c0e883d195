package io.fitserve.prediction;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import io.fitserve.datasets.CsvFormatException;
import io.fitserve.datasets.CsvRecordReader;
import io.fitserve.datasets.CsvWriter;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;

import org.springframework.stereotype.Component;

/**
 * Batch scoring of a CSV body: rows are read and scored in chunks through
 * {@link PredictionService} (the same rules as JSON predictions) and written back as they
 * are scored, so memory stays bounded whatever the file size.
 *
 * <p>
 * Bad rows (a cell that cannot be read, the wrong number of cells): with
 * {@link OnError#FAIL} a bad row in the first chunk, before anything was written, is a
 * 422 problem naming its line; a bad row found later ends the output with a line
 * {@code #error,line N: ...} after the rows scored before it. With {@link OnError#SKIP}
 * bad rows are left out and listed at the end in lines starting with {@code #skipped}.
 */
@Component
class CsvScoring {

	/** Rows per call to the prediction service. */
	static final int CHUNK_ROWS = 1000;

	/** Longest record accepted, in characters. */
	static final int MAX_RECORD_CHARS = 1 << 20;

	/** Skipped rows listed one by one at the end; beyond, only counted. */
	static final int MAX_LISTED = 100;

	enum OnError {

		FAIL, SKIP;

		static OnError parse(String value) {
			if (value == null || value.equalsIgnoreCase("fail")) {
				return FAIL;
			}
			if (value.equalsIgnoreCase("skip")) {
				return SKIP;
			}
			throw DomainException.invalid("onError must be fail or skip.",
					List.of(FieldError.field("onError", "allowed: fail, skip")));
		}

	}

	private final PredictionService predictions;

	private final PredictionProperties properties;

	CsvScoring(PredictionService predictions, PredictionProperties properties) {
		this.predictions = predictions;
		this.properties = properties;
	}

	/**
	 * Records to score: a header, then rows of cells; line is the current record's line
	 * (the header's is 1).
	 */
	interface Rows {

		List<String> header() throws IOException;

		/** The next record's cells; null at the end. */
		List<String> next() throws IOException;

		long line();

	}

	/**
	 * Told after each chunk of rows, with the totals so far; answers false to stop
	 * scoring there.
	 */
	interface ChunkListener {

		boolean scored(long rowsScored, long rowsSkipped);

	}

	/**
	 * What a job's scoring came to: rows written, rows left out, and whether the listener
	 * stopped it.
	 */
	record Outcome(long rowsScored, long rowsSkipped, boolean stopped) {
	}

	void score(String modelId, OnError onError, Object threshold, InputStream body, HttpServletResponse response)
			throws IOException {
		PredictionService.Shape shape = predictions.shape(modelId);
		CsvRecordReader reader = new CsvRecordReader(new InputStreamReader(body,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)),
				MAX_RECORD_CHARS);
		Rows csv = new Rows() {
			@Override
			public List<String> header() throws IOException {
				return reader.header();
			}

			@Override
			public List<String> next() throws IOException {
				return reader.next();
			}

			@Override
			public long line() {
				return reader.line();
			}
		};
		Run run = new Run(modelId, onError, threshold, shape, csv, () -> {
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType("text/csv;charset=UTF-8");
			return new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		}, true, Math.min(CHUNK_ROWS, properties.maxRows()), null);
		try {
			run.header();
			run.rows();
		}
		catch (CsvFormatException ex) {
			run.fatal(ex.line(), ex.getMessage(),
					() -> DomainException.invalid("Malformed CSV: " + ex.getMessage() + ".",
							List.of(FieldError.line(ex.line(), null, ex.getMessage()))));
		}
		catch (CharacterCodingException ex) {
			run.fatal(0, "the body is not valid UTF-8",
					() -> DomainException.invalid(
							"The body holds bytes that are not valid UTF-8; send the CSV as UTF-8.",
							List.of(FieldError.field("body", "is not valid UTF-8"))));
		}
		run.finish();
	}

	/**
	 * Scores {@code rows} for a batch prediction job and writes the same CSV the
	 * synchronous scoring answers, without its comment lines: a bad row under
	 * {@link OnError#FAIL} is an {@link DomainException} whatever was written before it
	 * (the caller drops the output), and skipped rows are only counted. {@code listener}
	 * hears after each chunk of {@code chunkRows} rows.
	 */
	Outcome scoreJob(String modelId, OnError onError, Object threshold, Rows rows, Writer output, int chunkRows,
			ChunkListener listener) throws IOException {
		PredictionService.Shape shape = predictions.shape(modelId);
		Run run = new Run(modelId, onError, threshold, shape, rows, () -> output, false,
				Math.min(chunkRows, properties.maxRows()), listener);
		run.header();
		run.rows();
		if (run.stopped) {
			return new Outcome(run.written, run.skipped, true);
		}
		run.finish();
		return new Outcome(run.written, run.skipped, false);
	}

	/** Opens the output at the first line written. */
	private interface Sink {

		Writer open() throws IOException;

	}

	/**
	 * One request's scoring: output is opened lazily, so errors found before the first
	 * row is written are problems.
	 */
	private final class Run {

		private final String modelId;

		private final OnError onError;

		private final Object threshold;

		private final PredictionService.Shape shape;

		private final Rows csv;

		private final Sink sink;

		/**
		 * The synchronous answer: a bad row found after output began ends it with an
		 * {@code #error} line, and skipped rows are listed at the end. A job's output has
		 * neither (see {@link #scoreJob}).
		 */
		private final boolean streaming;

		private final int chunkRows;

		private final ChunkListener listener;

		private long written;

		private List<String> header;

		private CsvWriter out;

		private long skipped;

		private final List<String> skippedLines = new ArrayList<>();

		private boolean stopped;

		Run(String modelId, OnError onError, Object threshold, PredictionService.Shape shape, Rows csv, Sink sink,
				boolean streaming, int chunkRows, ChunkListener listener) {
			this.modelId = modelId;
			this.onError = onError;
			this.threshold = threshold;
			this.shape = shape;
			this.csv = csv;
			this.sink = sink;
			this.streaming = streaming;
			this.chunkRows = Math.max(1, chunkRows);
			this.listener = listener;
		}

		void header() throws IOException {
			header = csv.header();
			if (header == null) {
				throw DomainException.invalid("The request body is empty; send a CSV with a header row.",
						List.of(FieldError.field("body", "is empty")));
			}
			Set<String> seen = new HashSet<>();
			List<FieldError> errors = new ArrayList<>();
			for (String name : header) {
				if (name.isEmpty() || !seen.add(name)) {
					errors.add(FieldError.line(csv.line(), name,
							name.isEmpty() ? "blank column name" : "duplicate column name '" + name + "'"));
				}
			}
			if (!errors.isEmpty()) {
				throw DomainException.invalid("The header row has blank or duplicate column names.", errors);
			}
			for (String feature : shape.features()) {
				if (!seen.contains(feature)) {
					errors.add(FieldError.line(csv.line(), feature,
							"feature '" + feature + "' is not a column; every row needs it (empty cells are imputed)"));
				}
			}
			if (!errors.isEmpty()) {
				throw DomainException.unprocessable("The header lacks " + errors.size() + " of the model's features.",
						errors);
			}
		}

		void rows() throws IOException {
			int chunk = chunkRows;
			List<List<String>> cells = new ArrayList<>(chunk);
			List<Long> lines = new ArrayList<>(chunk);
			List<String> cellsRow;
			while (!stopped && (cellsRow = csv.next()) != null) {
				if (cellsRow.size() != header.size()) {
					long line = csv.line();
					if (onError == OnError.FAIL && out != null && !cells.isEmpty()) {
						// output has begun: the rows before this one are scored as they
						// would have been
						scoreChunk(cells, lines);
						cells.clear();
						lines.clear();
					}
					if (!stopped) {
						badRow(line, "has " + cellsRow.size() + " cells, expected " + header.size());
					}
					continue;
				}
				cells.add(cellsRow);
				lines.add(csv.line());
				if (cells.size() == chunk) {
					scoreChunk(cells, lines);
					cells.clear();
					lines.clear();
					chunkDone();
				}
			}
			if (!stopped && !cells.isEmpty()) {
				scoreChunk(cells, lines);
				chunkDone();
			}
		}

		private void chunkDone() {
			if (listener != null && !stopped && !listener.scored(written, skipped)) {
				stopped = true;
			}
		}

		/**
		 * Scores rows; rows the service refuses are handled by the error policy, the
		 * others are scored and written.
		 */
		private void scoreChunk(List<List<String>> cells, List<Long> lines) throws IOException {
			List<Map<String, Object>> rows = new ArrayList<>(cells.size());
			for (List<String> row : cells) {
				Map<String, Object> map = new HashMap<>(header.size() * 2);
				for (int c = 0; c < header.size(); c++) {
					map.put(header.get(c), row.get(c));
				}
				rows.add(map);
			}
			PredictionResponse scored;
			try {
				scored = predictions.predict(modelId, new PredictionRequest(rows, threshold, false));
			}
			catch (DomainException ex) {
				if (ex.kind() != DomainException.Kind.UNPROCESSABLE || ex.errors().isEmpty()
						|| ex.errors().stream().anyMatch(e -> e.row() == null)) {
					throw ex;
				}
				// the service names each bad row by its index in this chunk: report it by
				// its line
				Map<Integer, String> bad = new LinkedHashMap<>();
				for (FieldError e : ex.errors()) {
					bad.putIfAbsent(e.row().intValue(),
							(e.field() == null ? "" : "column '" + e.field() + "': ") + e.message());
				}
				if (onError == OnError.FAIL) {
					int first = bad.keySet().iterator().next();
					writeGood(cells, lines, rows, first);
					if (!stopped) {
						List<FieldError> errors = new ArrayList<>();
						for (FieldError e : ex.errors()) {
							errors.add(FieldError.line(lines.get(e.row().intValue()), e.field(), e.message()));
						}
						fatal(lines.get(first), bad.get(first), () -> DomainException
							.unprocessable("Line " + lines.get(first) + ": " + bad.get(first) + failHint(), errors));
					}
					return;
				}
				// skip: rows the service named in its list (at most
				// PredictionService.MAX_LISTED problems) are dropped; a chunk with more
				// bad rows than that is split until each refusal is attributed
				if (ex.errors().size() >= PredictionService.MAX_LISTED && cells.size() > 1) {
					int half = cells.size() / 2;
					scoreChunk(new ArrayList<>(cells.subList(0, half)), new ArrayList<>(lines.subList(0, half)));
					scoreChunk(new ArrayList<>(cells.subList(half, cells.size())),
							new ArrayList<>(lines.subList(half, lines.size())));
					return;
				}
				List<List<String>> keptCells = new ArrayList<>();
				List<Long> keptLines = new ArrayList<>();
				for (int r = 0; r < cells.size(); r++) {
					if (bad.containsKey(r)) {
						badRow(lines.get(r), bad.get(r));
					}
					else {
						keptCells.add(cells.get(r));
						keptLines.add(lines.get(r));
					}
				}
				if (!keptCells.isEmpty()) {
					scoreChunk(keptCells, keptLines);
				}
				return;
			}
			write(cells, scored.predictions());
		}

		/**
		 * FAIL: the rows before the first bad one in a chunk are scored and written, as
		 * they would be one by one.
		 */
		private void writeGood(List<List<String>> cells, List<Long> lines, List<Map<String, Object>> rows, int first)
				throws IOException {
			if (first == 0 || out == null) {
				return; // nothing written yet: the whole request fails as one problem
			}
			PredictionResponse scored = predictions.predict(modelId,
					new PredictionRequest(new ArrayList<>(rows.subList(0, first)), threshold, false));
			write(cells.subList(0, first), scored.predictions());
		}

		private void badRow(long line, String message) throws IOException {
			if (onError == OnError.FAIL) {
				fatal(line, message, () -> DomainException.unprocessable("Line " + line + ": " + message + failHint(),
						List.of(FieldError.line(line, null, message))));
				return;
			}
			skipped++;
			if (skippedLines.size() < MAX_LISTED) {
				skippedLines.add("line " + line + ": " + message);
			}
		}

		/**
		 * What follows a fail-policy problem's detail: how to score the other rows
		 * anyway.
		 */
		private String failHint() {
			return streaming ? " (nothing was scored; ?onError=skip leaves bad rows out)."
					: " (no result is kept; \"onError\": \"skip\" leaves bad rows out).";
		}

		/**
		 * Before any output: the problem; after: a last {@code #error} line, and nothing
		 * more is read.
		 */
		void fatal(long line, String message, java.util.function.Supplier<DomainException> problem) throws IOException {
			if (out == null || !streaming) {
				throw problem.get();
			}
			writeComment("#error",
					(line > 0 ? "line " + line + ": " : "") + message + "; the rows after it were not scored");
			stopped = true;
		}

		private void write(List<List<String>> cells, List<PredictionResponse.Prediction> scored) throws IOException {
			open();
			List<String> labels = shape.classLabels();
			for (int r = 0; r < cells.size(); r++) {
				for (String cell : cells.get(r)) {
					out.field(cell);
				}
				PredictionResponse.Prediction p = scored.get(r);
				if (shape.clustering()) {
					out.field(Integer.toString(p.cluster()));
					out.field(Double.toString(p.distance()));
				}
				else if (labels == null) {
					out.field(Double.toString(p.value()));
				}
				else {
					out.field(p.label());
					for (String label : labels) {
						out.field(Double.toString(p.probabilities().get(label)));
					}
				}
				out.endRecord();
			}
			written += cells.size();
		}

		private void open() throws IOException {
			if (out != null) {
				return;
			}
			out = new CsvWriter(new BufferedWriter(sink.open(), 1 << 16));
			for (String name : header) {
				out.field(name);
			}
			if (shape.clustering()) {
				out.field("cluster");
				out.field("distance");
			}
			else {
				out.field("prediction");
			}
			if (shape.classLabels() != null) {
				for (String label : shape.classLabels()) {
					out.field("probability_" + label);
				}
			}
			out.endRecord();
		}

		private void writeComment(String tag, String text) throws IOException {
			open();
			// one field, never quoted, so the line starts with '#': commas and line
			// breaks in the text are replaced
			out.field(tag + " " + text.replace(',', ';').replace('\r', ' ').replace('\n', ' ').replace('"', '\''));
			out.endRecord();
		}

		void finish() throws IOException {
			if (streaming && onError == OnError.SKIP && skipped > 0) {
				writeComment("#skipped", skipped + " row(s) were not scored");
				for (String line : skippedLines) {
					writeComment("#skipped", line);
				}
				if (skipped > skippedLines.size()) {
					writeComment("#skipped", "... and " + (skipped - skippedLines.size()) + " more");
				}
			}
			open(); // a file with a header and no rows still gets the output header
			out.flush();
		}

	}

}
