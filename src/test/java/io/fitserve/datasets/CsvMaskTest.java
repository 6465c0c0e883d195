package io.fitserve.datasets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.fitserve.errors.DomainException;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upload option mask and personal-data detection in the parser: masked cells are
 * stored as tokens or shapes, dropped columns not at all, profiles flag personal data
 * read before masking, and the parallel parse gives the same.
 */
class CsvMaskTest {

	private static final IngestLimits LIMITS = new IngestLimits(100, 1_000_000);

	private static final Pseudonymizer PSEUDONYMIZER = Pseudonymizer.withKey(new byte[32]);

	private static ExecutorService pool;

	@BeforeAll
	static void startPool() {
		pool = Executors.newFixedThreadPool(3);
	}

	@AfterAll
	static void stopPool() {
		pool.shutdownNow();
	}

	private static IngestResult ingest(String csv, String mask, CsvIngest.Parallelism parallel) {
		return CsvIngest.ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), LIMITS, parallel,
				ColumnMasks.parse(mask, PSEUDONYMIZER));
	}

	private static final String CSV = """
			id,email,name,card,phone,iban,score
			1,alice@example.com,Alice Smith,4111 1111 1111 1111,+44 20 7946 0958,GB82 WEST 1234 5698 7654 32,0.5
			2,bob@example.org,Bob Jones,5500 0000 0000 0004,(555) 123-4567,DE89370400440532013000,1.5
			3,alice@example.com,Alice Smith,NA,555-1234,FR1420041010050500013M02606,2.5
			4,,Carol King,378282246310005,+1 (212) 555-0100,GB82WEST12345698765432,3.5
			""";

	@Test
	void masksWhileParsing() {
		IngestResult r = ingest(CSV, "{\"email\":\"pseudonymize\",\"name\":\"drop\",\"card\":\"redact\"}", null);
		assertThat(r.droppedColumns()).containsExactly("name");
		assertThat(r.frame().columns()).extracting(ColumnData::name)
			.containsExactly("id", "email", "card", "phone", "iban", "score");
		ColumnData email = r.frame().column("email");
		String alice = PSEUDONYMIZER.token("alice@example.com");
		String bob = PSEUDONYMIZER.token("bob@example.org");
		assertThat(email.type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(email.levels()).containsExactly(alice, bob);
		assertThat(email.codes()).containsExactly(0, 1, 0, -1);
		ColumnData card = r.frame().column("card");
		// NA stays missing; a redacted column stays categorical
		assertThat(card.levels()).containsExactly("9999 9999 9999 9999", "999999999999999");
		assertThat(card.codes()).containsExactly(0, 0, -1, 1);
		Map<String, ColumnSchema> schema = r.schema()
			.stream()
			.collect(java.util.stream.Collectors.toMap(ColumnSchema::name, s -> s));
		assertThat(schema.get("email").mask()).isEqualTo(MaskMode.PSEUDONYMIZE);
		assertThat(schema.get("card").mask()).isEqualTo(MaskMode.REDACT);
		assertThat(schema.get("phone").mask()).isNull();
		// the profile's top values hold tokens and shapes only; the flags come from the
		// raw values, read before the mask
		assertThat(schema.get("email").profile().topValues()).containsExactly(new ValueCount(alice, 2),
				new ValueCount(bob, 1));
		assertThat(schema.get("email").profile().piiSuspected()).isTrue();
		assertThat(schema.get("email").profile().piiKind()).isEqualTo("email");
		assertThat(schema.get("card").profile().piiKind()).isEqualTo("card");
		assertThat(schema.get("phone").profile().piiKind()).isEqualTo("phone");
		assertThat(schema.get("iban").profile().piiKind()).isEqualTo("iban");
		assertThat(schema.get("id").profile().piiSuspected()).isFalse();
		assertThat(schema.get("id").profile().piiKind()).isNull();
		assertThat(schema.get("score").profile().piiSuspected()).isFalse();
	}

	@Test
	void digitsOnlyCardsAreFlaggedInANumericColumnAndMaskedAsText() {
		// 16-digit numbers read as numbers: still flagged when they pass Luhn
		String csv = "card,n\n4111111111111111,1\n5500000000000004,2\n6011000990139424,3\n4012888888881881,4\n";
		IngestResult plain = ingest(csv, null, null);
		assertThat(plain.schema().get(0).type()).isEqualTo(ColumnType.NUMERIC);
		assertThat(plain.schema().get(0).profile().piiKind()).isEqualTo("card");
		IngestResult masked = ingest(csv, "{\"card\":\"redact\"}", null);
		assertThat(masked.schema().get(0).type()).isEqualTo(ColumnType.CATEGORICAL);
		assertThat(masked.frame().column("card").levels()).containsExactly("9999999999999999");
		// 16-digit numbers failing Luhn (each last digit +1) are no cards
		String nearMiss = "card,n\n4111111111111112,1\n5500000000000005,2\n6011000990139425,3\n4012888888881882,4\n";
		assertThat(ingest(nearMiss, null, null).schema().get(0).profile().piiSuspected()).isFalse();
	}

	@Test
	void aColumnIsSuspectedFromEightyPercentOfItsSample() {
		// 4 of 5 e-mail addresses: 80%, flagged; 3 of 5: not
		String four = "c\na@example.com\nb@example.com\nc@example.com\nd@example.com\nnobody\n";
		String three = "c\na@example.com\nb@example.com\nc@example.com\nnobody\nnone\n";
		assertThat(ingest(four, null, null).schema().get(0).profile().piiKind()).isEqualTo("email");
		assertThat(ingest(three, null, null).schema().get(0).profile().piiSuspected()).isFalse();
	}

	@Test
	void theParallelParseMasksAndFlagsTheSame() {
		StringBuilder csv = new StringBuilder("id,email,name,note\n");
		for (int i = 0; i < 5000; i++) {
			// the first 256 e-mails are all addresses; later rows are not, so a chunk
			// that
			// sampled on its own would see otherwise
			String email = i < 300 ? "user" + (i % 50) + "@example.com" : "none" + i;
			csv.append(i)
				.append(',')
				.append(email)
				.append(",Name ")
				.append(i % 7)
				.append(",x")
				.append(i % 3)
				.append('\n');
		}
		String mask = "{\"email\":\"pseudonymize\",\"name\":\"drop\",\"note\":\"redact\"}";
		IngestResult sequential = ingest(csv.toString(), mask, null);
		IngestResult parallel = ingest(csv.toString(), mask, new CsvIngest.Parallelism(pool, 3, 4096, true));
		assertThat(parallel.schema()).isEqualTo(sequential.schema());
		assertThat(parallel.droppedColumns()).isEqualTo(sequential.droppedColumns()).containsExactly("name");
		for (int c = 0; c < sequential.frame().columns().size(); c++) {
			ColumnData s = sequential.frame().columns().get(c);
			ColumnData p = parallel.frame().columns().get(c);
			assertThat(p.levels()).isEqualTo(s.levels());
			assertThat(p.codes()).isEqualTo(s.codes());
		}
		assertThat(sequential.schema().get(1).profile().piiKind()).isEqualTo("email");
		assertThat(sequential.frame().column("email").levels()).hasSize(50 + 4700)
			.allMatch(Pseudonymizer::isToken)
			.contains(PSEUDONYMIZER.token("user7@example.com"));
	}

	@Test
	void bytesThatAreNotUtf8InAMaskedColumnAreRefusedWithoutTheValue() {
		byte[] csv = "id,email\n1,a@example.com\n2,caf\u00e9\u00e9@example.com\n".getBytes(StandardCharsets.ISO_8859_1);
		for (CsvIngest.Parallelism parallel : java.util.Arrays.asList(null,
				new CsvIngest.Parallelism(pool, 2, 16, true))) {
			for (String mode : List.of("pseudonymize", "redact")) {
				assertThatThrownBy(() -> CsvIngest.ingest(new ByteArrayInputStream(csv), LIMITS, parallel,
						ColumnMasks.parse("{\"email\":\"" + mode + "\"}", PSEUDONYMIZER)))
					.isInstanceOf(CsvFormatException.class)
					.hasMessage("column 2 'email' holds bytes that are not valid UTF-8 (the value is masked, so not "
							+ "shown, first in data row 2); save the file as UTF-8");
			}
		}
		// unmasked, the value is shown as before
		assertThatThrownBy(() -> CsvIngest.ingest(new ByteArrayInputStream(csv), LIMITS)).hasMessageContaining("caf");
	}

	@Test
	void unknownColumnsAndModesAreRefusedNamingTheField() {
		assertThatThrownBy(() -> ingest(CSV, "{\"mail\":\"drop\",\"email\":\"drop\"}", null)).isInstanceOfSatisfying(
				UnknownMaskColumnsException.class, ex -> assertThat(ex.columns()).containsExactly("mail"));
		assertThatThrownBy(() -> ingest("a,b\n1,2\n", "{\"a\":\"drop\",\"b\":\"drop\"}", null))
			.isInstanceOfSatisfying(UnknownMaskColumnsException.class, ex -> assertThat(ex.columns()).isEmpty());
		assertThatThrownBy(() -> ColumnMasks.parse("{\"email\":\"hash\",\"name\":1}", PSEUDONYMIZER))
			.isInstanceOfSatisfying(DomainException.class, ex -> {
				assertThat(ex.errors()).extracting(e -> e.field()).containsExactly("mask.email", "mask.name");
				assertThat(ex.errors().get(0).message()).isEqualTo("unknown mode; allowed: pseudonymize, redact, drop");
			});
		for (String bad : List.of("[\"email\"]", "email=drop", "{\"email\":", "\"drop\"")) {
			assertThatThrownBy(() -> ColumnMasks.parse(bad, PSEUDONYMIZER)).isInstanceOfSatisfying(
					DomainException.class,
					ex -> assertThat(ex.errors()).extracting(e -> e.field()).containsExactly("mask"));
		}
		assertThat(ColumnMasks.parse(" ", PSEUDONYMIZER).isEmpty()).isTrue();
	}

}
