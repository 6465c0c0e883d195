package io.fitserve.datasets;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.fitserve.storage.StorageCodec;
import io.fitserve.storage.StorageKey;

/**
 * On-demand measurement of dataset storage codecs (not a test: nothing is asserted or run
 * by the suite). For each CSV it parses once ({@link CsvIngest}), then writes the parsed
 * frame with every codec (fsync included, as uploads do) and reads it back, and reports
 * medians of: stored size and ratio to the uncompressed file, write and read MB/s, and
 * the whole ingest (parse + write) in MB/s of CSV, the figure an upload sees.
 * <p>
 * Run with {@code bench/storage.sh [REPEATS] [CSV...]}; with no CSV it generates two
 * 200k-row files: "numeric" (20 gaussian columns with 6 decimals and an integer label,
 * the shape of the W1 ingest workload) and "mixed" (8 numeric columns with 2 decimals, 4
 * categorical, 1 boolean, a label). MB is 10^6 bytes of CSV.
 */
public final class StorageBench {

	private StorageBench() {
	}

	public static void main(String[] args) throws Exception {
		int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		Path tmp = Files.createTempDirectory("storage-bench-");
		List<Path> files = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			files.add(Path.of(args[i]));
		}
		if (files.isEmpty()) {
			files.add(numeric(tmp.resolve("numeric-200000x20.csv"), 200_000, 20));
			files.add(mixed(tmp.resolve("mixed-200000x14.csv"), 200_000));
		}
		byte[] raw = new byte[32];
		new Random(1).nextBytes(raw);
		StorageKey key = StorageKey.parse(Base64.getEncoder().encodeToString(raw));
		// the JDK's AES-GCM runs ~40x slower until C2 has compiled its intrinsic paths
		// (~400 MB in): warm it up so that the figures are a running server's, not a cold
		// start's
		byte[] warm = new byte[SegmentedFileWarmUp.SIZE];
		for (int i = 0; i < 600; i++) {
			SegmentedFileWarmUp.roundTrip(warm, StorageCodec.PLAIN.withKey(key));
		}
		Map<String, StorageCodec> codecs = new LinkedHashMap<>();
		codecs.put("none", StorageCodec.PLAIN);
		codecs.put("zstd-1 (default)", new StorageCodec(true, 1, null));
		codecs.put("zstd-3", new StorageCodec(true, 3, null));
		codecs.put("none + AES-GCM", StorageCodec.PLAIN.withKey(key));
		codecs.put("zstd-1 + AES-GCM", new StorageCodec(true, 1, key));
		System.out.printf(Locale.ROOT, "java %s, %d CPUs, %d repeats (+1 warm-up), medians%n",
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), repeats);
		for (Path file : files) {
			double mb = Files.size(file) / 1e6;
			double[] parse = new double[repeats];
			DatasetFrame frame = null;
			for (int i = -1; i < repeats; i++) {
				frame = null;
				long t0 = System.nanoTime();
				try (InputStream in = Files.newInputStream(file)) {
					frame = CsvIngest.ingest(in, new IngestLimits(10_000, 50_000_000)).frame();
				}
				if (i >= 0) {
					parse[i] = sec(t0, System.nanoTime());
				}
			}
			double parseS = median(parse);
			System.out.printf(Locale.ROOT, "%n%s: %.1f MB of CSV, %d rows x %d columns; parse alone %.0f MB/s%n",
					file.getFileName(), mb, frame.rows(), frame.columns().size(), mb / parseS);
			System.out
				.println("| codec | stored MB | vs none | write MB/s | read MB/s | ingest (parse + write) MB/s |");
			System.out.println("|---|---|---|---|---|---|");
			long plainSize = 0;
			for (Map.Entry<String, StorageCodec> codec : codecs.entrySet()) {
				Path out = tmp.resolve("bench.fsd");
				double[] write = new double[repeats];
				double[] read = new double[repeats];
				long size = 0;
				for (int i = -1; i < repeats; i++) {
					long t0 = System.nanoTime();
					DatasetFile.write(out, frame, codec.getValue());
					long t1 = System.nanoTime();
					DatasetFrame back = DatasetFile.read(out, codec.getValue());
					long t2 = System.nanoTime();
					if (back.rows() != frame.rows()) {
						throw new IllegalStateException("round trip lost rows");
					}
					size = Files.size(out);
					if (i >= 0) {
						write[i] = sec(t0, t1);
						read[i] = sec(t1, t2);
					}
				}
				Files.delete(out);
				if (plainSize == 0) {
					plainSize = size;
				}
				System.out.printf(Locale.ROOT, "| %s | %.1f | %.2fx smaller | %.0f | %.0f | %.0f |%n", codec.getKey(),
						size / 1e6, (double) plainSize / size, mb / median(write), mb / median(read),
						mb / (parseS + median(write)));
			}
		}
		for (Path f : files) {
			if (f.startsWith(tmp)) {
				Files.delete(f);
			}
		}
		Files.delete(tmp);
	}

	/** One 1 MB segment sealed and unsealed: the same Cipher calls the files make. */
	private static final class SegmentedFileWarmUp {

		static final int SIZE = 1 << 20;

		static void roundTrip(byte[] data, StorageCodec codec) throws IOException {
			byte[] sealed = io.fitserve.storage.SegmentedFile.seal(data, 0x4D524157, 1, codec);
			io.fitserve.storage.SegmentedFile.unseal(sealed, 0x4D524157, 1, codec, "warm-up");
		}

	}

	private static Path numeric(Path file, int rows, int cols) throws IOException {
		Random random = new Random(101);
		try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			StringBuilder head = new StringBuilder();
			for (int j = 0; j < cols; j++) {
				head.append('x').append(j).append(',');
			}
			w.write(head + "label\n");
			double[] scale = new double[cols];
			Arrays.setAll(scale, j -> 0.5 + j % 5);
			for (int r = 0; r < rows; r++) {
				StringBuilder line = new StringBuilder(200);
				for (int j = 0; j < cols; j++) {
					line.append(String.format(Locale.ROOT, "%.6f", random.nextGaussian() * scale[j] + j)).append(',');
				}
				line.append(random.nextInt(2)).append('\n');
				w.write(line.toString());
			}
		}
		return file;
	}

	private static Path mixed(Path file, int rows) throws IOException {
		Random random = new Random(202);
		int[] levels = { 5, 20, 60, 200 };
		try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			w.write("n0,n1,n2,n3,n4,n5,n6,n7,city,product,segment,code,active,label\n");
			for (int r = 0; r < rows; r++) {
				StringBuilder line = new StringBuilder(160);
				for (int j = 0; j < 8; j++) {
					line.append(String.format(Locale.ROOT, "%.2f", Math.abs(random.nextGaussian()) * 100 * (j + 1)))
						.append(',');
				}
				for (int j = 0; j < levels.length; j++) {
					line.append("level")
						.append(j)
						.append('_')
						.append((int) Math.abs(random.nextGaussian() * levels[j] / 2) % levels[j])
						.append(',');
				}
				line.append(random.nextBoolean()).append(',').append(random.nextInt(3)).append('\n');
				w.write(line.toString());
			}
		}
		return file;
	}

	private static double median(double[] xs) {
		double[] s = xs.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	private static double sec(long from, long to) {
		return (to - from) / 1e9;
	}

}
