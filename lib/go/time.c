/* time.c - Go's time formatting as pprof prints it: time.Time.String, Duration.String, and
 * the "Jan 2, 2006 at 3:04pm (MST)" label of report headers. Local zone, as Go's. */
#define _GNU_SOURCE /* localtime_r */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "go/go.h"

char *pk_go_time_label(char *buf, size_t n, int64_t unix_nanos)
{
	static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	/* Go floors toward negative infinity when splitting nanoseconds into seconds. */
	int64_t sec = unix_nanos / 1000000000;
	if (unix_nanos % 1000000000 < 0)
		sec--;
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		snprintf(buf, n, "?");
		return buf;
	}
	int h = tm.tm_hour % 12;
	if (h == 0)
		h = 12;
	char zone[64];
	if (tm.tm_zone && tm.tm_zone[0])
		snprintf(zone, sizeof zone, "%s", tm.tm_zone);
	else
		strftime(zone, sizeof zone, "%z", &tm);
	snprintf(buf, n, "%s %d, %lld at %d:%02d%s (%s)", months[tm.tm_mon], tm.tm_mday,
	         (long long)tm.tm_year + 1900, h, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm", zone);
	return buf;
}

/* time.Time.String of time.Unix(0, ns) in the local zone (TZ), without a monotonic part. */
void pk_go_time_string(pk_sb *sb, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		pk_sb_cstr(sb, "?");
		return;
	}
	long long year = (long long)tm.tm_year + 1900;
	if (year < 0)
		pk_sb_fmt(sb, "-%04lld", -year);
	else
		pk_sb_fmt(sb, "%04lld", year);
	pk_sb_fmt(sb, "-%02d-%02d %02d:%02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	          tm.tm_sec);
	if (frac) {
		char digits[16];
		snprintf(digits, sizeof digits, "%09" PRId64, frac);
		size_t n = 9;
		while (n > 0 && digits[n - 1] == '0')
			n--;
		pk_sb_bytes(sb, ".", 1);
		pk_sb_bytes(sb, digits, n);
	}
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	pk_sb_fmt(sb, " %c%02ld%02ld ", sign, off / 60, off % 60);
	if (tm.tm_zone && tm.tm_zone[0])
		pk_sb_cstr(sb, tm.tm_zone);
	else
		pk_sb_fmt(sb, "%c%02ld%02ld", sign, off / 60, off % 60);
}

/* Go's fmtFrac: the prec lowest digits of *v as a fraction without trailing zeros, written
 * backwards ending at buf[w]; *v keeps the integer part. Returns the new start. */
static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		int digit = (int)(*v % 10);
		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--w] = '.';
	return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	if (v == 0)
		buf[--w] = '0';
	while (v > 0) {
		buf[--w] = (char)('0' + v % 10);
		v /= 10;
	}
	return w;
}

/* time.Duration.String into out (at least 33 bytes); returns out. */
char *pk_go_duration_string(char *out, int64_t d)
{
	char buf[32];
	size_t w = sizeof buf;
	uint64_t u = (uint64_t)d;
	bool neg = d < 0;
	if (neg)
		u = 0 - u;
	if (u < 1000000000ULL) {
		int prec;
		buf[--w] = 's';
		if (u == 0) {
			snprintf(out, 33, "0s");
			return out;
		} else if (u < 1000ULL) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < 1000000ULL) {
			prec = 3;
			buf[--w] = '\xb5'; /* U+00B5 micro sign */
			buf[--w] = '\xc2';
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		w = fmt_frac(buf, w, &u, prec);
		w = fmt_int(buf, w, u);
	} else {
		buf[--w] = 's';
		w = fmt_frac(buf, w, &u, 9);
		w = fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			w = fmt_int(buf, w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				w = fmt_int(buf, w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	memcpy(out, buf + w, sizeof buf - w);
	out[sizeof buf - w] = 0;
	return out;
}
