package io.fitserve.datasets;

import java.util.UUID;

/**
 * Tells whether unfinished work still needs a dataset; implemented by training and batch
 * predictions.
 */
public interface DatasetUsage {

	boolean inUse(UUID datasetId);

}
