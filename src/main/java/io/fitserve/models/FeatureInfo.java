package io.fitserve.models;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fitserve.privacy.MaskMode;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A model input: its name, type, for categorical and boolean features the categories seen
 * in training, and the mask its training column was uploaded with (null: none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureInfo(String name, String type, List<String> categories,
		@Schema(description = "pseudonymize or redact when the training column was masked at upload: predictions "
				+ "mask incoming raw values the same way (a token is taken as it is); absent otherwise",
				allowableValues = {
						"pseudonymize", "redact" }) MaskMode mask){

	public FeatureInfo(String name, String type, List<String> categories) {
		this(name, type, categories, null);
	}

}
