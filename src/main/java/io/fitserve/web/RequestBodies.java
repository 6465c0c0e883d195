package io.fitserve.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads a request body whole, for the endpoints that parse it from bytes (predictions,
 * MLflow invocations).
 *
 * <p>
 * {@link InputStream#readAllBytes()} starts every body with an 8 KB buffer and copies the
 * result out of it: for a one-row prediction (about 100 bytes) that was 30% of all the
 * memory a request allocated, and so of the young collections that pause serving. A body
 * whose Content-Length is at most {@link #PRESIZED} is read into an array of exactly that
 * size instead. Larger or undeclared bodies are read as before, as they arrive, so a
 * client cannot make the server set aside memory it has not sent.
 */
public final class RequestBodies {

	/** The largest declared length read into one array allocated up front (64 KB). */
	public static final int PRESIZED = 64 * 1024;

	private RequestBodies() {
	}

	/**
	 * The request's body; what a limiting stream throws (the body past its bound) passes
	 * through.
	 */
	public static byte[] read(HttpServletRequest request) throws IOException {
		InputStream in = request.getInputStream();
		long declared = request.getContentLengthLong();
		if (declared < 0 || declared > PRESIZED) {
			return in.readAllBytes();
		}
		byte[] body = new byte[(int) declared];
		int read = in.readNBytes(body, 0, body.length);
		// a body cut short ends where it ends, as readAllBytes would have it
		return read == body.length ? body : Arrays.copyOf(body, read);
	}

}
