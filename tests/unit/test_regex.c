/* test_regex.c - unit tests of lib/regex.c: Go (RE2) syntax translated to PCRE2. The table was
 * produced by Go 1.19's regexp package (regexp.Compile, MatchString) on the same patterns and
 * subjects: error texts byte for byte, and which subjects match. */
#include "unit.h"
#include "driver/driver.h"

static pk_ctx *ctx;
#define CTX() (ctx ? ctx : (ctx = pk_ctx_new()))

typedef struct rx_case {
	const char *pattern;
	const char *error; /* Go's message, or NULL when it compiles */
	const char *subjects[8];
	const char *want; /* '1' per subject that matches */
} rx_case;

static const rx_case cases[] = {
    {"main\\.(*Cache)\\.Put",
     "error parsing regexp: missing argument to repetition operator: `*`",
     {NULL},
     NULL},
    {"main\\.\\(\\*Cache\\)\\.Put",
     NULL,
     {"example.com/leak/main.(*Cache).Put", "main.Cache.Put", NULL},
     "10"},
    {"(?i)leak", NULL, {"LeAk", "lea", NULL}, "10"},
    {"\\d+", NULL, {"abc12", "abc", NULL}, "10"},
    {"^runtime\\.", NULL, {"runtime.main", "xruntime.main", NULL}, "10"},
    {"\\v",
     NULL,
     {"\x0b"
      "",
      "v", NULL},
     "10"},
    {"\\s",
     NULL,
     {"\x0b"
      "",
      "\x09"
      "",
      " ", NULL},
     "011"},
    {"[[:space:]]",
     NULL,
     {"\x0b"
      "",
      NULL},
     "1"},
    {"\\12",
     NULL,
     {"\x0a"
      "",
      "\x01"
      "\x02"
      "",
      NULL},
     "10"},
    {"\\x41\\x{42}", NULL, {"AB", NULL}, "1"},
    {"a$",
     NULL,
     {"a\x0a"
      "",
      "a", NULL},
     "01"},
    {"(?m)a$",
     NULL,
     {"a\x0a"
      "b",
      "ab", NULL},
     "10"},
    {"(?m)^b",
     NULL,
     {"a\x0a"
      "b",
      "ab", NULL},
     "10"},
    {"^", NULL, {"", NULL}, "1"},
    {"a\\z",
     NULL,
     {"a",
      "a\x0a"
      "",
      NULL},
     "10"},
    {"\\Aa", NULL, {"a", "ba", NULL}, "10"},
    {"(?s)a.b",
     NULL,
     {"a\x0a"
      "b",
      NULL},
     "1"},
    {"a.b",
     NULL,
     {"a\x0a"
      "b",
      "a\xc3"
      "\xa9"
      "b",
      "a\xff"
      "b",
      "a\xff"
      "\xfe"
      "b",
      NULL},
     "0110"},
    {"(?U)a+$", NULL, {"aaa", NULL}, "1"},
    {"(?i)k",
     NULL,
     {"\xe2"
      "\x84"
      "\xaa"
      "",
      "K", NULL},
     "11"},
    {"(?i)s",
     NULL,
     {"\xc5"
      "\xbf"
      "",
      NULL},
     "1"},
    {"(?i)\\W",
     NULL,
     {"k",
      "\xe2"
      "\x84"
      "\xaa"
      "",
      "-", NULL},
     "001"},
    {"(?i)[^k]",
     NULL,
     {"\xe2"
      "\x84"
      "\xaa"
      "",
      "x", NULL},
     "01"},
    {"\\Q*+?\\E+", NULL, {"*+??", "*+", NULL}, "10"},
    {"[[:word:]]+$", NULL, {"ab_1", "a-", NULL}, "10"},
    {"[[:^alpha:]]", NULL, {"ab", "a1", NULL}, "01"},
    {"\\pN",
     NULL,
     {"x5",
      "\xd9"
      "\xa3"
      "",
      NULL},
     "11"},
    {"\\p{Greek}",
     NULL,
     {"\xce"
      "\xa3"
      "",
      "S", NULL},
     "10"},
    {"\\P{Greek}",
     NULL,
     {"\xce"
      "\xa3"
      "",
      "S", NULL},
     "01"},
    {"\\p{^Greek}",
     NULL,
     {"\xce"
      "\xa3"
      "",
      NULL},
     "0"},
    {"[\\p{Lu}\\d]", NULL, {"A", "1", "a", NULL}, "110"},
    {"\\x{FFFD}",
     NULL,
     {"\xff"
      "",
      "ok", NULL},
     "10"},
    {"a{,2}", NULL, {"a{,2}", "aa", NULL}, "10"},
    {"x{2}", NULL, {"xx", "x", NULL}, "10"},
    {"\\bfoo\\b", NULL, {"a foo b", "afoob", NULL}, "10"},
    {"(?P<name>a)b", NULL, {"ab", NULL}, "1"},
    {"(?i:A)b", NULL, {"ab", "aB", NULL}, "10"},
    {"a|", NULL, {"", "x", NULL}, "11"},
    {"[]a]", NULL, {"]", NULL}, "1"},
    {"[^\\n]",
     NULL,
     {"\x0a"
      "",
      NULL},
     "0"},
    {"(a*)*b", NULL, {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL}, "0"},
    {"\\x{d800}",
     NULL,
     {"\xed"
      "\xa0"
      "\x80"
      "",
      NULL},
     "0"},
    {"", NULL, {"", NULL}, "1"},
    {"\\_", NULL, {"_", NULL}, "1"},
    {"Put(", "error parsing regexp: missing closing ): `Put(`", {NULL}, NULL},
    {"a)", "error parsing regexp: unexpected ): `a)`", {NULL}, NULL},
    {"a**", "error parsing regexp: invalid nested repetition operator: `**`", {NULL}, NULL},
    {"a*+", "error parsing regexp: invalid nested repetition operator: `*+`", {NULL}, NULL},
    {"a++", "error parsing regexp: invalid nested repetition operator: `++`", {NULL}, NULL},
    {"a{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`", {NULL}, NULL},
    {"*a", "error parsing regexp: missing argument to repetition operator: `*`", {NULL}, NULL},
    {"(*)", "error parsing regexp: missing argument to repetition operator: `*`", {NULL}, NULL},
    {"a|*", "error parsing regexp: missing argument to repetition operator: `*`", {NULL}, NULL},
    {"\\1", "error parsing regexp: invalid escape sequence: `\\1`", {NULL}, NULL},
    {"\\8", "error parsing regexp: invalid escape sequence: `\\8`", {NULL}, NULL},
    {"\\C", "error parsing regexp: invalid escape sequence: `\\C`", {NULL}, NULL},
    {"\\Z", "error parsing regexp: invalid escape sequence: `\\Z`", {NULL}, NULL},
    {"\\e", "error parsing regexp: invalid escape sequence: `\\e`", {NULL}, NULL},
    {"\\h", "error parsing regexp: invalid escape sequence: `\\h`", {NULL}, NULL},
    {"\\K", "error parsing regexp: invalid escape sequence: `\\K`", {NULL}, NULL},
    {"\\x", "error parsing regexp: invalid escape sequence: `\\x`", {NULL}, NULL},
    {"\\xg", "error parsing regexp: invalid escape sequence: `\\xg`", {NULL}, NULL},
    {"\\x{}", "error parsing regexp: invalid escape sequence: `\\x{}`", {NULL}, NULL},
    {"\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`", {NULL}, NULL},
    {"x\\\\", NULL, {NULL}, ""},
    {"x\\", "error parsing regexp: trailing backslash at end of expression: ``", {NULL}, NULL},
    {"(?=x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`", {NULL}, NULL},
    {"(?!x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`", {NULL}, NULL},
    {"(?<=x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`", {NULL}, NULL},
    {"(?<n>x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`", {NULL}, NULL},
    {"(?P<>x)", "error parsing regexp: invalid named capture: `(?P<>`", {NULL}, NULL},
    {"(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`", {NULL}, NULL},
    {"(?P<n", "error parsing regexp: invalid named capture: `(?P<n`", {NULL}, NULL},
    {"(?x)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?x`", {NULL}, NULL},
    {"(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`", {NULL}, NULL},
    {"(?", "error parsing regexp: invalid or unsupported Perl syntax: `(?`", {NULL}, NULL},
    {"(?-)", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`", {NULL}, NULL},
    {"(?i-i-s)",
     "error parsing regexp: invalid or unsupported Perl syntax: `(?i-i-`",
     {NULL},
     NULL},
    {"[z-a]", "error parsing regexp: invalid character class range: `z-a`", {NULL}, NULL},
    {"[a", "error parsing regexp: missing closing ]: `[a`", {NULL}, NULL},
    {"[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`", {NULL}, NULL},
    {"\\pX", "error parsing regexp: invalid character class range: `\\pX`", {NULL}, NULL},
    {"\\p{greek}",
     "error parsing regexp: invalid character class range: `\\p{greek}`",
     {NULL},
     NULL},
    {"\\p{Greek", "error parsing regexp: invalid character class range: `\\p{Greek`", {NULL}, NULL},
    {"x{1001}", "error parsing regexp: invalid repeat count: `{1001}`", {NULL}, NULL},
    {"x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`", {NULL}, NULL},
    {"(x{2}){501}", "error parsing regexp: invalid repeat count: `{501}`", {NULL}, NULL},
    {"((x{10}){10}){11}", "error parsing regexp: invalid repeat count: `{11}`", {NULL}, NULL},
    {"\xff"
     "",
     "error parsing regexp: invalid UTF-8: `\xff"
     "`",
     {NULL},
     NULL},
    {"a\xff"
     "b",
     "error parsing regexp: invalid UTF-8: `\xff"
     "b`",
     {NULL},
     NULL},
    {"[\\b]", "error parsing regexp: invalid escape sequence: `\\b`", {NULL}, NULL},
    {"[\\Q]", "error parsing regexp: invalid escape sequence: `\\Q`", {NULL}, NULL},
    {"(?i)\\p{Lu}",
     NULL,
     {"a",
      "\xc2"
      "\xb5"
      "",
      "1",
      "\xc7"
      "\x85"
      "",
      NULL},
     "1101"},
    {"\\p{Greek}",
     NULL,
     {"\xcd"
      "\x85"
      "",
      "\xce"
      "\xbc"
      "",
      NULL},
     "01"},
    {"(?i)\\p{Greek}",
     NULL,
     {"\xc2"
      "\xb5"
      "",
      "\xcd"
      "\x85"
      "",
      NULL},
     "11"},
    {"(?i)\\P{Lu}", NULL, {"a", "1", NULL}, "01"},
    {"(?i)[x\\P{Lu}]", NULL, {"a", "x", "X", "1", NULL}, "0111"},
    {"(?i)[^x\\P{Lu}]", NULL, {"a", "x", "1", NULL}, "100"},
    {"(?i)\\p{^Ll}", NULL, {"A", "1", NULL}, "01"},
};

TEST(regex_go_table)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const rx_case *c = &cases[i];
		pk_regex *re = NULL;
		pk_status st = pk_regex_compile(CTX(), &re, c->pattern, NULL);
		if (c->error) {
			CHECK_INT(st, PK_EUSAGE);
			CHECK_STR(pk_ctx_message(ctx), c->error);
			CHECK(re == NULL);
			continue;
		}
		if (st != PK_OK) {
			fprintf(stderr, "pattern %s: %s\n", c->pattern, pk_ctx_message(ctx));
			CHECK_INT(st, PK_OK);
			continue;
		}
		for (size_t j = 0; c->subjects[j]; j++) {
			bool m = pk_regex_match(re, c->subjects[j], strlen(c->subjects[j]));
			if (m != (c->want[j] == '1')) {
				fprintf(stderr, "pattern %s, subject %zu: got %d\n", c->pattern, j,
				        m);
				unit_failed = 1;
			}
		}
		pk_regex_free(re);
	}
}

TEST(regex_flag_name_in_error)
{
	pk_regex *re = NULL;
	CHECK_INT(pk_regex_compile(CTX(), &re, "Put(", "focus"), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx),
	          "parsing focus regexp: error parsing regexp: missing closing ): `Put(`");
	CHECK_INT(pk_regex_compile(ctx, &re, "a**", "show_from"), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "parsing show_from regexp: error parsing regexp: invalid "
	                               "nested repetition operator: `**`");
	CHECK_INT(pk_regex_compile(ctx, &re, "x\\", "tagshow"), PK_EUSAGE);
	CHECK_STR(pk_ctx_message(ctx), "parsing tagshow regexp: error parsing regexp: trailing "
	                               "backslash at end of expression: ``");
	CHECK_INT(pk_regex_compile(ctx, &re, NULL, NULL), PK_OK); /* NULL is "" */
	CHECK(pk_regex_match(re, "x", 1));
	pk_regex_free(re);
}

