package io.fitserve.privacy;

/**
 * Keeps a value's shape only: lowercase letters become {@code x}, other letters
 * {@code X}, digits {@code 9}; everything else (punctuation, spaces, symbols) stays, so
 * {@code alice@example.com} reads {@code xxxxx@xxxxxxx.xxx}. Redacting a redacted value
 * gives it back unchanged.
 */
public final class Redaction {

	private Redaction() {
	}

	public static String shape(String value) {
		StringBuilder out = new StringBuilder(value.length());
		value.codePoints().forEach((c) -> {
			if (Character.isDigit(c)) {
				out.append('9');
			}
			else if (Character.isLetter(c)) {
				out.append(Character.isUpperCase(c) || Character.isTitleCase(c) ? 'X' : 'x');
			}
			else {
				out.appendCodePoint(c);
			}
		});
		return out.toString();
	}

}
