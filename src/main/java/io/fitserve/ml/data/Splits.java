package io.fitserve.ml.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Seeded, optionally stratified train/validation/test splits and cross-validation folds.
 */
public final class Splits {

	private Splits() {
	}

	/**
	 * Seeded shuffle (SplittableRandom(seed) Fisher-Yates). With classes, stratified per
	 * class (in class order): of each class's n_c shuffled rows, round(n_c*testFraction)
	 * go to test, round(n_c*validationFraction) to validation and the rest to train;
	 * without classes the same over all rows. A group with at least one row always keeps
	 * one in train (validation is cut first, then test). Parts keep a shuffled order.
	 * Deterministic per seed.
	 */
	public static Split split(int rows, int[] classes, double validationFraction, double testFraction, long seed) {
		if (rows < 0) {
			throw new IllegalArgumentException("rows must be >= 0");
		}
		checkFraction("validationFraction", validationFraction);
		checkFraction("testFraction", testFraction);
		if (validationFraction + testFraction >= 1.0) {
			throw new IllegalArgumentException("validationFraction + testFraction must be < 1");
		}
		SplittableRandom random = new SplittableRandom(seed);
		if (classes == null) {
			int[] all = new int[rows];
			for (int i = 0; i < rows; i++) {
				all[i] = i;
			}
			shuffle(all, random);
			int[] counts = partSizes(rows, validationFraction, testFraction);
			int[] train = new int[counts[0]];
			int[] validation = new int[counts[1]];
			int[] test = new int[counts[2]];
			System.arraycopy(all, 0, test, 0, test.length);
			System.arraycopy(all, test.length, validation, 0, validation.length);
			System.arraycopy(all, test.length + validation.length, train, 0, train.length);
			return new Split(train, validation, test);
		}
		if (classes.length != rows) {
			throw new IllegalArgumentException("classes has " + classes.length + " entries for " + rows + " rows");
		}
		// group rows by class, in ascending class order (counting sort)
		int[] rowGroup = groups(classes);
		int groups = 0;
		for (int g : rowGroup) {
			groups = Math.max(groups, g + 1);
		}
		int[] start = new int[groups + 1];
		for (int i = 0; i < rows; i++) {
			start[rowGroup[i] + 1]++;
		}
		for (int k = 0; k < groups; k++) {
			start[k + 1] += start[k];
		}
		int[] ordered = new int[rows];
		int[] next = start.clone();
		for (int i = 0; i < rows; i++) {
			ordered[next[rowGroup[i]]++] = i;
		}
		int[] train = new int[rows];
		int[] validation = new int[rows];
		int[] test = new int[rows];
		int nTrain = 0;
		int nValidation = 0;
		int nTest = 0;
		for (int k = 0; k < groups; k++) {
			int[] group = Arrays.copyOfRange(ordered, start[k], start[k + 1]);
			shuffle(group, random);
			int[] counts = partSizes(group.length, validationFraction, testFraction);
			System.arraycopy(group, 0, test, nTest, counts[2]);
			nTest += counts[2];
			System.arraycopy(group, counts[2], validation, nValidation, counts[1]);
			nValidation += counts[1];
			System.arraycopy(group, counts[2] + counts[1], train, nTrain, counts[0]);
			nTrain += counts[0];
		}
		// mix the classes inside each part
		return new Split(shuffled(train, nTrain, random), shuffled(validation, nValidation, random),
				shuffled(test, nTest, random));
	}

