/* regex.c - Go regular expressions (RE2 syntax) behind a small API: compile with the flag's name
 * in errors, match unanchored (regexp.MatchString), free.
 *
 * Two halves:
 * - Accepting and rejecting: a pattern is parsed here as Go parses it (Go's
 *   regexp/syntax/parse.go: parse, parsePerlFlags, parseRepeat, parseEscape, parseClass,
 *   parseNamedClass, parseUnicodeClass, repeatIsValid, the nesting check), with Go's error texts
 *   and offending text ("error parsing regexp: missing closing ): `Put(`"). So what Go rejects
 *   (\1, (?=, a++, \Z, (?<name>, \C) fails with Go's message, whatever RE2 would say.
 * - Matching: RE2 (lib/go/re2shim.cc), the engine Go's regexp was built after: the same syntax,
 *   the same leftmost-first semantics, and time linear in the subject (times the pattern) for
 *   every pattern. The patterns come from flags and from the profile itself (drop_frames,
 *   keep_frames), so a backtracking matcher would let a 5 KB profile run for minutes: PCRE2,
 *   used before, took over 10 s on (a|aa)*b over 300 names a...a!b, and its DFA matcher (no
 *   backtracking, but one restart per subject position and no state cache) over 10 s on
 *   a{1000}c over one 10 MB name, where RE2 takes 0.05-0.2 s for every pattern tried.
 *   Subjects that are not valid UTF-8 are matched with each invalid byte replaced by U+FFFD,
 *   as Go's matcher decodes them.
 * The parser also writes the pattern in PCRE2's syntax (every literal as \x{...}, classes as
 * explicit ranges from Go's tables, ^ $ . by Go's flags, ...): no longer used for matching, it
 * is the independent oracle of the regexp fuzz target (tests/fuzz/fuzz_regex.c), and it was
 * checked against Go 1.19's regexp on ~500k random patterns and subjects.
 *
 * Deliberate divergences:
 * - Case folding and Unicode tables are RE2's (Debian 12's RE2: Unicode 14; Go 1.19 has 13).
 * - Go's size limits ("regexp/syntax: internal error" for programs over ~3.3M instructions or
 *   32M class runes) are not checked; the nesting limit (1000) is checked on an approximation of
 *   Go's parse-tree height. RE2 may refuse a huge Go-valid pattern as too large (over its 64 MiB
 *   budget); its message is then reported in Go's "error parsing regexp: ...: `pattern`" shape.
 * - Messages are cut at the context's message size (1 KiB).
 */
#include <stdlib.h>
#include <string.h>

#include "go/go.h"
#include "go/re2shim.h"

struct pk_regex {
	pk_re2 *re2;
};

/* ---- Go's error codes ------------------------------------------------------------------- */
static const char E_CLASS_RANGE[] = "invalid character class range";
static const char E_ESCAPE[] = "invalid escape sequence";
static const char E_NAMED[] = "invalid named capture";
static const char E_PERL_OP[] = "invalid or unsupported Perl syntax";
static const char E_REPEAT_OP[] = "invalid nested repetition operator";
static const char E_REPEAT_SIZE[] = "invalid repeat count";
static const char E_UTF8[] = "invalid UTF-8";
static const char E_BRACKET[] = "missing closing ]";
static const char E_PAREN[] = "missing closing )";
static const char E_REPEAT_ARG[] = "missing argument to repetition operator";
static const char E_BACKSLASH[] = "trailing backslash at end of expression";
static const char E_UNEXPECTED_PAREN[] = "unexpected )";
static const char E_NESTING[] = "expression nests too deeply";

enum { F_FOLD = 1, F_ONELINE = 2, F_DOTNL = 4, F_NONGREEDY = 8 };
#define MAX_HEIGHT 1000
#define MAX_RUNE 0x10FFFFu

/* ---- rune sets (character classes) ------------------------------------------------------ */

typedef struct rrange {
	uint32_t lo, hi;
} rrange;
typedef struct rset {
	rrange *v;
	size_t n, cap;
	bool oom;
} rset;

static void rs_add(rset *s, uint32_t lo, uint32_t hi)
{
	if (!pk_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
		s->oom = true;
		return;
	}
	s->v[s->n].lo = lo;
	s->v[s->n].hi = hi;
	s->n++;
}

static int cmp_range(const void *a, const void *b)
{
	const rrange *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* Sorts and merges overlapping or adjacent ranges (cleanClass). */
static void rs_clean(rset *s)
{
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_range);
	size_t w = 0;
	for (size_t i = 1; i < s->n; i++) {
		if (s->v[i].lo <= s->v[w].hi + 1) {
			if (s->v[i].hi > s->v[w].hi)
				s->v[w].hi = s->v[i].hi;
		} else {
			s->v[++w] = s->v[i];
		}
	}
	s->n = w + 1;
}

/* Complement over [0, MaxRune] of a clean set (negateClass). */
static void rs_negate(rset *s)
{
	rset o = {0};
	uint32_t next = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].lo > next)
			rs_add(&o, next, s->v[i].lo - 1);
		next = s->v[i].hi + 1;
	}
	if (next <= MAX_RUNE)
		rs_add(&o, next, MAX_RUNE);
	o.oom |= s->oom;
	pk_free(s->v);
	*s = o;
}

/* Adds the simple case folds of an ASCII set: the other case of each letter, and K (U+212A)
 * for k, ſ (U+017F) for s, as Go's appendFoldedClass does for its ASCII tables. */
static void rs_fold_ascii(rset *s)
{
	size_t n = s->n;
	for (size_t i = 0; i < n; i++) {
		for (uint32_t c = s->v[i].lo; c <= s->v[i].hi && c < 0x80; c++) {
			uint32_t l = c | 0x20;
			if (l < 'a' || l > 'z')
				continue;
			rs_add(s, c ^ 0x20, c ^ 0x20);
			if (l == 'k')
				rs_add(s, 0x212A, 0x212A);
			if (l == 's')
				rs_add(s, 0x17F, 0x17F);
		}
	}
	rs_clean(s);
}

