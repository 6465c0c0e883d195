package io.fitserve.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The segmented, compressed, encrypted file format: round trips and every kind of damage
 * detected.
 */
class SegmentedFileTest {

	private static final int MAGIC = 0x54534554; // "TEST"

	private static final StorageKey KEY = StorageKey.parse(key(1));

	private static final StorageKey OTHER_KEY = StorageKey.parse(key(2));

	private static final StorageCodec ENCRYPTED = StorageCodec.DEFAULT.withKey(KEY);

	private static String key(int seed) {
		byte[] raw = new byte[32];
		new Random(seed).nextBytes(raw);
		return Base64.getEncoder().encodeToString(raw);
	}

	/**
	 * Compressible text then random bytes, over several segments of {@code segment}
	 * bytes.
	 */
	private static byte[] data(int size) {
		byte[] b = new byte[size];
		Random random = new Random(7);
		for (int i = 0; i < size; i++) {
			b[i] = i < size / 2 ? (byte) ('a' + i % 13) : (byte) random.nextInt();
		}
		return b;
	}

	private static byte[] write(byte[] plain, StorageCodec codec, int segment) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (WritableByteChannel w = SegmentedFile.writer(Channels.newChannel(out), MAGIC, 1, codec, segment)) {
			// uneven writes: segment boundaries must not depend on them
			int off = 0;
			while (off < plain.length) {
				int n = Math.min(777, plain.length - off);
				w.write(ByteBuffer.wrap(plain, off, n));
				off += n;
			}
		}
		return out.toByteArray();
	}

	private static byte[] read(byte[] file, StorageCodec codec) throws Exception {
		return SegmentedFile.unseal(file, MAGIC, 1, codec, "test file");
	}

	@Test
	void roundTripsEveryCodecAndSize() throws Exception {
		for (StorageCodec codec : new StorageCodec[] { StorageCodec.PLAIN, StorageCodec.DEFAULT, ENCRYPTED,
				ENCRYPTED.withoutCompression() }) {
			for (int size : new int[] { 0, 1, 4096, 4097, 50_000 }) {
				byte[] plain = data(size);
				assertThat(read(write(plain, codec, 4096), codec)).as("%s %d", codec, size).isEqualTo(plain);
			}
		}
		byte[] plain = data(100_000);
		assertThat(SegmentedFile.unseal(SegmentedFile.seal(plain, MAGIC, 1, ENCRYPTED), MAGIC, 1, ENCRYPTED, "x"))
			.isEqualTo(plain);
	}

	/**
	 * Segments are sealed on several threads while the next is filled; the bytes are
	 * those the one-segment-at-a-time writer wrote (SHA-256s taken from it, 13 segments).
	 */
	@Test
	void sealingOnSeveralThreadsWritesTheSameBytes() throws Exception {
		byte[] plain = data(50_000);
		assertThat(sha256(write(plain, StorageCodec.DEFAULT, 4096)))
			.isEqualTo("964cddb26a3aac070878680d1c1dbfd723f5a1b2df73e6d164857161122db57c");
		assertThat(sha256(write(plain, StorageCodec.PLAIN, 4096)))
			.isEqualTo("0988e96e904924e03c0aa870b4f4a40f3ba74faee9288fb81306aafb6f1a15a6");
	}

	private static String sha256(byte[] b) throws Exception {
		return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
	}

	@Test
	void compressesAndHidesThePlaintext() throws Exception {
		byte[] plain = new byte[100_000];
		Arrays.fill(plain, (byte) 'x');
		byte[] marker = "MARKER-0123456789".getBytes();
		System.arraycopy(marker, 0, plain, 5000, marker.length);
		assertThat(write(plain, StorageCodec.DEFAULT, 65536).length).isLessThan(1000);
		byte[] encrypted = write(plain, ENCRYPTED.withoutCompression(), 65536);
		assertThat(indexOf(encrypted, marker)).isEqualTo(-1);
		assertThat(indexOf(write(plain, StorageCodec.PLAIN, 65536), marker)).isGreaterThan(0);
		// a fresh random nonce per file: the same plaintext never gives the same
		// ciphertext
		assertThat(write(plain, ENCRYPTED, 65536)).isNotEqualTo(write(plain, ENCRYPTED, 65536));
	}

	@Test
	void aFlippedBitAnywhereIsDetected() throws Exception {
		byte[] plain = data(20_000);
		for (StorageCodec codec : new StorageCodec[] { ENCRYPTED, StorageCodec.DEFAULT, StorageCodec.PLAIN }) {
			byte[] file = write(plain, codec, 4096);
			// every byte of the header, the first segment header and the last 40 bytes
			// (last ciphertext and tag)
			for (int i = 0; i < file.length; i++) {
				if (i >= SegmentedFile.HEADER_BYTES + 64 && i < file.length - 40 && i % 97 != 0) {
					continue;
				}
				byte[] damaged = file.clone();
				damaged[i] ^= 0x10;
				int at = i;
				assertThatExceptionOfType(CorruptFileException.class).as("%s byte %d", codec, at)
					.isThrownBy(() -> read(damaged, codec));
			}
		}
	}

	@Test
	void truncationAndTrailingBytesAreDetected() throws Exception {
		byte[] plain = data(20_000);
		for (StorageCodec codec : new StorageCodec[] { ENCRYPTED, StorageCodec.PLAIN }) {
			byte[] file = write(plain, codec, 4096);
			for (int cut : new int[] { 0, 10, SegmentedFile.HEADER_BYTES, SegmentedFile.HEADER_BYTES + 5,
					file.length / 2, file.length - 1 }) {
				byte[] shorter = Arrays.copyOf(file, cut);
				assertThatExceptionOfType(CorruptFileException.class).as("%s cut at %d", codec, cut)
					.isThrownBy(() -> read(shorter, codec));
			}
			byte[] longer = Arrays.copyOf(file, file.length + 1);
			assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(longer, codec))
				.withMessageContaining("after the final segment");
		}
	}

	@Test
	void droppedOrReorderedSegmentsAreDetected() throws Exception {
		// with no compression every full segment has the same size: easy to cut and swap
		StorageCodec codec = ENCRYPTED.withoutCompression();
		int segment = 1000;
		byte[] file = write(data(3500), codec, segment);
		int stored = SegmentedFile.SEGMENT_HEADER_BYTES + segment + 16;
		int first = SegmentedFile.HEADER_BYTES;
		byte[] swapped = file.clone();
		System.arraycopy(file, first, swapped, first + stored, stored);
		System.arraycopy(file, first + stored, swapped, first, stored);
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(swapped, codec))
			.withMessageContaining("authentication failed in segment 0");
		byte[] dropped = new byte[file.length - stored];
		System.arraycopy(file, 0, dropped, 0, first);
		System.arraycopy(file, first + stored, dropped, first, file.length - first - stored);
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(dropped, codec));
		// everything up to (not including) the final segment: no final flag seen
		byte[] noFinal = Arrays.copyOf(file, first + 3 * stored);
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(noFinal, codec))
			.withMessageContaining("no final segment");
		// a segment taken from another file under the same key
		byte[] other = write(data(3500), codec, segment);
		byte[] spliced = file.clone();
		System.arraycopy(other, first, spliced, first, stored);
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(spliced, codec));
	}

	@Test
	void wrongOrMissingKeyIsRecognisedByItsId() throws Exception {
		byte[] file = write(data(5000), ENCRYPTED, 4096);
		assertThatExceptionOfType(CorruptFileException.class)
			.isThrownBy(() -> read(file, StorageCodec.DEFAULT.withKey(OTHER_KEY)))
			.withMessageContaining("key id " + KEY.id())
			.withMessageContaining(OTHER_KEY.id());
		assertThatExceptionOfType(CorruptFileException.class).isThrownBy(() -> read(file, StorageCodec.DEFAULT))
			.withMessageContaining("no encryption key is configured");
	}

	@Test
	void malformedKeysAreRefusedWithoutEchoingThem() {
		assertThatExceptionOfType(StorageConfigurationException.class).isThrownBy(() -> StorageKey.parse("not base64!"))
			.withMessageContaining("not valid base64")
			.withMessageNotContaining("not base64!");
		String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatExceptionOfType(StorageConfigurationException.class).isThrownBy(() -> StorageKey.parse(shortKey))
			.withMessageContaining("decodes to 16 bytes");
		assertThat(KEY.id()).hasSize(16).isNotEqualTo(OTHER_KEY.id());
		assertThat(KEY.toString()).doesNotContain(key(1));
		assertThat(KEY.h2FilePassword()).doesNotContain(" ").hasSize(64);
	}

	static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
