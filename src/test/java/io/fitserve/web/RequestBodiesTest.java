package io.fitserve.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A body is read whole whether or not it declares its length, and whatever its size; a
 * declared length only sizes the array.
 */
class RequestBodiesTest {

	@Test
	void aDeclaredSmallBodyIsReadExactly() throws IOException {
		byte[] body = "{\"rows\":[{\"a\":1}]}".getBytes(StandardCharsets.UTF_8);
		assertThat(RequestBodies.read(request(body, body.length))).isEqualTo(body);
		assertThat(RequestBodies.read(request(new byte[0], 0))).isEmpty();
	}

	@Test
	void aBodyShorterThanDeclaredEndsWhereItEnds() throws IOException {
		byte[] body = "{\"rows\":[]}".getBytes(StandardCharsets.UTF_8);
		assertThat(RequestBodies.read(request(body, 100))).isEqualTo(body);
	}

	@Test
	void undeclaredAndLargeBodiesAreReadWhole() throws IOException {
		byte[] large = new byte[RequestBodies.PRESIZED * 3 + 17];
		Arrays.fill(large, (byte) '7');
		large[large.length - 1] = '}';
		assertThat(RequestBodies.read(request(large, -1))).isEqualTo(large);
		assertThat(RequestBodies.read(request(large, large.length))).isEqualTo(large);
		byte[] small = "{}".getBytes(StandardCharsets.UTF_8);
		assertThat(RequestBodies.read(request(small, -1))).isEqualTo(small);
	}

	@Test
	void whatTheStreamThrowsPassesThrough() {
		MockHttpServletRequest request = new MockHttpServletRequest() {

			@Override
			public ServletInputStream getInputStream() {
				return new Stream(new byte[0]) {

					@Override
					public int read(byte[] b, int off, int len) throws IOException {
						throw new BodyTooLargeException(DataSize.ofKilobytes(1), "fitserve.prediction.max-body-size");
					}

				};
			}

			@Override
			public long getContentLengthLong() {
				return 10;
			}

		};
		assertThatThrownBy(() -> RequestBodies.read(request)).isInstanceOf(BodyTooLargeException.class);
	}

	/**
	 * A request whose body is content and whose Content-Length is declared (-1: none).
	 */
	private static MockHttpServletRequest request(byte[] content, long declared) {
		return new MockHttpServletRequest() {

			private final Stream stream = new Stream(content);

			@Override
			public ServletInputStream getInputStream() {
				return this.stream;
			}

			@Override
			public long getContentLengthLong() {
				return declared;
			}

			@Override
			public int getContentLength() {
				return (int) declared;
			}

		};
	}

	/** A servlet stream over bytes that hands out at most 1000 bytes per read. */
	private static class Stream extends ServletInputStream {

		private final ByteArrayInputStream in;

		Stream(byte[] content) {
			this.in = new ByteArrayInputStream(content);
		}

		@Override
		public int read() {
			return this.in.read();
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			return this.in.read(b, off, Math.min(len, 1000));
		}

		@Override
		public boolean isFinished() {
			return this.in.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException();
		}

	}

}
