package io.fitserve.privacy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each detector on valid values and on near misses that must not count. */
class PiiDetectorTest {

	@ParameterizedTest
	@ValueSource(strings = { "alice@example.com", "Bob.Smith+news@mail.example.co.uk", "o'neil@example.ie",
			"x_1@sub-domain.example.org" })
	void emailAddresses(String value) {
		assertThat(PiiDetector.kindOf(value)).isEqualTo("email");
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice@example", "alice.example.com", "@example.com", "alice@@example.com",
			"alice@-example.com", "alice@example.c", "alice smith@example.com" })
	void nearMissEmails(String value) {
		assertThat(PiiDetector.kindOf(value)).isNull();
	}

	@ParameterizedTest
	// Visa, Mastercard and Amex test numbers, grouped or not; all pass Luhn
	@ValueSource(strings = { "4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005",
			"6011000990139424" })
	void cardNumbers(String value) {
		assertThat(PiiDetector.kindOf(value)).isEqualTo("card");
	}

	@ParameterizedTest
	// 16 digits failing Luhn; Luhn-valid but 11 and 20 digits; letters among digits
	@ValueSource(strings = { "4111111111111112", "4111 1111 1111 1112", "79927398713", "41111111111111111113",
			"4111-1111-1111-111a" })
	void nearMissCards(String value) {
		assertThat(PiiDetector.kindOf(value)).isNotEqualTo("card");
	}

	@Test
	void luhnOnTheTextbookNumber() {
		// 79927398713 from the right: 3, 1x2=2, 7, 8x2=16-9=7, 9, 3x2=6, 7, 2x2=4, 9,
		// 9x2=18-9=9, 7: 3+2+7+7+9+6+7+4+9+9+7 = 70, a multiple of 10; ending in 0
		// instead gives 67
		assertThat(PiiDetector.luhn("79927398713")).isTrue();
		assertThat(PiiDetector.luhn("79927398710")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "DE89370400440532013000",
			"de89 3704 0044 0532 0130 00", "FR1420041010050500013M02606" })
	void ibans(String value) {
		assertThat(PiiDetector.kindOf(value)).isEqualTo("iban");
	}

	@ParameterizedTest
	// one check digit off, one character changed, too short, digits where the country
	// code goes
	@ValueSource(
			strings = { "GB83WEST12345698765432", "GB82WEST12345698765433", "GB82WEST1234", "1282WEST12345698765432" })
	void nearMissIbans(String value) {
		assertThat(PiiDetector.kindOf(value)).isNotEqualTo("iban");
	}

	@ParameterizedTest
	@ValueSource(strings = { "+44 20 7946 0958", "(555) 123-4567", "555-1234", "+4915112345678", "+1 (212) 555-0100" })
	void phoneNumbers(String value) {
		assertThat(PiiDetector.kindOf(value)).isEqualTo("phone");
	}

	@ParameterizedTest
	// an ISO date, a bare number or id, too few digits, too many, a negative number, a
	// decimal, a + inside
	@ValueSource(strings = { "2024-01-15", "5551234567", "+1 23", "12-34", "+1 234 567 890 123 456", "-1234567",
			"1234567.5", "555+1234567" })
	void nearMissPhones(String value) {
		assertThat(PiiDetector.kindOf(value)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "alice@example.com,xxxxx@xxxxxxx.xxx", "Alice Smith,Xxxxx Xxxxx",
			"4111-1111-1111-1111,9999-9999-9999-9999", "+44 (20) 7946,+99 (99) 9999", "Ölçü 3½,Xxxx 9½" })
	void redactionKeepsTheShape(String value, String shape) {
		assertThat(Redaction.shape(value)).isEqualTo(shape);
		assertThat(Redaction.shape(shape)).isEqualTo(shape);
	}

}