TEST(regex_nul_and_lengths)
{
	pk_regex *re = NULL;
	CHECK_INT(pk_regex_compile(CTX(), &re, "\\0", NULL), PK_OK); /* octal NUL */
	CHECK(pk_regex_match(re, "a\0b", 3));
	CHECK(!pk_regex_match(re, "a0b", 3));
	pk_regex_free(re);
	CHECK_INT(pk_regex_compile(ctx, &re, "b$", NULL), PK_OK);
	CHECK(pk_regex_match(re, "abc", 2)); /* only n bytes are the subject */
	pk_regex_free(re);
}

TEST(regex_nesting_limits)
{
	/* Go's parse tree may be 1000 deep; PCRE2's own default limits are far lower. */
	char pat[4096];
	size_t n = 0;
	for (int i = 0; i < 999; i++)
		pat[n++] = '(';
	pat[n++] = 'a';
	for (int i = 0; i < 999; i++)
		pat[n++] = ')';
	pat[n] = 0;
	pk_regex *re = NULL;
	CHECK_INT(pk_regex_compile(CTX(), &re, pat, NULL), PK_OK);
	CHECK(pk_regex_match(re, "xa", 2));
	pk_regex_free(re);
	n = 0;
	for (int i = 0; i < 1001; i++)
		pat[n++] = '(';
	for (int i = 0; i < 1001; i++)
		pat[n++] = ')';
	pat[n] = 0;
	CHECK_INT(pk_regex_compile(ctx, &re, pat, NULL), PK_EUSAGE);
	CHECK(strncmp(pk_ctx_message(ctx),
	              "error parsing regexp: expression nests too deeply: `(((", 55) == 0);
	/* Non-capturing groups too (PCRE2 caps "(?:" nesting much lower). */
	n = 0;
	for (int i = 0; i < 900; i++)
		n += (size_t)snprintf(pat + n, sizeof pat - n, "(?:");
	pat[n++] = 'a';
	for (int i = 0; i < 900; i++)
		pat[n++] = ')';
	pat[n] = 0;
	CHECK_INT(pk_regex_compile(ctx, &re, pat, NULL), PK_OK);
	pk_regex_free(re);
}

