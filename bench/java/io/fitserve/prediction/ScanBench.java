package io.fitserve.prediction;

import io.fitserve.bench.Timing;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * W6's large request body read by {@link PredictionJsonScanner} alone, measured on demand
 * (not a test): ROWS rows of COLS numeric features, each a float32 value widened to double
 * as Python's json module writes it (up to 17 significant digits). Prints the median wall
 * time of one reading on one thread and in two parts.
 * <p>
 * {@code java -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt)
 * io.fitserve.prediction.ScanBench [ROWS] [COLS] [REPEATS]} after
 * {@code ./mvnw -B -q -Pbench -DskipTests test-compile}.
 */
public final class ScanBench {

	private ScanBench() {
	}

	public static void main(String[] args) {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
		int d = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 41;
		List<FeatureTransform> features = new ArrayList<>();
		Map<String, Integer> index = new HashMap<>();
		for (int j = 0; j < d; j++) {
			features.add(FeatureTransform.numeric("x" + j, 0.0, 1.0));
			index.put("x" + j, j);
		}
		PredictionJsonReader.Schema schema = new PredictionJsonReader.Schema(new Preprocessing(features), index);
		SplittableRandom random = new SplittableRandom(606);
		StringBuilder json = new StringBuilder("{\"rows\": [");
		for (int r = 0; r < n; r++) {
			json.append(r == 0 ? "{" : ", {");
			for (int j = 0; j < d; j++) {
				float v = (float) (random.nextGaussian() * 2);
				json.append(j == 0 ? "" : ", ").append("\"x").append(j).append("\": ").append((double) v);
			}
			json.append('}');
		}
		byte[] body = json.append("]}").toString().getBytes(StandardCharsets.ISO_8859_1);
		double[] sink = new double[1];
		double[] one = Timing.time(20, repeats, () -> sink[0] += PredictionJsonScanner
			.read(body, schema, n, Integer.MAX_VALUE).values()[0]);
		double[] two = Timing.time(20, repeats, () -> sink[0] += PredictionJsonScanner
			.read(body, schema, n, PredictionJsonScanner.SPLIT_BYTES).values()[0]);
		System.out.printf("%d x %d, %.1f MB: one thread %.2f ms, two parts %.2f ms (median of %d; %s)%n", n, d,
				body.length / 1e6, Timing.median(one), Timing.median(two), repeats, sink[0] != 0 ? "ok" : "zero");
	}

}
