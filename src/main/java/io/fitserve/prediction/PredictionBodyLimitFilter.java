package io.fitserve.prediction;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.fitserve.web.BodyTooLargeException;
import io.fitserve.web.ProblemWriter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of {@code POST /api/v1/models/{id}/predictions} (and of the other
 * prediction routes: the registry's, MLflow's invocations, KServe V2's infer) by
 * {@code fitserve.prediction.max-body-size}: a declared Content-Length over it is
 * answered 413 before a byte is read, and a chunked body (or one longer than it declared)
 * fails with 413 as soon as it passes the limit, so no prediction body is ever held in
 * memory beyond the limit.
 */
@Component
class PredictionBodyLimitFilter extends OncePerRequestFilter {

	static final String PROPERTY = "fitserve.prediction.max-body-size";

	private final PredictionProperties properties;

	private final ProblemWriter problems;

	PredictionBodyLimitFilter(PredictionProperties properties, ProblemWriter problems) {
		this.properties = properties;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contentType = request.getContentType();
		// a CSV body sent to a model's predictions is batch scoring: streamed in chunks,
		// so any size is fine
		boolean batchCsv = contentType != null && contentType.regionMatches(true, 0, "text/csv", 0, 8)
				&& uri.startsWith("/api/v1/models/") && uri.endsWith("/predictions");
		return !"POST".equals(request.getMethod()) || !isPredictionPath(uri) || batchCsv;
	}

	/**
	 * Every route that predicts: by model id, through the registry, MLflow's invocations
	 * and KServe V2's infer.
	 */
	static boolean isPredictionPath(String uri) {
		return (uri.startsWith("/api/v1/models/") && uri.endsWith("/predictions"))
				|| (uri.startsWith("/api/v1/registered-models/")
						&& (uri.endsWith("/predictions") || uri.endsWith("/invocations")))
				|| (uri.startsWith("/v2/models/") && uri.endsWith("/infer"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long max = this.properties.maxBodySize().toBytes();
		if (request.getContentLengthLong() > max) {
			BodyTooLargeException tooLarge = new BodyTooLargeException(this.properties.maxBodySize(), PROPERTY);
			// sent now, complete (Content-Length) and with Connection: close, so the
			// client has its answer while the unread body is still on its way and can
			// stop sending
			response.setHeader(HttpHeaders.CONNECTION, "close");
			if (request.getRequestURI().startsWith("/v2/")) {
				// the KServe V2 protocol's error shape
				this.problems.writeError(response, HttpStatus.CONTENT_TOO_LARGE, tooLarge.detail());
				return;
			}
			this.problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "content-too-large", "Request body too large",
					tooLarge.detail());
			return;
		}
		chain.doFilter(new Limited(request, max, this.properties), response);
	}

	private static final class Limited extends HttpServletRequestWrapper {

		private final long max;

		private final PredictionProperties properties;

		private ServletInputStream stream;

		Limited(HttpServletRequest request, long max, PredictionProperties properties) {
			super(request);
			this.max = max;
			this.properties = properties;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedServletInputStream(super.getInputStream(), this.max, this.properties);
			}
			return this.stream;
		}

	}

	private static final class LimitedServletInputStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long max;

		private final PredictionProperties properties;

		private long count;

		LimitedServletInputStream(ServletInputStream in, long max, PredictionProperties properties) {
			this.in = in;
			this.max = max;
			this.properties = properties;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int r = this.in.read(b, off, len);
			if (r > 0) {
				count(r);
			}
			return r;
		}

		private void count(int n) throws IOException {
			this.count += n;
			if (this.count > this.max) {
				throw new BodyTooLargeException(this.properties.maxBodySize(), PROPERTY);
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

		@Override
		public int available() throws IOException {
			return this.in.available();
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

}
