package io.fitserve.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import com.github.luben.zstd.Zstd;

/**
 * A stream of bytes stored as independently checked segments, optionally zstd-compressed
 * and AES-256-GCM encrypted (compress, then encrypt), so that files of any size are
 * written and read with memory bounded by the segment size.
 *
 * <p>
 * Layout, little endian. File header (40 bytes): magic (int, chosen by the caller),
 * version (int), flags (byte: 1 zstd, 2 AES-256-GCM), 3 zero bytes, segment size (int:
 * most plaintext bytes per segment), key id (8 bytes, zero when not encrypted), file
 * nonce (12 random bytes, zero when not encrypted), CRC32C of the 36 bytes before it.
 * Then segments: stored length (int), plaintext length (int), segment flags (byte: 1
 * final, 2 zstd), the stored bytes and, when not encrypted, a CRC32C of (segment index as
 * a long, the 9 segment header bytes, the stored bytes).
 *
 * <p>
 * Encrypted, each segment's stored bytes are the GCM ciphertext and 16-byte tag of its
 * (compressed) plaintext, under the nonce "file nonce with its last 8 bytes XORed with
 * the segment index", with the whole file header, the segment index and the segment
 * header as additional authenticated data. So a flipped bit anywhere, a segment moved,
 * dropped or taken from another file, a header edit or a file cut short (no final
 * segment) all fail, and a file under another key is recognised by its key id before any
 * decryption.
 */
public final class SegmentedFile {

	public static final int HEADER_BYTES = 40;

	public static final int DEFAULT_SEGMENT_SIZE = 1 << 20;

	static final int MAX_SEGMENT_SIZE = 16 << 20;

	static final int FLAG_ZSTD = 1;

	static final int FLAG_AES_GCM = 2;

	static final int SEGMENT_FINAL = 1;

	static final int SEGMENT_ZSTD = 2;

	static final int SEGMENT_HEADER_BYTES = 9;

	private static final int TAG_BITS = 128;

	private static final int TAG_BYTES = TAG_BITS / 8;

	private static final int NONCE_BYTES = 12;

	private static final SecureRandom RANDOM = new SecureRandom();

	private SegmentedFile() {
	}

	/**
	 * Writes the file header to {@code out} and returns a channel whose bytes become
	 * segments; closing it writes the final segment but leaves {@code out} open.
	 */
	public static WritableByteChannel writer(WritableByteChannel out, int magic, int version, StorageCodec codec,
			int segmentSize) throws IOException {
		if (segmentSize < 1 || segmentSize > MAX_SEGMENT_SIZE) {
			throw new IllegalArgumentException("segment size " + segmentSize);
		}
		return new Writer(out, magic, version, codec, segmentSize);
	}

	/**
	 * Reads and checks the file header from {@code in}; the returned channel yields the
	 * plaintext, checking every segment before handing out any of its bytes, and fails
	 * with {@link CorruptFileException}.
	 */
	public static ReadableByteChannel reader(ReadableByteChannel in, int magic, int version, StorageCodec codec,
			String what) throws IOException {
		return new Reader(in, magic, version, codec, what);
	}