/* \d \s \w and the POSIX classes: Go's perlGroup and posixGroup tables (ASCII). */
typedef struct group {
	const char *name;
	uint8_t n;
	uint8_t r[10]; /* lo, hi pairs */
} group;
static const group perl_groups[] = {
    {"d", 1, {'0', '9'}},
    {"s", 4, {'\t', '\n', '\f', '\f', '\r', '\r', ' ', ' '}},
    {"w", 4, {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}},
};
static const group posix_groups[] = {
    {"alnum", 3, {'0', '9', 'A', 'Z', 'a', 'z'}},
    {"alpha", 2, {'A', 'Z', 'a', 'z'}},
    {"ascii", 1, {0, 0x7f}},
    {"blank", 2, {'\t', '\t', ' ', ' '}},
    {"cntrl", 2, {0, 0x1f, 0x7f, 0x7f}},
    {"digit", 1, {'0', '9'}},
    {"graph", 1, {'!', '~'}},
    {"lower", 1, {'a', 'z'}},
    {"print", 1, {' ', '~'}},
    {"punct", 4, {'!', '/', ':', '@', '[', '`', '{', '~'}},
    {"space", 2, {'\t', '\r', ' ', ' '}},
    {"upper", 1, {'A', 'Z'}},
    {"word", 4, {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}},
    {"xdigit", 3, {'0', '9', 'A', 'F', 'a', 'f'}},
};

/* appendGroup: the group's runes into dst, folded when fold, complemented when negated. */
static void add_group(rset *dst, const group *g, bool negated, bool fold)
{
	rset t = {0};
	for (int i = 0; i < g->n; i++)
		rs_add(&t, g->r[2 * i], g->r[2 * i + 1]);
	if (fold)
		rs_fold_ascii(&t);
	if (negated)
		rs_negate(&t);
	for (size_t i = 0; i < t.n; i++)
		rs_add(dst, t.v[i].lo, t.v[i].hi);
	dst->oom |= t.oom;
	pk_free(t.v);
}

/* Go 1.19's unicode.Categories and unicode.Scripts (Unicode 13), plus "Any". */
static const char *const unicode_names[] = {
    "Any",
    "C",
    "Cc",
    "Cf",
    "Co",
    "Cs",
    "L",
    "Ll",
    "Lm",
    "Lo",
    "Lt",
    "Lu",
    "M",
    "Mc",
    "Me",
    "Mn",
    "N",
    "Nd",
    "Nl",
    "No",
    "P",
    "Pc",
    "Pd",
    "Pe",
    "Pf",
    "Pi",
    "Po",
    "Ps",
    "S",
    "Sc",
    "Sk",
    "Sm",
    "So",
    "Z",
    "Zl",
    "Zp",
    "Zs",
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Common",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cyrillic",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Greek",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Hiragana",
    "Imperial_Aramaic",
    "Inherited",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Katakana",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Lao",
    "Latin",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Ugaritic",
    "Vai",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
};

#define N_CATEGORIES 37 /* "Any" and the categories come first */

/* 0: unknown; 1: "Any" or a category; 2: a script. */
static int unicode_name_kind(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof unicode_names / sizeof unicode_names[0]; i++)
		if (strlen(unicode_names[i]) == n && memcmp(unicode_names[i], s, n) == 0)
			return i < N_CATEGORIES ? 1 : 2;
	return 0;
}

/* Go 1.19 unicode.FoldCategory and unicode.FoldScript (lo, hi, stride), generated from
 * $GOROOT/src/unicode/tables.go: the characters outside a class that fold into it. */