	/**
	 * Validation rows of each of {@code folds} cross-validation folds (each list
	 * ascending); every row is in exactly one fold and the training rows of fold f are
	 * all the others. Plain: a seeded shuffle (SplittableRandom(seed) Fisher-Yates) cut
	 * into consecutive folds, the first rows % folds of them one row larger (as
	 * scikit-learn's KFold). Stratified: the rows of each class (ascending class order)
	 * are shuffled and dealt round-robin to the folds, continuing where the previous
	 * class stopped, so within each class fold counts differ by at most 1 and so do the
	 * fold sizes. Deterministic per seed.
	 * @param classes the class of each row; needed when stratified, ignored otherwise
	 * @throws IllegalArgumentException unless 2 <= folds <= rows, or when stratified
	 * without classes
	 */
	public static List<int[]> kFold(int rows, int[] classes, int folds, boolean stratified, long seed) {
		if (folds < 2) {
			throw new IllegalArgumentException("folds must be >= 2");
		}
		if (folds > rows) {
			throw new IllegalArgumentException("folds (" + folds + ") cannot exceed the number of rows (" + rows + ")");
		}
		SplittableRandom random = new SplittableRandom(seed);
		int[] fold = new int[rows]; // fold of each row
		if (!stratified) {
			int[] all = new int[rows];
			for (int i = 0; i < rows; i++) {
				all[i] = i;
			}
			shuffle(all, random);
			int base = rows / folds;
			int larger = rows % folds;
			int position = 0;
			for (int f = 0; f < folds; f++) {
				int size = base + (f < larger ? 1 : 0);
				for (int i = 0; i < size; i++) {
					fold[all[position++]] = f;
				}
			}
		}
		else {
			if (classes == null) {
				throw new IllegalArgumentException("stratified folds need the classes");
			}
			if (classes.length != rows) {
				throw new IllegalArgumentException("classes has " + classes.length + " entries for " + rows + " rows");
			}
			int[] ordered = byClass(classes);
			int dealt = 0;
			int from = 0;
			while (from < rows) {
				int to = from;
				while (to < rows && classes[ordered[to]] == classes[ordered[from]]) {
					to++;
				}
				int[] group = Arrays.copyOfRange(ordered, from, to);
				shuffle(group, random);
				for (int row : group) {
					fold[row] = dealt++ % folds;
				}
				from = to;
			}
		}
		int[] sizes = new int[folds];
		for (int f : fold) {
			sizes[f]++;
		}
		List<int[]> out = new ArrayList<>(folds);
		int[] filled = new int[folds];
		for (int f = 0; f < folds; f++) {
			out.add(new int[sizes[f]]);
		}
		for (int row = 0; row < rows; row++) { // ascending rows, so each fold comes out
												// sorted
			out.get(fold[row])[filled[fold[row]]++] = row;
		}
		return List.copyOf(out);
	}

	/**
	 * Row indices grouped by ascending class, ascending rows within a class (stable
	 * counting by class).
	 */
	private static int[] byClass(int[] classes) {
		Integer[] order = new Integer[classes.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Integer.compare(classes[a], classes[b])); // stable
																				// merge
																				// sort
		int[] out = new int[order.length];
		for (int i = 0; i < out.length; i++) {
			out[i] = order[i];
		}
		return out;
	}

	/**
	 * Each row's group: the rank of its class among the distinct classes, ascending.
	 * Class indices (a small range) are ranked through an array, others through a sorted
	 * map.
	 */
	private static int[] groups(int[] classes) {
		int[] group = new int[classes.length];
		if (classes.length == 0) {
			return group;
		}
		int min = classes[0];
		int max = classes[0];
		for (int c : classes) {
			min = Math.min(min, c);
			max = Math.max(max, c);
		}
		if ((long) max - min < (1 << 16)) {
			int[] rank = new int[max - min + 1];
			for (int c : classes) {
				rank[c - min] = 1;
			}
			int groups = 0;
			for (int k = 0; k < rank.length; k++) {
				rank[k] = rank[k] == 0 ? -1 : groups++;
			}
			for (int i = 0; i < classes.length; i++) {
				group[i] = rank[classes[i] - min];
			}
			return group;
		}
		TreeMap<Integer, Integer> groupOf = new TreeMap<>();
		for (int c : classes) {
			groupOf.putIfAbsent(c, 0);
		}
		int groups = 0;
		for (var entry : groupOf.entrySet()) {
			entry.setValue(groups++);
		}
		for (int i = 0; i < classes.length; i++) {
			group[i] = groupOf.get(classes[i]);
		}
		return group;
	}

	/** {train, validation, test} sizes for a group of n rows. */
	private static int[] partSizes(int n, double validationFraction, double testFraction) {
		int test = (int) Math.round(n * testFraction);
		int validation = (int) Math.round(n * validationFraction);
		int maxHeldOut = Math.max(0, n - 1);
		if (validation + test > maxHeldOut) {
			validation = Math.max(0, maxHeldOut - test);
			test = Math.min(test, maxHeldOut);
		}
		return new int[] { n - validation - test, validation, test };
	}

	private static void checkFraction(String name, double value) {
		if (!(value >= 0.0 && value < 1.0)) {
			throw new IllegalArgumentException(name + " must be in [0, 1)");
		}
	}

	private static int[] shuffled(int[] buffer, int length, SplittableRandom random) {
		int[] out = new int[length];
		System.arraycopy(buffer, 0, out, 0, length);
		shuffle(out, random);
		return out;
	}

	private static void shuffle(int[] a, SplittableRandom random) {
		for (int i = a.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
	}

}
