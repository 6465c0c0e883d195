package io.fitserve.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderCharactersTest {

	/** Every code point alone, and after printable ASCII (the fast path's exit). */
	@Test
	void everyCodePointIsJudgedAsTheFirewallJudgesIt() {
		List<String> disagreements = new ArrayList<>();
		for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
			String alone = new String(Character.toChars(cp));
			compare(alone, disagreements);
			compare("Bearer " + alone + "x", disagreements);
		}
		assertThat(disagreements).isEmpty();
	}

	@Test
	void unpairedSurrogatesTabsAndEmptyStrings() {
		List<String> disagreements = new ArrayList<>();
		for (String s : List.of("", "\t", "a\tb", "\uD800", "a\uDC00b", "\uDC00\uD800", "\uD83D\uDE00", "\uD83D",
				"x\u0085", "\u007f", "caf\u00e9", "application/json; charset=utf-8", "\u0378")) {
			compare(s, disagreements);
		}
		assertThat(disagreements).isEmpty();
		// known answers, so that a change in both would not pass unseen
		assertThat(HeaderCharacters.VALUES.test("a\tb")).isTrue();
		assertThat(HeaderCharacters.NAMES.test("a\tb")).isFalse();
		assertThat(HeaderCharacters.VALUES.test("x\u0085")).isFalse();
		assertThat(HeaderCharacters.VALUES.test("\u0378")).isFalse();
		assertThat(HeaderCharacters.VALUES.test("\uD83D\uDE00 caf\u00e9")).isTrue();
	}

	private static void compare(String s, List<String> disagreements) {
		check("name", s, StrictHttpFirewall.ALLOWED_HEADER_NAMES, HeaderCharacters.NAMES, disagreements);
		check("value", s, StrictHttpFirewall.ALLOWED_HEADER_VALUES, HeaderCharacters.VALUES, disagreements);
	}

	private static void check(String what, String s, Predicate<String> firewall, Predicate<String> ours,
			List<String> disagreements) {
		if (firewall.test(s) != ours.test(s)) {
			disagreements.add(what + " " + s.codePoints().mapToObj(Integer::toHexString).toList());
		}
	}

}