static const uint32_t fold_ranges[][3] = {
    {0x345, 0x345, 1},     {0x41, 0x5a, 1},        {0xc0, 0xd6, 1},       {0xd8, 0xde, 1},
    {0x100, 0x12e, 2},     {0x132, 0x136, 2},      {0x139, 0x147, 2},     {0x14a, 0x178, 2},
    {0x179, 0x17d, 2},     {0x181, 0x182, 1},      {0x184, 0x186, 2},     {0x187, 0x189, 2},
    {0x18a, 0x18b, 1},     {0x18e, 0x191, 1},      {0x193, 0x194, 1},     {0x196, 0x198, 1},
    {0x19c, 0x19d, 1},     {0x19f, 0x1a0, 1},      {0x1a2, 0x1a6, 2},     {0x1a7, 0x1a9, 2},
    {0x1ac, 0x1ae, 2},     {0x1af, 0x1b1, 2},      {0x1b2, 0x1b3, 1},     {0x1b5, 0x1b7, 2},
    {0x1b8, 0x1bc, 4},     {0x1c4, 0x1c5, 1},      {0x1c7, 0x1c8, 1},     {0x1ca, 0x1cb, 1},
    {0x1cd, 0x1db, 2},     {0x1de, 0x1ee, 2},      {0x1f1, 0x1f2, 1},     {0x1f4, 0x1f6, 2},
    {0x1f7, 0x1f8, 1},     {0x1fa, 0x232, 2},      {0x23a, 0x23b, 1},     {0x23d, 0x23e, 1},
    {0x241, 0x243, 2},     {0x244, 0x246, 1},      {0x248, 0x24e, 2},     {0x345, 0x370, 43},
    {0x372, 0x376, 4},     {0x37f, 0x386, 7},      {0x388, 0x38a, 1},     {0x38c, 0x38e, 2},
    {0x38f, 0x391, 2},     {0x392, 0x3a1, 1},      {0x3a3, 0x3ab, 1},     {0x3cf, 0x3d8, 9},
    {0x3da, 0x3ee, 2},     {0x3f4, 0x3f7, 3},      {0x3f9, 0x3fa, 1},     {0x3fd, 0x42f, 1},
    {0x460, 0x480, 2},     {0x48a, 0x4c0, 2},      {0x4c1, 0x4cd, 2},     {0x4d0, 0x52e, 2},
    {0x531, 0x556, 1},     {0x10a0, 0x10c5, 1},    {0x10c7, 0x10cd, 6},   {0x13a0, 0x13f5, 1},
    {0x1c90, 0x1cba, 1},   {0x1cbd, 0x1cbf, 1},    {0x1e00, 0x1e94, 2},   {0x1e9e, 0x1efe, 2},
    {0x1f08, 0x1f0f, 1},   {0x1f18, 0x1f1d, 1},    {0x1f28, 0x1f2f, 1},   {0x1f38, 0x1f3f, 1},
    {0x1f48, 0x1f4d, 1},   {0x1f59, 0x1f5f, 2},    {0x1f68, 0x1f6f, 1},   {0x1f88, 0x1f8f, 1},
    {0x1f98, 0x1f9f, 1},   {0x1fa8, 0x1faf, 1},    {0x1fb8, 0x1fbc, 1},   {0x1fc8, 0x1fcc, 1},
    {0x1fd8, 0x1fdb, 1},   {0x1fe8, 0x1fec, 1},    {0x1ff8, 0x1ffc, 1},   {0x2126, 0x212a, 4},
    {0x212b, 0x2132, 7},   {0x2183, 0x2c00, 2685}, {0x2c01, 0x2c2e, 1},   {0x2c60, 0x2c62, 2},
    {0x2c63, 0x2c64, 1},   {0x2c67, 0x2c6d, 2},    {0x2c6e, 0x2c70, 1},   {0x2c72, 0x2c75, 3},
    {0x2c7e, 0x2c80, 1},   {0x2c82, 0x2ce2, 2},    {0x2ceb, 0x2ced, 2},   {0x2cf2, 0xa640, 31054},
    {0xa642, 0xa66c, 2},   {0xa680, 0xa69a, 2},    {0xa722, 0xa72e, 2},   {0xa732, 0xa76e, 2},
    {0xa779, 0xa77d, 2},   {0xa77e, 0xa786, 2},    {0xa78b, 0xa78d, 2},   {0xa790, 0xa792, 2},
    {0xa796, 0xa7aa, 2},   {0xa7ab, 0xa7ae, 1},    {0xa7b0, 0xa7b4, 1},   {0xa7b6, 0xa7be, 2},
    {0xa7c2, 0xa7c4, 2},   {0xa7c5, 0xa7c7, 1},    {0xa7c9, 0xa7f5, 44},  {0xff21, 0xff3a, 1},
    {0x10400, 0x10427, 1}, {0x104b0, 0x104d3, 1},  {0x10c80, 0x10cb2, 1}, {0x118a0, 0x118bf, 1},
    {0x16e40, 0x16e5f, 1}, {0x1e900, 0x1e921, 1},  {0x1c4, 0x1c6, 2},     {0x1c7, 0x1c9, 2},
    {0x1ca, 0x1cc, 2},     {0x1f1, 0x1f3, 2},      {0x1f80, 0x1f87, 1},   {0x1f90, 0x1f97, 1},
    {0x1fa0, 0x1fa7, 1},   {0x1fb3, 0x1fc3, 16},   {0x1ff3, 0x1ff3, 1},   {0x61, 0x7a, 1},
    {0xb5, 0xdf, 42},      {0xe0, 0xf6, 1},        {0xf8, 0xff, 1},       {0x101, 0x12f, 2},
    {0x133, 0x137, 2},     {0x13a, 0x148, 2},      {0x14b, 0x177, 2},     {0x17a, 0x17e, 2},
    {0x17f, 0x180, 1},     {0x183, 0x185, 2},      {0x188, 0x18c, 4},     {0x192, 0x195, 3},
    {0x199, 0x19a, 1},     {0x19e, 0x1a1, 3},      {0x1a3, 0x1a5, 2},     {0x1a8, 0x1ad, 5},
    {0x1b0, 0x1b4, 4},     {0x1b6, 0x1b9, 3},      {0x1bd, 0x1bf, 2},     {0x1c5, 0x1c6, 1},
    {0x1c8, 0x1c9, 1},     {0x1cb, 0x1cc, 1},      {0x1ce, 0x1dc, 2},     {0x1dd, 0x1ef, 2},
    {0x1f2, 0x1f3, 1},     {0x1f5, 0x1f9, 4},      {0x1fb, 0x21f, 2},     {0x223, 0x233, 2},
    {0x23c, 0x23f, 3},     {0x240, 0x242, 2},      {0x247, 0x24f, 2},     {0x250, 0x254, 1},
    {0x256, 0x257, 1},     {0x259, 0x25b, 2},      {0x25c, 0x260, 4},     {0x261, 0x265, 2},
    {0x266, 0x268, 2},     {0x269, 0x26c, 1},      {0x26f, 0x271, 2},     {0x272, 0x275, 3},
    {0x27d, 0x280, 3},     {0x282, 0x283, 1},      {0x287, 0x28c, 1},     {0x292, 0x29d, 11},
    {0x29e, 0x345, 167},   {0x371, 0x373, 2},      {0x377, 0x37b, 4},     {0x37c, 0x37d, 1},
    {0x3ac, 0x3af, 1},     {0x3b1, 0x3ce, 1},      {0x3d0, 0x3d1, 1},     {0x3d5, 0x3d7, 1},
    {0x3d9, 0x3ef, 2},     {0x3f0, 0x3f3, 1},      {0x3f5, 0x3fb, 3},     {0x430, 0x45f, 1},
    {0x461, 0x481, 2},     {0x48b, 0x4bf, 2},      {0x4c2, 0x4ce, 2},     {0x4cf, 0x52f, 2},
    {0x561, 0x586, 1},     {0x10d0, 0x10fa, 1},    {0x10fd, 0x10ff, 1},   {0x13f8, 0x13fd, 1},
    {0x1c80, 0x1c88, 1},   {0x1d79, 0x1d7d, 4},    {0x1d8e, 0x1e01, 115}, {0x1e03, 0x1e95, 2},
    {0x1e9b, 0x1ea1, 6},   {0x1ea3, 0x1eff, 2},    {0x1f00, 0x1f07, 1},   {0x1f10, 0x1f15, 1},
    {0x1f20, 0x1f27, 1},   {0x1f30, 0x1f37, 1},    {0x1f40, 0x1f45, 1},   {0x1f51, 0x1f57, 2},
    {0x1f60, 0x1f67, 1},   {0x1f70, 0x1f7d, 1},    {0x1fb0, 0x1fb1, 1},   {0x1fbe, 0x1fd0, 18},
    {0x1fd1, 0x1fe0, 15},  {0x1fe1, 0x1fe5, 4},    {0x214e, 0x2184, 54},  {0x2c30, 0x2c5e, 1},
    {0x2c61, 0x2c65, 4},   {0x2c66, 0x2c6c, 2},    {0x2c73, 0x2c76, 3},   {0x2c81, 0x2ce3, 2},
    {0x2cec, 0x2cee, 2},   {0x2cf3, 0x2d00, 13},   {0x2d01, 0x2d25, 1},   {0x2d27, 0x2d2d, 6},
    {0xa641, 0xa66d, 2},   {0xa681, 0xa69b, 2},    {0xa723, 0xa72f, 2},   {0xa733, 0xa76f, 2},
    {0xa77a, 0xa77c, 2},   {0xa77f, 0xa787, 2},    {0xa78c, 0xa791, 5},   {0xa793, 0xa794, 1},
    {0xa797, 0xa7a9, 2},   {0xa7b5, 0xa7bf, 2},    {0xa7c3, 0xa7c8, 5},   {0xa7ca, 0xa7f6, 44},
    {0xab53, 0xab70, 29},  {0xab71, 0xabbf, 1},    {0xff41, 0xff5a, 1},   {0x10428, 0x1044f, 1},
    {0x104d8, 0x104fb, 1}, {0x10cc0, 0x10cf2, 1},  {0x118c0, 0x118df, 1}, {0x16e60, 0x16e7f, 1},
    {0x1e922, 0x1e943, 1}, {0x399, 0x3b9, 32},     {0x1fbe, 0x1fbe, 1},   {0x399, 0x3b9, 32},
    {0x1fbe, 0x1fbe, 1},   {0x39c, 0x3bc, 32},     {0xb5, 0x345, 656},    {0x399, 0x3b9, 32},
    {0x1fbe, 0x1fbe, 1},
};
static const struct fold_table {
	const char *name;
	uint16_t at, n;
} fold_tables[] = {
    {"L", 0, 1},    {"Ll", 1, 113},     {"Lt", 114, 9},    {"Lu", 123, 114},      {"M", 237, 2},
    {"Mn", 239, 2}, {"Common", 241, 1}, {"Greek", 242, 1}, {"Inherited", 243, 2},
};

