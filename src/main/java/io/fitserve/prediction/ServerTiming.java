package io.fitserve.prediction;

/**
 * The {@code Server-Timing} header every prediction endpoint answers with: the server's
 * own time.
 */
public final class ServerTiming {

	public static final String HEADER = "Server-Timing";

	private ServerTiming() {
	}

	/**
	 * "predict;dur=" and the milliseconds with 3 decimals (String.format costs more than
	 * a small prediction).
	 */
	public static String of(long nanos) {
		long micros = Math.max(0, (nanos + 500) / 1000);
		long fraction = micros % 1000;
		return "predict;dur=" + micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
	}

}
