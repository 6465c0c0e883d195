package io.fitserve.security;

import java.util.function.Predicate;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The rules {@link StrictHttpFirewall} checks header names and values against, without
 * its regular expressions: a name holds only assigned, non-control code points; a value
 * the same, tabs allowed. The firewall runs them on every {@code getHeader} call (Spring
 * MVC's handler lookup reads Content-Length once per candidate mapping), and on one-row
 * predictions the regular expressions cost more CPU than the prediction. The answers are
 * the firewall's own for every code point (see the test); printable ASCII, what headers
 * nearly always hold, is decided without a table lookup.
 */
final class HeaderCharacters {

	/** As {@link StrictHttpFirewall#ALLOWED_HEADER_NAMES}. */
	static final Predicate<String> NAMES = s -> allowed(s, false);

	/** As {@link StrictHttpFirewall#ALLOWED_HEADER_VALUES}. */
	static final Predicate<String> VALUES = s -> allowed(s, true);

	private HeaderCharacters() {
	}

	private static boolean allowed(String s, boolean tab) {
		int length = s.length();
		for (int i = 0; i < length; i++) {
			char c = s.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				continue;
			}
			// everything else one code point at a time, as the regular expression reads
			// it (an unpaired surrogate is a code point of its own)
			int cp = s.codePointAt(i);
			int type = Character.getType(cp);
			if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && cp == '\t'))) {
				return false;
			}
			i += Character.charCount(cp) - 1;
		}
		return true;
	}

	/** The firewall with these checks in place of its regular expressions. */
	static StrictHttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(NAMES);
		firewall.setAllowedHeaderValues(VALUES);
		return firewall;
	}

}