/* The fold table of a category or script ("Lu"), or NULL when Go has none. */
static const struct fold_table *fold_table(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof fold_tables / sizeof fold_tables[0]; i++)
		if (strlen(fold_tables[i].name) == n && memcmp(fold_tables[i].name, s, n) == 0)
			return &fold_tables[i];
	return NULL;
}

/* ---- the translator --------------------------------------------------------------------- */

enum { K_ATOM, K_CONCAT, K_ALT };

/* A parsed expression on the stack of the current branch: where its PCRE2 text starts in out,
 * an approximation of Go's parse-tree height, and repeatIsValid's product of repeat counts. */
typedef struct item {
	size_t at;
	uint8_t kind;
	int h, subh; /* subh: for K_CONCAT / K_ALT, the height of the tallest child */
	uint32_t rw;
} item;

/* An open group (the whole pattern is frame 0). */
typedef struct frame {
	size_t at, base; /* its text in out; its first item on the item stack */
	uint16_t flags;  /* the flags to restore at ')' */
	bool cap;
	int nbr; /* branches closed by '|' */
	int alt_subh;
	uint32_t alt_rw;
} frame;

typedef struct tr {
	const char *s;
	size_t n;
	pk_sb out;
	uint16_t flags;
	item *it;
	size_t nit, capit;
	frame *fr;
	size_t nfr, capfr;
	const char *ecode; /* Go's error code; NULL: no error */
	size_t eat, elen;  /* the offending text */
	bool oom;
} tr;

static bool fail(tr *t, const char *code, size_t at, size_t len)
{
	t->ecode = code;
	t->eat = at;
	t->elen = len;
	return false;
}

static bool fail_whole(tr *t, const char *code)
{
	return fail(t, code, 0, t->n);
}

/* Go's checkUTF8 of s[at..end): the error names the text from the first invalid byte on. */
static bool check_utf8(tr *t, size_t at, size_t end)
{
	uint32_t r;
	for (size_t i = at; i < end;) {
		size_t l = pk_utf8_decode((const char *)t->s + i, end - i, &r);
		if (!l)
			return fail(t, E_UTF8, i, end - i);
		i += l;
	}
	return true;
}

/* nextRune at *i: the rune, or Go's "invalid UTF-8" error naming the rest of the pattern. At
 * the end of the pattern, Go's DecodeRune gives RuneError of width 0, which is no error. */
static bool next_rune(tr *t, size_t *i, uint32_t *r)
{
	if (*i >= t->n) {
		*r = 0xFFFD;
		return true;
	}
	size_t l = pk_utf8_decode((const char *)t->s + *i, t->n - *i, r);
	if (!l)
		return fail(t, E_UTF8, *i, t->n - *i);
	*i += l;
	return true;
}

static void emit(tr *t, const char *s)
{
	pk_sb_cstr(&t->out, s);
}

