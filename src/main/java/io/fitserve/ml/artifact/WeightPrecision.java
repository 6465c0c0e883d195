package io.fitserve.ml.artifact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an artifact stores the weight matrices of its layers: as doubles (every trained
 * model), as IEEE half floats, or as 8-bit integers with one scale per output neuron. A
 * compressed model's predictor holds the dequantised weights: it predicts exactly as the
 * stored bits say, through the same code as any model.
 */
public enum WeightPrecision {

	/** 8 bytes a weight: what training writes. */
	FLOAT64("float64"),

	/** 2 bytes a weight: IEEE binary16, round to nearest even ({@link Float16}). */
	FLOAT16("float16"),

	/**
	 * 1 byte a weight: symmetric int8 in [-127, 127] with one float32 scale per output
	 * neuron (max |w| / 127 of that neuron's incoming weights; a single-output layer has
	 * one scale for the whole matrix).
	 */
	INT8("int8");

	private final String wireName;

	WeightPrecision(String wireName) {
		this.wireName = wireName;
	}

	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	/** The precision of a wire name; null for an unknown one. */
	@JsonCreator
	public static WeightPrecision fromWire(String name) {
		for (WeightPrecision p : values()) {
			if (p.wireName.equals(name)) {
				return p;
			}
		}
		return null;
	}

}
