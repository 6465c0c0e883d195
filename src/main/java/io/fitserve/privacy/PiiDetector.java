package io.fitserve.privacy;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Tells whether one value looks like personal data: an e-mail address, a phone number, a
 * payment card number (13 to 19 digits passing the Luhn check) or an IBAN (ISO 13616:
 * country code, check digits, mod 97 = 1). The checks are cheap and strict enough that a
 * column of plain numbers, dates or ids is not taken for one.
 */
public final class PiiDetector {

	public static final String EMAIL = "email";

	public static final String PHONE = "phone";

	public static final String CARD = "card";

	public static final String IBAN = "iban";

	/** Longer values are none of the kinds (an e-mail address is at most 254). */
	private static final int MAX_LENGTH = 254;

	private static final Pattern EMAIL_PATTERN = Pattern.compile(
			"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}");

	/** Digits grouped by single spaces or dashes, as cards are printed. */
	private static final Pattern CARD_PATTERN = Pattern.compile("[0-9]+(?:[ -][0-9]+)*");

	private static final Pattern PHONE_PATTERN = Pattern.compile("\\+?[0-9 ()-]+");

	private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

	private static final Pattern IBAN_PATTERN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");

	private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

	private PiiDetector() {
	}

	/**
	 * The kind of personal data the value looks like ({@link #EMAIL}, {@link #CARD},
	 * {@link #IBAN}, {@link #PHONE}, checked in that order), or null.
	 */
	public static String kindOf(String value) {
		String v = value.strip();
		if (v.isEmpty() || v.length() > MAX_LENGTH) {
			return null;
		}
		if (v.indexOf('@') > 0) {
			return isEmail(v) ? EMAIL : null;
		}
		if (isCard(v)) {
			return CARD;
		}
		if (isIban(v)) {
			return IBAN;
		}
		return isPhone(v) ? PHONE : null;
	}

	public static boolean isEmail(String v) {
		return EMAIL_PATTERN.matcher(v).matches();
	}

	/** 13 to 19 digits (spaces or dashes between groups allowed) passing Luhn. */
	public static boolean isCard(String v) {
		if (!CARD_PATTERN.matcher(v).matches()) {
			return false;
		}
		String digits = v.replace(" ", "").replace("-", "");
		return digits.length() >= 13 && digits.length() <= 19 && luhn(digits);
	}

	/**
	 * The Luhn check: from the right, every second digit doubled (less 9 above 9), the
	 * sum a multiple of 10.
	 */
	public static boolean luhn(String digits) {
		int sum = 0;
		boolean twice = false;
		for (int i = digits.length() - 1; i >= 0; i--) {
			int d = digits.charAt(i) - '0';
			if (twice) {
				d *= 2;
				if (d > 9) {
					d -= 9;
				}
			}
			sum += d;
			twice = !twice;
		}
		return sum % 10 == 0;
	}

	/**
	 * Two letters, two check digits, 11 to 30 letters or digits (spaces between groups
	 * allowed, either case), and the ISO 7064 check: the first four characters moved to
	 * the end, letters as 10..35, the number mod 97 is 1.
	 */
	public static boolean isIban(String v) {
		String s = v.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
		if (!IBAN_PATTERN.matcher(s).matches()) {
			return false;
		}
		String rearranged = s.substring(4) + s.substring(0, 4);
		StringBuilder digits = new StringBuilder(rearranged.length() * 2);
		for (int i = 0; i < rearranged.length(); i++) {
			char c = rearranged.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				digits.append(c - 'A' + 10);
			}
			else {
				digits.append(c);
			}
		}
		return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
	}

	/**
	 * An optional leading +, then digits with spaces, dashes or parentheses, 7 to 15
	 * digits (E.164's most). A bare run of digits is a number or an id as often as a
	 * phone number, and an ISO date has the same characters: neither counts.
	 */
	public static boolean isPhone(String v) {
		if (!PHONE_PATTERN.matcher(v).matches() || ISO_DATE.matcher(v).matches()) {
			return false;
		}
		char first = v.charAt(0);
		if (first != '+' && first != '(' && (first < '0' || first > '9')) {
			return false; // "-1234567" is a negative number
		}
		int digits = 0;
		boolean formatted = v.charAt(0) == '+';
		for (int i = 0; i < v.length(); i++) {
			char c = v.charAt(i);
			if (c >= '0' && c <= '9') {
				digits++;
			}
			else if (c != '+') {
				formatted = true;
			}
		}
		if (v.lastIndexOf('+') > 0 || !formatted) {
			return false;
		}
		return digits >= 7 && digits <= 15;
	}

}