static void emit_rune(pk_sb *b, uint32_t r)
{
	if ((r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')) {
		char c = (char)r;
		pk_sb_bytes(b, &c, 1);
	} else {
		pk_sb_fmt(b, "\\x{%x}", (unsigned)r);
	}
}

static bool push_item(tr *t, size_t at, uint8_t kind, int h, int subh, uint32_t rw)
{
	if (!pk_grow((void **)&t->it, &t->capit, t->nit + 1, sizeof *t->it)) {
		t->oom = true;
		return false;
	}
	t->it[t->nit++] = (item){at, kind, h, subh, rw};
	if (h > MAX_HEIGHT)
		return fail_whole(t, E_NESTING);
	return true;
}

static bool atom(tr *t, size_t at)
{
	return push_item(t, at, K_ATOM, 1, 0, 1);
}

/* p.literal(r) */
static bool literal(tr *t, uint32_t r)
{
	size_t at = t->out.n;
	if (r >= 0xD800 && r <= 0xDFFF) {
		emit(t, "(?!)"); /* a surrogate never comes out of decoding a subject */
	} else if ((t->flags & F_FOLD) && (r >= 0x80 || ((r | 0x20) >= 'a' && (r | 0x20) <= 'z'))) {
		emit(t, "(?i:");
		emit_rune(&t->out, r);
		emit(t, ")");
	} else {
		emit_rune(&t->out, r);
	}
	return atom(t, at);
}

static bool push_frame(tr *t, size_t at, uint16_t flags, bool cap)
{
	if (!pk_grow((void **)&t->fr, &t->capfr, t->nfr + 1, sizeof *t->fr)) {
		t->oom = true;
		return false;
	}
	t->fr[t->nfr++] = (frame){at, t->nit, flags, cap, 0, 0, 0};
	return true;
}

/* p.concat(): the items of the current branch become one (height only: the text is already in
 * place). Returns the concatenation without pushing it. */
static item concat_branch(tr *t)
{
	frame *f = &t->fr[t->nfr - 1];
	size_t k = t->nit - f->base;
	item c = {t->out.n, K_ATOM, 1, 0, 1};
	if (k == 1)
		return t->it[f->base];
	if (k == 0)
		return c;
	c.at = t->it[f->base].at;
	c.kind = K_CONCAT;
	for (size_t i = f->base; i < t->nit; i++) {
		const item *x = &t->it[i];
		int h = x->kind == K_CONCAT ? x->subh : x->h;
		if (h > c.subh)
			c.subh = h;
		if (x->rw > c.rw)
			c.rw = x->rw;
	}
	c.h = 1 + c.subh;
	return c;
}

static void close_branch(tr *t)
{
	frame *f = &t->fr[t->nfr - 1];
	item c = concat_branch(t);
	int h = c.kind == K_ALT ? c.subh : c.h;
	if (h > f->alt_subh)
		f->alt_subh = h;
	if (c.rw > f->alt_rw)
		f->alt_rw = c.rw;
	f->nbr++;
	t->nit = f->base;
}

/* The content of the innermost frame as one item (concat + alternate), popping the frame. */
static item close_frame(tr *t)
{
	frame *f = &t->fr[t->nfr - 1];
	item c;
	if (f->nbr == 0) {
		c = concat_branch(t);
	} else {
		close_branch(t);
		c = (item){f->at, K_ALT, 1 + f->alt_subh, f->alt_subh, f->alt_rw};
	}
	t->nit = f->base;
	t->nfr--;
	return c;
}

/* p.repeat: applies a quantifier to the top item. before: where the operator starts; after:
 * where it ends; last: where the previous operator started when it immediately precedes
 * (SIZE_MAX: none). min/max as Go's OpRepeat (max -1: none); op is '*', '+', '?' or '{'. */
static bool repeat(tr *t, char op, int min, int max, size_t before, size_t *after, size_t last)
{
	bool lazy = (t->flags & F_NONGREEDY) != 0;
	if (*after < t->n && t->s[*after] == '?') {
		(*after)++;
		lazy = !lazy;
	}
	if (last != SIZE_MAX)
		return fail(t, E_REPEAT_OP, last, *after - last);
	frame *f = &t->fr[t->nfr - 1];
	if (t->nit == f->base)
		return fail(t, E_REPEAT_ARG, before, *after - before);
	item *x = &t->it[t->nit - 1];
	/* The item's text ends the output: wrap it and quantify the group. */
	pk_sb_bytes(&t->out, "(", 1);
	if (t->out.oom)
		return false;
	memmove(t->out.s + x->at + 1, t->out.s + x->at, t->out.n - 1 - x->at);
	t->out.s[x->at] = '(';
	emit(t, ")");
	switch (op) {
	case '*':
	case '+':
	case '?': {
		char q[2] = {op, 0};
		emit(t, q);
		break;
	}
	default:
		if (max == -1)
			pk_sb_fmt(&t->out, "{%d,}", min);
		else if (max == min)
			pk_sb_fmt(&t->out, "{%d}", min);
		else
			pk_sb_fmt(&t->out, "{%d,%d}", min, max);
	}
	if (lazy)
		emit(t, "?");
	x->h++;
	x->kind = K_ATOM;
	if (op == '{') {
		uint32_t m = (uint32_t)(max < 0 ? min : max);
		x->rw = m == 0 ? 1 : (x->rw > 1000 ? 1001 : x->rw * m);
	}
	if (x->h > MAX_HEIGHT)
		return fail_whole(t, E_NESTING);
	if (op == '{' && (min >= 2 || max >= 2) && x->rw > 1000)
		return fail(t, E_REPEAT_SIZE, before, *after - before);
	return true;
}

/* parseInt: a decimal without leading zeros; -1 when too big. */
static bool parse_int(tr *t, size_t *i, int *v)
{
	size_t j = *i;
	if (j >= t->n || t->s[j] < '0' || t->s[j] > '9')
		return false;
	if (j + 1 < t->n && t->s[j] == '0' && t->s[j + 1] >= '0' && t->s[j + 1] <= '9')
		return false;
	int n = 0;
	for (; j < t->n && t->s[j] >= '0' && t->s[j] <= '9'; j++) {
		if (n >= 100000000)
			n = -1;
		if (n >= 0)
			n = n * 10 + (t->s[j] - '0');
	}
	*v = n;
	*i = j;
	return true;
}

/* parseRepeat at '{': {min}, {min,} or {min,max}. */
static bool parse_repeat(tr *t, size_t i, int *min, int *max, size_t *after)
{
	i++;
	if (!parse_int(t, &i, min) || i >= t->n)
		return false;
	if (t->s[i] != ',') {
		*max = *min;
	} else {
		i++;
		if (i >= t->n)
			return false;
		if (t->s[i] == '}') {
			*max = -1;
		} else {
			if (!parse_int(t, &i, max))
				return false;
			if (*max < 0)
				*min = -1;
		}
	}
	if (i >= t->n || t->s[i] != '}')
		return false;
	*after = i + 1;
	return true;
}

static int unhex(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* parseEscape at '\\': the rune it stands for. */
static bool parse_escape(tr *t, size_t *pi, uint32_t *out)
{
	size_t start = *pi, i = start + 1;
	uint32_t c;
	if (i >= t->n)
		return fail(t, E_BACKSLASH, start, 0);
	if (!next_rune(t, &i, &c))
		return false;
	switch (c) {
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
		if (i >= t->n || t->s[i] < '0' || t->s[i] > '7')
			break; /* a backreference: not supported */
		               /* fallthrough */
	case '0': {
		uint32_t r = c - '0';
		for (int k = 1; k < 3 && i < t->n && t->s[i] >= '0' && t->s[i] <= '7'; k++)
			r = r * 8 + (uint32_t)(t->s[i++] - '0');
		*out = r;
		*pi = i;
		return true;
	}
	case 'x': {
		if (i >= t->n)
			break;
		if (!next_rune(t, &i, &c))
			return false;
		if (c == '{') {
			uint32_t r = 0;
			int nhex = 0;
			for (;;) {
				if (i >= t->n)
					goto bad;
				if (!next_rune(t, &i, &c))
					return false;
				if (c == '}')
					break;
				int v = unhex(c);
				if (v < 0)
					goto bad;
				r = r * 16 + (uint32_t)v;
				if (r > MAX_RUNE)
					goto bad;
				nhex++;
			}
			if (nhex == 0)
				goto bad;
			*out = r;
			*pi = i;
			return true;
		}
		int x = unhex(c);
		if (!next_rune(t, &i, &c))
			return false;
		int y = unhex(c);
		if (x < 0 || y < 0)
			break;
		*out = (uint32_t)(x * 16 + y);
		*pi = i;
		return true;
	}
	case 'a':
		*out = '\a';
		*pi = i;
		return true;
	case 'f':
		*out = '\f';
		*pi = i;
		return true;
	case 'n':
		*out = '\n';
		*pi = i;
		return true;
	case 'r':
		*out = '\r';
		*pi = i;
		return true;
	case 't':
		*out = '\t';
		*pi = i;
		return true;
	case 'v':
		*out = '\v';
		*pi = i;
		return true;
	default:
		if (c < 0x80 &&
		    !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
			*out = c; /* escaped punctuation is itself */
			*pi = i;
			return true;
		}
	}
bad:
	return fail(t, E_ESCAPE, start, i - start);
}

static void emit_ranges(pk_sb *b, const rset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		uint32_t lo = s->v[i].lo, hi = s->v[i].hi;
		/* PCRE2 refuses surrogate code points; no decoded subject holds one. */
		if (lo >= 0xD800 && hi <= 0xDFFF)
			continue;
		if (lo < 0xD800 && hi >= 0xD800) {
			if (hi > 0xDFFF) {
				pk_sb_fmt(b, "\\x{%x}-\\x{d7ff}", (unsigned)lo);
				lo = 0xE000;
			} else {
				hi = 0xD7FF;
			}
		} else if (lo >= 0xD800 && lo <= 0xDFFF) {
			lo = 0xE000;
		}
		if (lo == hi)
			pk_sb_fmt(b, "\\x{%x}", (unsigned)lo);
		else
			pk_sb_fmt(b, "\\x{%x}-\\x{%x}", (unsigned)lo, (unsigned)hi);
	}
}

/* parseUnicodeClass at "\p" or "\P": appends \p{Name} or \P{Name} to b. */
/* parseUnicodeClass at "\\p" or "\\P": appends the class's PCRE2 items (\\p{Name}, \\P{Name},
 * ranges) to b, or, for a negated class under (?i), a whole "[^...]" alternative to extra. */
static bool parse_unicode(tr *t, size_t *pi, pk_sb *b, pk_sb *extra)
{
	size_t start = *pi, i = start + 2, seq_end, name_at, name_len;
	bool neg = t->s[start + 1] == 'P';
	uint32_t c;
	if (!next_rune(t, &i, &c))
		return false;
	if (c != '{') {
		seq_end = i;
		name_at = start + 2;
		name_len = i - name_at;
	} else {
		const char *close = memchr(t->s + start, '}', t->n - start);
		if (!close) {
			if (!check_utf8(t, start, t->n))
				return false;
			return fail(t, E_CLASS_RANGE, start, t->n - start);
		}
		size_t end = (size_t)(close - t->s);
		seq_end = end + 1;
		name_at = start + 3;
		name_len = end - name_at;
		if (!check_utf8(t, name_at, end))
			return false;
	}
	if (name_len > 0 && t->s[name_at] == '^') {
		neg = !neg;
		name_at++;
		name_len--;
	}
	int kind = unicode_name_kind(t->s + name_at, name_len);
	if (!kind)
		return fail(t, E_CLASS_RANGE, start, seq_end - start);
	/* Go's scripts are the Script property; PCRE2's \p{Greek} is Script_Extensions. */
	const char *sc = kind == 2 ? "sc:" : "";
	const struct fold_table *ft =
	    (t->flags & F_FOLD) ? fold_table(t->s + name_at, name_len) : NULL;
	if (!ft) {
		pk_sb_fmt(b, "\\%c{%s%.*s}", neg ? 'P' : 'p', sc, (int)name_len, t->s + name_at);
	} else {
		/* Go folds the class: the table plus the characters that fold into it (PCRE2 does
		 * not fold \p). A negated one is a class of its own, one of the alternatives. */
		rset rs = {0};
		for (uint16_t k = 0; k < ft->n; k++) {
			const uint32_t *r = fold_ranges[ft->at + k];
			if (r[2] == 1)
				rs_add(&rs, r[0], r[1]);
			else
				for (uint32_t c = r[0]; c <= r[1]; c += r[2])
					rs_add(&rs, c, c);
		}
		rs_clean(&rs);
		pk_sb *dst = b;
		if (neg) {
			dst = extra;
			if (extra->n)
				pk_sb_bytes(extra, "|", 1);
			pk_sb_cstr(extra, "[^");
		}
		pk_sb_fmt(dst, "\\p{%s%.*s}", sc, (int)name_len, t->s + name_at);
		emit_ranges(dst, &rs);
		if (neg)
			pk_sb_cstr(extra, "]");
		t->oom |= rs.oom;
		pk_free(rs.v);
	}
	*pi = seq_end;
	return true;
}

static const group *perl_group(char c, bool *neg)
{
	const char *names = "dswDSW";
	const char *p = c ? strchr(names, c) : NULL;
	if (!p)
		return NULL;
	*neg = p - names >= 3;
	return &perl_groups[(p - names) % 3];
}

/* parseClass at '[' */
static bool parse_class(tr *t, size_t *pi)
{
	size_t start = *pi, i = start + 1, at = t->out.n;
	bool neg = false, first = true, fold = (t->flags & F_FOLD) != 0, ok = false;
	rset rs = {0};
	pk_sb props = {0}, extra = {0};
	if (i < t->n && t->s[i] == '^') {
		neg = true;
		i++;
	}
	while (i >= t->n || t->s[i] != ']' || first) {
		first = false;
		if (t->n - i > 2 && t->s[i] == '[' && t->s[i + 1] == ':') {
			const char *e = NULL;
			for (size_t j = i + 2; j + 1 < t->n; j++)
				if (t->s[j] == ':' && t->s[j + 1] == ']') {
					e = t->s + j;
					break;
				}
			if (e) {
				size_t len = (size_t)(e - (t->s + i)) + 2;
				const char *nm = t->s + i + 2;
				size_t nl = len - 4;
				bool gneg = nl > 0 && nm[0] == '^';
				const group *g = NULL;
				if (gneg) {
					nm++;
					nl--;
				}
				for (size_t k = 0; k < sizeof posix_groups / sizeof posix_groups[0];
				     k++)
					if (strlen(posix_groups[k].name) == nl &&
					    memcmp(posix_groups[k].name, nm, nl) == 0)
						g = &posix_groups[k];
				if (!g) {
					fail(t, E_CLASS_RANGE, i, len);
					goto done;
				}
				add_group(&rs, g, gneg, fold);
				i += len;
				continue;
			}
		}
		if (i + 1 < t->n && t->s[i] == '\\' && (t->s[i + 1] == 'p' || t->s[i + 1] == 'P')) {
			if (!parse_unicode(t, &i, &props, &extra))
				goto done;
			continue;
		}
		bool gneg;
		const group *g =
		    i + 1 < t->n && t->s[i] == '\\' ? perl_group(t->s[i + 1], &gneg) : NULL;
		if (g) {
			add_group(&rs, g, gneg, fold);
			i += 2;
			continue;
		}
		/* A character or a range. */
		size_t rng = i;
		uint32_t lo, hi;
		if (i >= t->n) {
			fail(t, E_BRACKET, start, t->n - start);
			goto done;
		}
		if (t->s[i] == '\\' ? !parse_escape(t, &i, &lo) : !next_rune(t, &i, &lo))
			goto done;
		hi = lo;
		if (t->n - i >= 2 && t->s[i] == '-' && t->s[i + 1] != ']') {
			i++;
			if (i >= t->n) {
				fail(t, E_BRACKET, start, t->n - start);
				goto done;
			}
			if (t->s[i] == '\\' ? !parse_escape(t, &i, &hi) : !next_rune(t, &i, &hi))
				goto done;
			if (hi < lo) {
				fail(t, E_CLASS_RANGE, rng, i - rng);
				goto done;
			}
		}
		rs_add(&rs, lo, hi);
	}
	i++; /* ']' */
	rs_clean(&rs);
	pk_sb body = {0};
	emit_ranges(&body, &rs);
	pk_sb_bytes(&body, props.s ? props.s : "", props.n);
	if (fold)
		emit(t, "(?i:");
	if (extra.n) {
		/* The union as alternatives of one-character classes; negated: none of them. */
		emit(t, neg ? "(?!" : "(?:");
		if (body.n)
			pk_sb_fmt(&t->out, "[%s]|", body.s);
		pk_sb_bytes(&t->out, extra.s, extra.n);
		emit(t, neg ? ")(?s:.)" : ")");
	} else if (body.n == 0) { /* only surrogates: nothing, or (negated) anything */
		emit(t, neg ? "(?s:.)" : "(?!)");
	} else {
		pk_sb_fmt(&t->out, "[%s%s]", neg ? "^" : "", body.s);
	}
	if (fold)
		emit(t, ")");
	t->oom |= body.oom;
	pk_sb_free(&body);
	*pi = i;
	ok = atom(t, at);
done:
	t->oom |= rs.oom || props.oom || extra.oom;
	pk_free(rs.v);
	pk_sb_free(&props);
	pk_sb_free(&extra);
	return ok && !t->oom;
}

/* parsePerlFlags at "(?" */
static bool parse_perl_flags(tr *t, size_t *pi)
{
	size_t start = *pi, i = start;
	if (t->n - i > 4 && t->s[i + 2] == 'P' && t->s[i + 3] == '<') {
		const char *gt = memchr(t->s + i, '>', t->n - i);
		if (!gt) {
			if (!check_utf8(t, i, t->n))
				return false;
			return fail(t, E_NAMED, start, t->n - start);
		}
		size_t end = (size_t)(gt - t->s);
		if (!check_utf8(t, i + 4, end))
			return false;
		bool valid = end > i + 4;
		for (size_t k = i + 4; k < end; k++) {
			char c = t->s[k];
			if (c != '_' && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			                  (c >= 'a' && c <= 'z')))
				valid = false;
		}
		if (!valid)
			return fail(t, E_NAMED, start, end + 1 - start);
		if (!push_frame(t, t->out.n, t->flags, true))
			return false;
		emit(t, "(");
		*pi = end + 1;
		return true;
	}
	uint16_t flags = t->flags;
	bool negated = false, saw = false;
	uint32_t c;
	i += 2;
	while (i < t->n) {
		if (!next_rune(t, &i, &c))
			return false;
		switch (c) {
		case 'i':
			flags = negated ? flags & ~F_FOLD : flags | F_FOLD;
			saw = true;
			continue;
		case 'm':
			flags = negated ? flags | F_ONELINE : flags & ~F_ONELINE;
			saw = true;
			continue;
		case 's':
			flags = negated ? flags & ~F_DOTNL : flags | F_DOTNL;
			saw = true;
			continue;
		case 'U':
			flags = negated ? flags & ~F_NONGREEDY : flags | F_NONGREEDY;
			saw = true;
			continue;
		case '-':
			if (negated)
				break;
			negated = true;
			saw = false;
			continue;
		case ':':
		case ')':
			if (negated && !saw)
				break;
			if (c == ':') {
				if (!push_frame(t, t->out.n, t->flags, false))
					return false;
				emit(t, "(");
			}
			t->flags = flags;
			*pi = i;
			return true;
		default:
			break;
		}
		break;
	}
	return fail(t, E_PERL_OP, start, i - start);
}

