package io.fitserve.models;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A model input: its name, type, and for categorical and boolean features the categories
 * seen in training.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureInfo(String name, String type, List<String> categories) {
}
