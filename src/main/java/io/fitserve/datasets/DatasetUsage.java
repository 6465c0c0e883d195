package io.fitserve.datasets;

import java.util.UUID;

/** Tells whether unfinished work still needs a dataset; implemented by the training feature. */
public interface DatasetUsage {

	boolean inUse(UUID datasetId);

}