static bool parse_right_paren(tr *t)
{
	if (t->nfr < 2)
		return fail_whole(t, E_UNEXPECTED_PAREN);
	frame f = t->fr[t->nfr - 1];
	item c = close_frame(t);
	emit(t, ")");
	t->flags = f.flags;
	if (f.cap)
		return push_item(t, f.at, K_ATOM, c.h + 1, 0, c.rw);
	if (c.h > MAX_HEIGHT)
		return fail_whole(t, E_NESTING);
	return push_item(t, f.at, c.kind, c.h, c.subh, c.rw);
}

/* parse(): the whole pattern; on success t->out holds the PCRE2 pattern. */
static bool translate(tr *t)
{
	size_t i = 0, last = SIZE_MAX;
	t->flags = F_ONELINE;
	if (!push_frame(t, 0, t->flags, false))
		return false;
	while (i < t->n) {
		size_t rep = SIZE_MAX, at = t->out.n;
		char ch = t->s[i];
		switch (ch) {
		case '(':
			if (i + 1 < t->n && t->s[i + 1] == '?') {
				if (!parse_perl_flags(t, &i))
					return false;
				break;
			}
			if (!push_frame(t, t->out.n, t->flags, true))
				return false;
			emit(t, "(");
			i++;
			break;
		case '|':
			close_branch(t);
			emit(t, "|");
			i++;
			break;
		case ')':
			if (!parse_right_paren(t))
				return false;
			i++;
			break;
		case '^':
			emit(t, (t->flags & F_ONELINE) ? "\\A" : "(?<![^\\n])");
			if (!atom(t, at))
				return false;
			i++;
			break;
		case '$':
			emit(t, (t->flags & F_ONELINE) ? "\\z" : "(?![^\\n])");
			if (!atom(t, at))
				return false;
			i++;
			break;
		case '.':
			emit(t, (t->flags & F_DOTNL) ? "(?s:.)" : "[^\\n]");
			if (!atom(t, at))
				return false;
			i++;
			break;
		case '[':
			if (!parse_class(t, &i))
				return false;
			break;
		case '*':
		case '+':
		case '?': {
			size_t after = i + 1;
			if (!repeat(t, ch, 0, 0, i, &after, last))
				return false;
			rep = i;
			i = after;
			break;
		}
		case '{': {
			int min, max;
			size_t after;
			if (!parse_repeat(t, i, &min, &max, &after)) {
				if (!literal(t, '{'))
					return false;
				i++;
				break;
			}
			if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
				return fail(t, E_REPEAT_SIZE, i, after - i);
			if (!repeat(t, '{', min, max, i, &after, last))
				return false;
			rep = i;
			i = after;
			break;
		}
		case '\\': {
			char e = i + 1 < t->n ? t->s[i + 1] : 0;
			const char *op = e == 'A'   ? "\\A"
			                 : e == 'b' ? "\\b"
			                 : e == 'B' ? "\\B"
			                 : e == 'z' ? "\\z"
			                            : NULL;
			if (op) {
				emit(t, op);
				if (!atom(t, at))
					return false;
				i += 2;
				break;
			}
			if (e == 'C')
				return fail(t, E_ESCAPE, i, 2);
			if (e == 'Q') {
				size_t j = i + 2, end = t->n, next = end;
				for (size_t k = j; k + 1 < t->n; k++)
					if (t->s[k] == '\\' && t->s[k + 1] == 'E') {
						end = k;
						next = k + 2;
						break;
					}
				while (j < end) {
					uint32_t r;
					size_t l =
					    pk_utf8_decode((const char *)t->s + j, end - j, &r);
					if (!l)
						return fail(t, E_UTF8, j, end - j);
					if (!literal(t, r))
						return false;
					j += l;
				}
				i = next;
				break;
			}
			if (e == 'p' || e == 'P') {
				pk_sb b = {0}, x = {0};
				bool ok = parse_unicode(t, &i, &b, &x);
				if (ok && x.n)
					pk_sb_bytes(&t->out, x.s, x.n); /* "[^\\p{Lu}...]" */
				else if (ok && (t->flags & F_FOLD))
					pk_sb_fmt(&t->out, "[%s]", b.s); /* "[\\p{Lu}...]" */
				else if (ok)
					pk_sb_bytes(&t->out, b.s, b.n);
				t->oom |= b.oom || x.oom;
				pk_sb_free(&b);
				pk_sb_free(&x);
				if (!ok || !atom(t, at))
					return false;
				break;
			}
			bool gneg;
			const group *g = perl_group(e, &gneg);
			if (g) {
				bool fold = (t->flags & F_FOLD) != 0;
				rset rs = {0};
				add_group(&rs, g, false, fold);
				if (fold)
					emit(t, "(?i:");
				pk_sb_fmt(&t->out, "[%s", gneg ? "^" : "");
				emit_ranges(&t->out, &rs);
				emit(t, fold ? "])" : "]");
				t->oom |= rs.oom;
				pk_free(rs.v);
				if (!atom(t, at))
					return false;
				i += 2;
				break;
			}
			uint32_t r;
			if (!parse_escape(t, &i, &r) || !literal(t, r))
				return false;
			break;
		}
		default: {
			uint32_t r;
			if (!next_rune(t, &i, &r) || !literal(t, r))
				return false;
		}
		}
		if (t->oom || t->out.oom) {
			t->oom = true;
			return false;
		}
		last = rep;
	}
	if (t->nfr != 1)
		return fail_whole(t, E_PAREN);
	item c = close_frame(t);
	if (c.h > MAX_HEIGHT)
		return fail_whole(t, E_NESTING);
	return !t->oom && !t->out.oom;
}

