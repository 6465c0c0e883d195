package io.fitserve.ml;

/** How the last layer's scores become a prediction; SVM means raw one-vs-rest margins. */
public enum OutputKind {
	IDENTITY, SIGMOID, SOFTMAX, SVM
}
