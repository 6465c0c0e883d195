package io.fitserve.datasets;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * On-demand "parser alone" measurement for workload W1 (not a test: nothing here is
 * asserted or run by the suite). Parses a CSV from disk through {@link CsvIngest} with no
 * HTTP, and times the stages separately:
 * <ul>
 * <li>read: the file read into a 1 MB buffer with SHA-256 (the floor every ingest
 * pays);</li>
 * <li>ingest: {@link CsvIngest#ingest} = read + SHA-256 + parse + type inference +
 * profiling;</li>
 * <li>write: {@link DatasetFile#write} of the result (with fsync) to a temp dir;</li>
 * <li>parallel ingest: {@link CsvIngest#ingest} with a {@link CsvIngest.Parallelism} of
 * THREADS (third argument, default: the available processors), right after the
 * sequential one in each repeat, so both see the same machine load.</li>
 * </ul>
 * Run with {@code bench/parse-alone.sh [FILE] [REPEATS] [THREADS]}; it prints MB/s per stage and
 * run, then the medians and the process's peak RSS (VmHWM; mostly the JVM's heap sizing,
 * see JAVA_OPTS=-Xmx512m); the ingest is also given per CPU-second of the parsing thread
 * (GC threads not included), which a busy machine disturbs far less than wall time. MB is
 * 10^6 bytes of CSV, as in bench/bench.py.
 */
public final class IngestBench {

	/**
	 * On a shared machine wall time depends on the neighbours; the parsing thread's CPU
	 * time much less so.
	 */
	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** CPU time of the whole process (every thread, GC and JIT included). */
	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private IngestBench() {
	}

	public static void main(String[] args) throws Exception {
		Path file = Path.of(args.length > 0 ? args[0] : "bench/.data/ingest-clf-s101-1000000x20.csv");
		int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
		long size = Files.size(file);
		double mb = size / 1e6;
		Path tmp = Files.createTempDirectory("ingest-bench-");
		ExecutorService pool = Executors.newFixedThreadPool(threads, (task) -> {
			Thread t = new Thread(task, "csv-parse");
			t.setDaemon(true);
			return t;
		});
		CsvIngest.Parallelism parallel = CsvIngest.Parallelism.of(pool, threads);
		double[] read = new double[repeats];
		double[] ingest = new double[repeats];
		double[] ingestParallel = new double[repeats];
		double[] write = new double[repeats];
		double[] ingestCpu = new double[repeats];
		double[] processCpu = new double[repeats];
		double[] processCpuParallel = new double[repeats];
		System.out.printf("file %s, %.1f MB, %d repeats (+1 warm-up), sequential and %d threads alternating%n", file,
				mb, repeats, threads);
		for (int i = -1; i < repeats; i++) {
			long t0 = System.nanoTime();
			readOnly(file);
			long t1 = System.nanoTime();
			long cpu1 = THREADS.getCurrentThreadCpuTime();
			long p1 = OS.getProcessCpuTime();
			IngestResult result;
			try (InputStream in = Files.newInputStream(file)) {
				result = CsvIngest.ingest(in, new IngestLimits(10_000, 50_000_000));
			}
			long t2 = System.nanoTime();
			long cpu2 = THREADS.getCurrentThreadCpuTime();
			long p2 = OS.getProcessCpuTime();
			Path out = tmp.resolve("bench.fsd");
			DatasetFile.write(out, result.frame());
			long t3 = System.nanoTime();
			long stored = Files.size(out);
			Files.delete(out);
			int rows = result.frame().rows();
			int cols = result.schema().size();
			result = null; // so that two runs' data are never live together
			long t4 = System.nanoTime();
			long p4 = OS.getProcessCpuTime();
			try (InputStream in = Files.newInputStream(file)) {
				result = CsvIngest.ingest(in, new IngestLimits(10_000, 50_000_000), parallel);
			}
			long t5 = System.nanoTime();
			long p5 = OS.getProcessCpuTime();
			if (result.frame().rows() != rows) {
				throw new IllegalStateException("parallel parse read " + result.frame().rows() + " rows, not " + rows);
			}
			result = null;
			String line = String.format(
					"read %.0f MB/s, ingest %.0f MB/s (%.2f s; %.0f MB per CPU-s, %.0f MB per process CPU-s), "
							+ "parallel ingest %.0f MB/s (%.2f s; %.0f MB per process CPU-s), "
							+ "write %.0f MB/s of CSV (%.2f s, %.0f MB stored), rows %d, cols %d",
					mb / sec(t0, t1), mb / sec(t1, t2), sec(t1, t2), mb / sec(cpu1, cpu2), mb / sec(p1, p2),
					mb / sec(t4, t5), sec(t4, t5), mb / sec(p4, p5), mb / sec(t2, t3), sec(t2, t3), stored / 1e6,
					rows, cols);
			if (i < 0) {
				System.out.println("warm-up: " + line);
				continue;
			}
			read[i] = mb / sec(t0, t1);
			ingest[i] = mb / sec(t1, t2);
			ingestParallel[i] = mb / sec(t4, t5);
			ingestCpu[i] = mb / sec(cpu1, cpu2);
			processCpu[i] = mb / sec(p1, p2);
			processCpuParallel[i] = mb / sec(p4, p5);
			write[i] = mb / sec(t2, t3);
			System.out.println("#" + (i + 1) + ": " + line);
		}
		pool.shutdown();
		Files.deleteIfExists(tmp);
		Path status = Path.of("/proc/self/status");
		if (Files.isReadable(status)) {
			// Peak RSS of this whole process (all runs): the parser's memory cost plus
			// the JVM's heap sizing.
			Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM")).forEach(System.out::println);
		}
		System.out.printf(
				"median: read %.0f MB/s, ingest (parser alone) %.0f MB/s (%.0f MB per CPU-second of the "
						+ "parsing thread, %.0f per process CPU-second), parallel ingest (%d threads) %.0f MB/s (%.2fx; "
						+ "%.0f MB per process CPU-second), write %.0f MB/s%n",
				median(read), median(ingest), median(ingestCpu), median(processCpu), threads, median(ingestParallel),
				median(ingestParallel) / median(ingest), median(processCpuParallel), median(write));
	}

	private static void readOnly(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		byte[] buf = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			int r;
			while ((r = in.read(buf)) >= 0) {
				digest.update(buf, 0, r);
			}
		}
		digest.digest();
	}

	private static double sec(long from, long to) {
		return (to - from) / 1e9;
	}

	private static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

}