/* ---- the API ---------------------------------------------------------------------------- */

static pk_status go_error(pk_ctx *ctx, const char *flag_name, const char *code, const char *expr,
                          size_t expr_len)
{
	if (flag_name)
		return pk_fail(ctx, PK_EUSAGE,
		               "parsing %s regexp: error parsing regexp: %s: `%.*s`", flag_name,
		               code, (int)expr_len, expr);
	return pk_fail(ctx, PK_EUSAGE, "error parsing regexp: %s: `%.*s`", code, (int)expr_len,
	               expr);
}

/* parse() as Go does it, with Go's error: a NULL ctx message means out of memory. On success
 * t->out holds the pattern in PCRE2's syntax. */
static pk_status parse(pk_ctx *ctx, tr *t, const char *pattern, const char *flag_name)
{
	memset(t, 0, sizeof *t);
	t->s = pattern ? pattern : "";
	t->n = strlen(t->s);
	pk_sb_cstr(&t->out, ""); /* never NULL */
	if (translate(t))
		return PK_OK;
	if (t->oom || t->out.oom || !t->ecode)
		return pk_oom(ctx);
	return go_error(ctx, flag_name, t->ecode, t->s + t->eat, t->elen);
}

static void tr_free(tr *t)
{
	pk_sb_free(&t->out);
	pk_free(t->it);
	pk_free(t->fr);
}

