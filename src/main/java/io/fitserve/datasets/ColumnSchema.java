package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnType;
import io.fitserve.privacy.MaskMode;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A column's name, inferred type, the mask its values were stored under (null: none) and
 * profile.
 */
public record ColumnSchema(String name, ColumnType type,
		@Schema(description = "how the upload option mask stored this column's values: pseudonymize (keyed tokens) "
				+ "or redact (shapes); null when stored as uploaded", nullable = true,
				allowableValues = {
						"pseudonymize", "redact" }) MaskMode mask,
		ColumnProfile profile){
}
