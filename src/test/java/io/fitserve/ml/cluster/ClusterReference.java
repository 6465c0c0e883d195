package io.fitserve.ml.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * scikit-learn's values for the clustering tests, written by
 * src/test/resources/cluster/kmeans_reference.py (scikit-learn 1.2.1).
 */
final class ClusterReference {

	static final Properties VALUES = load();

	private ClusterReference() {
	}

	static double value(String key) {
		String v = VALUES.getProperty(key);
		if (v == null) {
			throw new IllegalArgumentException("no reference value " + key);
		}
		return Double.parseDouble(v);
	}

	/** The blobs' rows (x0, x1, x2), their generating blob and scikit-learn's label. */
	record Blobs(double[][] x, int[] blob, int[] sklearn) {
	}

	static Blobs blobs() {
		List<String> lines = lines("/cluster/blobs.csv");
		int n = lines.size() - 1;
		double[][] x = new double[n][3];
		int[] blob = new int[n];
		int[] sklearn = new int[n];
		for (int i = 0; i < n; i++) {
			String[] cells = lines.get(i + 1).split(",");
			for (int j = 0; j < 3; j++) {
				x[i][j] = Double.parseDouble(cells[j]);
			}
			blob[i] = Integer.parseInt(cells[3]);
			sklearn[i] = Integer.parseInt(cells[4]);
		}
		return new Blobs(x, blob, sklearn);
	}

	/** Iris' four measurements, standardized with population standard deviations. */
	static double[][] irisStandardized() {
		List<String> lines = lines("/datasets/iris.csv");
		int n = lines.size() - 1;
		double[][] x = new double[n][4];
		for (int i = 0; i < n; i++) {
			String[] cells = lines.get(i + 1).split(",");
			for (int j = 0; j < 4; j++) {
				x[i][j] = Double.parseDouble(cells[j]);
			}
		}
		for (int j = 0; j < 4; j++) {
			double mean = 0;
			for (double[] row : x) {
				mean += row[j];
			}
			mean /= n;
			double ss = 0;
			for (double[] row : x) {
				ss += (row[j] - mean) * (row[j] - mean);
			}
			double sd = Math.sqrt(ss / n);
			for (double[] row : x) {
				row[j] = (row[j] - mean) / sd;
			}
		}
		return x;
	}

	/** Iris' species as 0 (setosa), 1 (versicolor), 2 (virginica). */
	static int[] irisSpecies() {
		List<String> lines = lines("/datasets/iris.csv");
		List<String> names = List.of("setosa", "versicolor", "virginica");
		return lines.subList(1, lines.size())
			.stream()
			.mapToInt(line -> names.indexOf(line.substring(line.lastIndexOf(',') + 1)))
			.toArray();
	}

	static int[] irisSklearnLabels() {
		return Arrays.stream(lines("/cluster/iris-sklearn-labels.txt").get(0).trim().split(" "))
			.mapToInt(Integer::parseInt)
			.toArray();
	}

	private static List<String> lines(String resource) {
		try (InputStream in = ClusterReference.class.getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Properties load() {
		Properties p = new Properties();
		try (InputStream in = ClusterReference.class.getResourceAsStream("/cluster/reference.properties")) {
			p.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return p;
	}

}