pk_status pk_regex_compile(pk_ctx *ctx, pk_regex **out, const char *pattern, const char *flag_name)
{
	tr t;
	*out = NULL;
	pk_status st = parse(ctx, &t, pattern, flag_name);
	tr_free(&t);
	if (st)
		return st;
	/* Go accepted it: RE2 reads Go's syntax itself (the translation is not used). */
	pk_regex *re = pk_calloc(1, sizeof *re);
	if (!re)
		return pk_oom(ctx);
	char msg[256];
	re->re2 = pk_re2_new(t.s, t.n, msg, sizeof msg);
	if (!re->re2) {
		pk_free(re);
		if (!strcmp(msg, "out of memory"))
			return pk_oom(ctx);
		return go_error(ctx, flag_name, msg, t.s, t.n);
	}
	*out = re;
	return PK_OK;
}

pk_status pk_regex_pcre2_text(pk_ctx *ctx, const char *pattern, char **out)
{
	tr t;
	*out = NULL;
	pk_status st = parse(ctx, &t, pattern, NULL);
	if (!st) {
		*out = t.out.s;
		t.out.s = NULL;
	}
	tr_free(&t);
	return st;
}

bool pk_regex_match(const pk_regex *re, const char *s, size_t n)
{
	char *tmp = NULL;
	if (!pk_utf8_valid(s, n)) {
		/* As Go reads it: each byte of an invalid sequence is one U+FFFD. */
		size_t cap;
		if (!pk_mul_ok(n, 3, &cap) || !(tmp = pk_malloc(cap + 1)))
			return false;
		size_t w = 0;
		uint32_t r;
		for (size_t i = 0; i < n;) {
			size_t l = pk_utf8_decode((const char *)s + i, n - i, &r);
			if (l) {
				memcpy(tmp + w, s + i, l);
				w += l;
				i += l;
			} else {
				memcpy(tmp + w, "\xEF\xBF\xBD", 3);
				w += 3;
				i++;
			}
		}
		s = tmp;
		n = w;
	}
	bool m = pk_re2_match(re->re2, s, n) == 1;
	pk_free(tmp);
	return m;
}

void pk_regex_free(pk_regex *re)
{
	if (!re)
		return;
	pk_re2_free(re->re2);
	pk_free(re);
}
