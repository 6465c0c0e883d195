package io.fitserve.datasets;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Enforces the upload size limit on a raw request body as it streams (the body may be
 * chunked, with no Content-Length to check up front), and remembers whether reading the
 * body itself failed, so that a client that went away is told apart from a server-side
 * failure.
 */
final class LimitedInputStream extends FilterInputStream {

	private final long maxBytes;

	private long count;

	private boolean readFailed;

	LimitedInputStream(InputStream in, long maxBytes) {
		super(in);
		this.maxBytes = maxBytes;
	}

	/** Whether a read of the underlying stream threw. */
	boolean readFailed() {
		return this.readFailed;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int r = read(one, 0, 1);
		return r < 0 ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int r;
		try {
			r = this.in.read(b, off, len);
		}
		catch (IOException ex) {
			this.readFailed = true;
			throw ex;
		}
		if (r > 0) {
			this.count += r;
			if (this.count > this.maxBytes) {
				// Same exception (and so the same 413 problem) as an oversized multipart
				// upload.
				throw new MaxUploadSizeExceededException(this.maxBytes);
			}
		}
		return r;
	}

	@Override
	public long skip(long n) throws IOException {
		// Skipped bytes count too; read through the limit check.
		byte[] buf = new byte[(int) Math.min(n, 8192)];
		long done = 0;
		while (done < n) {
			int r = read(buf, 0, (int) Math.min(buf.length, n - done));
			if (r < 0) {
				break;
			}
			done += r;
		}
		return done;
	}

	@Override
	public boolean markSupported() {
		return false;
	}

}