TEST(regex_no_catastrophic_backtracking)
{
	/* Go's matcher is linear; PCRE2 backtracks. Beyond PCRE2's limits the DFA matcher
	 * answers, and the answer is right. */
	pk_regex *re = NULL;
	CHECK_INT(pk_regex_compile(CTX(), &re, "(a|aa)*c", NULL), PK_OK);
	char s[4001];
	memset(s, 'a', 4000);
	s[4000] = 0;
	CHECK(!pk_regex_match(re, s, 4000));
	s[3999] = 'c';
	CHECK(pk_regex_match(re, s, 4000));
	pk_regex_free(re);
	CHECK_INT(pk_regex_compile(ctx, &re, "(x+x+)+y", NULL), PK_OK);
	memset(s, 'x', 4000);
	CHECK(!pk_regex_match(re, s, 4000));
	pk_regex_free(re);
}

TEST(regex_unicode_names)
{
	/* Every Go 1.19 category and script name is accepted; other spellings are not. */
	static const char *ok[] = {"\\p{Any}",        "\\pL",        "\\p{Lu}",  "\\p{Han}",
	                           "\\p{Old_Italic}", "\\p{Yezidi}", "\\p{Nko}", "\\p{^Greek}",
	                           "[\\P{Zs}x]",      "\\pZs"};
	static const char *bad[] = {"\\p{L&}", "\\p{greek}", "\\p{Latn}", "\\p{IsGreek}", "\\p{Zs"};
	pk_regex *re = NULL;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CHECK_INT(pk_regex_compile(CTX(), &re, ok[i], NULL), PK_OK);
		pk_regex_free(re);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(pk_regex_compile(CTX(), &re, bad[i], NULL), PK_EUSAGE);
		CHECK(strstr(pk_ctx_message(ctx), "invalid character class range") != NULL);
	}
}