	/** The whole of {@code plain} as one segmented file in memory. */
	public static byte[] seal(byte[] plain, int magic, int version, StorageCodec codec) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length + HEADER_BYTES + 64);
		try (WritableByteChannel w = writer(Channels.newChannel(bytes), magic, version, codec,
				Math.max(1, Math.min(DEFAULT_SEGMENT_SIZE, plain.length)))) {
			w.write(ByteBuffer.wrap(plain));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex); // in memory: cannot happen
		}
		return bytes.toByteArray();
	}

	/** Reverses {@link #seal}. */
	public static byte[] unseal(byte[] sealed, int magic, int version, StorageCodec codec, String what)
			throws CorruptFileException {
		try (ReadableByteChannel r = reader(Channels.newChannel(new java.io.ByteArrayInputStream(sealed)), magic,
				version, codec, what)) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(sealed.length);
			ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
			while (r.read(buf) >= 0) {
				out.write(buf.array(), 0, buf.position());
				buf.clear();
			}
			return out.toByteArray();
		}
		catch (CorruptFileException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw new CorruptFileException("corrupt " + what + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether {@code bytes} begin with a segmented file header with this magic (not
	 * checked further).
	 */
	public static boolean hasMagic(byte[] bytes, int magic) {
		return bytes.length >= 4 && ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() == magic;
	}

	private static byte[] nonce(byte[] fileNonce, long index) {
		byte[] nonce = fileNonce.clone();
		for (int i = 0; i < 8; i++) {
			nonce[NONCE_BYTES - 1 - i] ^= (byte) (index >>> (8 * i));
		}
		return nonce;
	}

	private static byte[] longLe(long v) {
		return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
	}

	private static int maxStored(int segmentSize) {
		return (int) Math.min(Integer.MAX_VALUE - 64, Zstd.compressBound(segmentSize) + TAG_BYTES);
	}

	private static void writeFully(WritableByteChannel out, byte[] b, int off, int len) throws IOException {
		ByteBuffer buf = ByteBuffer.wrap(b, off, len);
		while (buf.hasRemaining()) {
			out.write(buf);
		}
	}

	/**
	 * Seals full segments (compress, then encrypt or checksum) on all cores while the
	 * caller fills the next: deterministic per segment, so the file's bytes are the same
	 * as sealing them one after the other. Daemon threads, one per core.
	 */
	private static final class Sealers {

		static final int THREADS = Runtime.getRuntime().availableProcessors();

		static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors
			.newFixedThreadPool(THREADS, r -> {
				Thread t = new Thread(r, "segment-sealer");
				t.setDaemon(true);
				return t;
			});

	}

	/**
	 * A segment's buffers: its plaintext, and room for its compressed and sealed bytes.
	 */
	private static final class Slot {

		final byte[] plain;

		final byte[] packed;

		final byte[] sealed;

		int filled;

		/** What {@link Writer#seal} made: the bytes to write, in sealed[0..length). */
		int length;

		Slot(int segmentSize, StorageCodec codec) {
			this.plain = new byte[segmentSize];
			this.packed = codec.compress() ? new byte[(int) Zstd.compressBound(segmentSize)] : null;
			this.sealed = new byte[SEGMENT_HEADER_BYTES + maxStored(segmentSize) + 4];
		}

	}

	private static final class Writer implements WritableByteChannel {

		private final WritableByteChannel out;

		private final StorageCodec codec;

		private final byte[] header;

		private final byte[] fileNonce;

		private final int segmentSize;

		/** Segments being sealed, oldest first; written in this order. */
		private final java.util.ArrayDeque<java.util.concurrent.Future<Slot>> sealing = new java.util.ArrayDeque<>();

		private final java.util.ArrayDeque<Slot> free = new java.util.ArrayDeque<>();

		/** Segments sealed at once (one per core) while the next one is filled. */
		private final int inFlight;

		private Slot current;

		private long index;

		private boolean open = true;

		Writer(WritableByteChannel out, int magic, int version, StorageCodec codec, int segmentSize)
				throws IOException {
			this.out = out;
			this.codec = codec;
			this.segmentSize = segmentSize;
			this.fileNonce = new byte[NONCE_BYTES];
			byte[] keyId = new byte[8];
			if (codec.encrypted()) {
				RANDOM.nextBytes(this.fileNonce);
				keyId = codec.key().idBytes();
			}
			int flags = (codec.compress() ? FLAG_ZSTD : 0) | (codec.encrypted() ? FLAG_AES_GCM : 0);
			ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
			h.putInt(magic)
				.putInt(version)
				.put((byte) flags)
				.put(new byte[3])
				.putInt(segmentSize)
				.put(keyId)
				.put(this.fileNonce);
			CRC32C crc = new CRC32C();
			crc.update(h.array(), 0, h.position());
			h.putInt((int) crc.getValue());
			this.header = h.array();
			// plain segments (no compression, no encryption) cost a copy and a checksum:
			// not worth a hand-off
			this.inFlight = (Sealers.THREADS > 1 && (codec.compress() || codec.encrypted())) ? Sealers.THREADS : 0;
			this.current = new Slot(segmentSize, codec);
			writeFully(out, this.header, 0, HEADER_BYTES);
		}

		@Override
		public int write(ByteBuffer src) throws IOException {
			if (!this.open) {
				throw new java.nio.channels.ClosedChannelException();
			}
			int n = src.remaining();
			while (src.hasRemaining()) {
				if (this.current.filled == this.segmentSize) {
					emit(false);
				}
				int k = Math.min(src.remaining(), this.segmentSize - this.current.filled);
				src.get(this.current.plain, this.current.filled, k);
				this.current.filled += k;
			}
			return n;
		}

		private void emit(boolean last) throws IOException {
			Slot slot = this.current;
			long segment = this.index++;
			if (this.inFlight == 0) {
				seal(slot, segment, last);
				writeFully(this.out, slot.sealed, 0, slot.length);
				slot.filled = 0;
				return;
			}
			this.sealing.add(Sealers.POOL.submit(() -> seal(slot, segment, last)));
			while (this.sealing.size() > this.inFlight || (last && !this.sealing.isEmpty())) {
				writeOldest();
			}
			Slot next = this.free.poll();
			this.current = (next != null) ? next : new Slot(this.segmentSize, this.codec);
		}

		private void writeOldest() throws IOException {
			Slot done;
			try {
				done = this.sealing.remove().get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new java.io.InterruptedIOException("interrupted while sealing a segment");
			}
			catch (java.util.concurrent.ExecutionException ex) {
				if (ex.getCause() instanceof IOException io) {
					throw io;
				}
				throw new IllegalStateException(ex.getCause());
			}
			writeFully(this.out, done.sealed, 0, done.length);
			done.filled = 0;
			this.free.add(done);
		}

		/**
		 * Compresses, then encrypts or checksums, the slot's segment into slot.sealed.
		 */
		private Slot seal(Slot slot, long segment, boolean last) throws IOException {
			byte[] body = slot.plain;
			int length = slot.filled;
			int flags = last ? SEGMENT_FINAL : 0;
			if (this.codec.compress() && slot.filled > 0) {
				long r = Zstd.compressByteArray(slot.packed, 0, slot.packed.length, slot.plain, 0, slot.filled,
						this.codec.level());
				if (Zstd.isError(r)) {
					throw new IOException("zstd compression failed: " + Zstd.getErrorName(r));
				}
				if (r < slot.filled) {
					body = slot.packed;
					length = (int) r;
					flags |= SEGMENT_ZSTD;
				}
			}
			int stored = this.codec.encrypted() ? length + TAG_BYTES : length;
			ByteBuffer.wrap(slot.sealed, 0, SEGMENT_HEADER_BYTES)
				.order(ByteOrder.LITTLE_ENDIAN)
				.putInt(stored)
				.putInt(slot.filled)
				.put((byte) flags);
			byte[] index = longLe(segment);
			if (this.codec.encrypted()) {
				try {
					Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
					cipher.init(Cipher.ENCRYPT_MODE, this.codec.key().fileKey(),
							new GCMParameterSpec(TAG_BITS, nonce(this.fileNonce, segment)));
					cipher.updateAAD(this.header);
					cipher.updateAAD(index);
					cipher.updateAAD(slot.sealed, 0, SEGMENT_HEADER_BYTES);
					int n = cipher.doFinal(body, 0, length, slot.sealed, SEGMENT_HEADER_BYTES);
					slot.length = SEGMENT_HEADER_BYTES + n;
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException("AES-GCM encryption failed", ex);
				}
			}
			else {
				CRC32C crc = new CRC32C();
				crc.update(index);
				crc.update(slot.sealed, 0, SEGMENT_HEADER_BYTES);
				crc.update(body, 0, length);
				System.arraycopy(body, 0, slot.sealed, SEGMENT_HEADER_BYTES, length);
				ByteBuffer.wrap(slot.sealed, SEGMENT_HEADER_BYTES + length, 4)
					.order(ByteOrder.LITTLE_ENDIAN)
					.putInt((int) crc.getValue());
				slot.length = SEGMENT_HEADER_BYTES + length + 4;
			}
			return slot;
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		/** Writes the final segment; leaves the underlying channel open. */
		@Override
		public void close() throws IOException {
			if (this.open) {
				this.open = false;
				emit(true);
			}
		}

	}

	private static final class Reader implements ReadableByteChannel {

		private final ReadableByteChannel in;

		private final StorageCodec codec;

		private final String what;

		private final byte[] header;

		private final boolean zstd;

		private final boolean encrypted;

		private final int segmentSize;

		private final byte[] fileNonce;

		private final byte[] stored;

		private final byte[] opened;

		private final byte[] plain;

		private final Cipher cipher;

		private ByteBuffer current = ByteBuffer.allocate(0);

		private long index;

		private boolean finalSeen;

		private boolean open = true;

		Reader(ReadableByteChannel in, int magic, int version, StorageCodec codec, String what) throws IOException {
			this.in = in;
			this.codec = codec;
			this.what = what;
			this.header = new byte[HEADER_BYTES];
			if (!readFully(this.header, HEADER_BYTES)) {
				throw corrupt("truncated header");
			}
			ByteBuffer h = ByteBuffer.wrap(this.header).order(ByteOrder.LITTLE_ENDIAN);
			if (h.getInt() != magic) {
				throw corrupt("bad magic");
			}
			int v = h.getInt();
			if (v != version) {
				throw corrupt("unsupported version " + v);
			}
			int flags = h.get();
			h.position(h.position() + 3);
			this.segmentSize = h.getInt();
			byte[] keyId = new byte[8];
			h.get(keyId);
			this.fileNonce = new byte[NONCE_BYTES];
			h.get(this.fileNonce);
			CRC32C crc = new CRC32C();
			crc.update(this.header, 0, HEADER_BYTES - 4);
			if (h.getInt() != (int) crc.getValue()) {
				throw corrupt("header checksum mismatch");
			}
			if ((flags & ~(FLAG_ZSTD | FLAG_AES_GCM)) != 0 || this.segmentSize < 1
					|| this.segmentSize > MAX_SEGMENT_SIZE) {
				throw corrupt("bad header");
			}
			this.zstd = (flags & FLAG_ZSTD) != 0;
			this.encrypted = (flags & FLAG_AES_GCM) != 0;
			if (this.encrypted) {
				if (!codec.encrypted()) {
					throw new CorruptFileException(what + " is encrypted (key id " + HexFormat.of().formatHex(keyId)
							+ ") but no encryption key is configured");
				}
				if (!Arrays.equals(keyId, codec.key().idBytes())) {
					throw new CorruptFileException(what + " is encrypted under key id "
							+ HexFormat.of().formatHex(keyId) + ", not the configured key id " + codec.key().id());
				}
				try {
					this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException(ex);
				}
			}
			else {
				this.cipher = null;
			}
			// allocated once the header is known good: a flipped size cannot ask for a
			// huge buffer
			this.stored = new byte[maxStored(this.segmentSize)];
			this.opened = this.encrypted ? new byte[maxStored(this.segmentSize)] : null;
			this.plain = this.zstd ? new byte[this.segmentSize] : null;
		}

		private CorruptFileException corrupt(String why) {
			return new CorruptFileException("corrupt " + this.what + ": " + why);
		}

		/**
		 * False at a clean end of input before the first byte; a partial read is a
		 * truncation.
		 */
		private boolean readFully(byte[] b, int len) throws IOException {
			ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
			while (buf.hasRemaining()) {
				if (this.in.read(buf) < 0) {
					if (buf.position() == 0) {
						return false;
					}
					throw corrupt("truncated");
				}
			}
			return true;
		}

		@Override
		public int read(ByteBuffer dst) throws IOException {
			if (!dst.hasRemaining()) {
				return 0;
			}
			while (!this.current.hasRemaining()) {
				if (this.finalSeen) {
					return -1;
				}
				next();
			}
			int n = Math.min(dst.remaining(), this.current.remaining());
			dst.put(dst.position(), this.current, this.current.position(), n);
			dst.position(dst.position() + n);
			this.current.position(this.current.position() + n);
			return n;
		}

		private void next() throws IOException {
			byte[] segmentHeader = new byte[SEGMENT_HEADER_BYTES];
			if (!readFully(segmentHeader, SEGMENT_HEADER_BYTES)) {
				throw corrupt("truncated (no final segment)");
			}
			ByteBuffer sh = ByteBuffer.wrap(segmentHeader).order(ByteOrder.LITTLE_ENDIAN);
			int storedLength = sh.getInt();
			int plainLength = sh.getInt();
			int flags = sh.get();
			boolean packed = (flags & SEGMENT_ZSTD) != 0;
			if (storedLength < 0 || storedLength > this.stored.length || plainLength < 0
					|| plainLength > this.segmentSize || (flags & ~(SEGMENT_FINAL | SEGMENT_ZSTD)) != 0
					|| packed && !this.zstd || this.encrypted && storedLength < TAG_BYTES) {
				throw corrupt("bad header in segment " + this.index);
			}
			if (storedLength > 0 && !readFully(this.stored, storedLength)) {
				throw corrupt("truncated in segment " + this.index);
			}
			byte[] index = longLe(this.index);
			byte[] body;
			int length;
			if (this.encrypted) {
				try {
					this.cipher.init(Cipher.DECRYPT_MODE, this.codec.key().fileKey(),
							new GCMParameterSpec(TAG_BITS, nonce(this.fileNonce, this.index)));
					this.cipher.updateAAD(this.header);
					this.cipher.updateAAD(index);
					this.cipher.updateAAD(segmentHeader);
					length = this.cipher.doFinal(this.stored, 0, storedLength, this.opened, 0);
				}
				catch (AEADBadTagException ex) {
					throw corrupt("authentication failed in segment " + this.index
							+ " (modified, reordered or from another file)");
				}
				catch (GeneralSecurityException ex) {
					throw corrupt("cannot decrypt segment " + this.index);
				}
				body = this.opened;
			}
			else {
				byte[] sum = new byte[4];
				if (!readFully(sum, 4)) {
					throw corrupt("truncated in segment " + this.index);
				}
				CRC32C crc = new CRC32C();
				crc.update(index);
				crc.update(segmentHeader);
				crc.update(this.stored, 0, storedLength);
				if (ByteBuffer.wrap(sum).order(ByteOrder.LITTLE_ENDIAN).getInt() != (int) crc.getValue()) {
					throw corrupt("checksum mismatch in segment " + this.index);
				}
				body = this.stored;
				length = storedLength;
			}
			if (packed) {
				long r = Zstd.decompressByteArray(this.plain, 0, plainLength, body, 0, length);
				if (Zstd.isError(r) || r != plainLength) {
					throw corrupt("cannot decompress segment " + this.index);
				}
				this.current = ByteBuffer.wrap(this.plain, 0, plainLength);
			}
			else {
				if (length != plainLength) {
					throw corrupt("bad length in segment " + this.index);
				}
				this.current = ByteBuffer.wrap(body, 0, plainLength);
			}
			this.index++;
			if ((flags & SEGMENT_FINAL) != 0) {
				this.finalSeen = true;
				ByteBuffer probe = ByteBuffer.allocate(1);
				int n;
				while ((n = this.in.read(probe)) == 0) {
					// a blocking channel returns 0 only for an empty buffer; keep asking
				}
				if (n > 0) {
					throw corrupt("bytes after the final segment");
				}
			}
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		/** Leaves the underlying channel open. */
		@Override
		public void close() {
			this.open = false;
		}

	}

}
