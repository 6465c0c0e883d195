package io.fitserve.ml;

/** Model families fitserve trains. */
public enum Algorithm {
	LINEAR_REGRESSION, LOGISTIC_REGRESSION, LINEAR_SVM, MLP
}
