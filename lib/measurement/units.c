/* units.c - unit families, scaling, value labels and percentages.
 * Mirrors internal/measurement/measurement.go (Scale, ScaledLabel, Percentage, the unit tables,
 * sniffUnit, autoScale, convertUnit) and the Time line of internal/report/report.go
 * (ProfileLabels). Formatting relies on C's %.2f and %5.2g, which round exactly as Go's fmt does
 * for finite values. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "measurement/measurement.h"

typedef struct {
	const char *name;
	const char *aliases[4];
	double factor;
} unit;

typedef struct {
	unit def;
	unit units[10];
	int n;
} family;

static const family families[] = {
    {{"B", {"b", "byte"}, 1},
     {{"B", {"b", "byte"}, 1},
      {"kB", {"kb", "kbyte", "kilobyte"}, 1024.0},
      {"MB", {"mb", "mbyte", "megabyte"}, 1048576.0},
      {"GB", {"gb", "gbyte", "gigabyte"}, 1073741824.0},
      {"TB", {"tb", "tbyte", "terabyte"}, 1099511627776.0},
      {"PB", {"pb", "pbyte", "petabyte"}, 1125899906842624.0}},
     6},
    {{"s", {NULL}, 1e9},
     {{"ns", {"ns", "nanosecond"}, 1},
      {"us", {"\xce\xbcs", "us", "microsecond"}, 1e3},
      {"ms", {"ms", "millisecond"}, 1e6},
      {"s", {"s", "sec", "second"}, 1e9},
      {"hrs", {"hour", "hr"}, 3600e9}},
     5},
    {{"GCU", {NULL}, 1.0},
     {{"n*GCU", {"nanogcu"}, 1e-9},
      {"u*GCU", {"microgcu"}, 1e-6},
      {"m*GCU", {"milligcu"}, 1e-3},
      {"GCU", {"gcu"}, 1},
      {"k*GCU", {"kilogcu"}, 1e3},
      {"M*GCU", {"megagcu"}, 1e6},
      {"G*GCU", {"gigagcu"}, 1e9},
      {"T*GCU", {"teragcu"}, 1e12},
      {"P*GCU", {"petagcu"}, 1e15}},
     9},
};
#define N_FAMILIES (sizeof families / sizeof families[0])

/* sniffUnit: lower-case (ASCII, as the aliases are), drop one trailing 's' when longer than two
 * bytes, then look the alias up. */
static const unit *sniff(const family *f, const char *u)
{
	char low[64];
	size_t n = strlen(u);
	if (n >= sizeof low)
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (u[i] >= 'A' && u[i] <= 'Z') ? (char)(u[i] + 32) : u[i];
	low[n] = 0;
	if (n > 2 && low[n - 1] == 's')
		low[--n] = 0;
	for (int i = 0; i < f->n; i++)
		for (int j = 0; j < 4 && f->units[i].aliases[j]; j++)
			if (strcmp(low, f->units[i].aliases[j]) == 0)
				return &f->units[i];
	return NULL;
}

static bool auto_scale(const family *f, double v, double *out, const char **name)
{
	double best = 0;
	const char *bn = NULL;
	for (int i = 0; i < f->n; i++) {
		if (f->units[i].factor >= best && v / f->units[i].factor >= 1.0) {
			best = f->units[i].factor;
			bn = f->units[i].name;
		}
	}
	if (best == 0)
		return false;
	*out = v / best;
	*name = bn;
	return true;
}

double pk_scale(int64_t value, const char *from, const char *to, const char **out_unit)
{
	const char *dummy;
	if (!out_unit)
		out_unit = &dummy;
	if (value < 0 && value != INT64_MIN)
		return -pk_scale(-value, from, to, out_unit);
	for (size_t i = 0; i < N_FAMILIES; i++) {
		const family *f = &families[i];
		const unit *fu = sniff(f, from);
		if (!fu)
			continue;
		double v = (double)value * fu->factor, r;
		if (strcmp(to, "minimum") == 0 || strcmp(to, "auto") == 0) {
			if (auto_scale(f, v, &r, out_unit))
				return r;
			*out_unit = f->def.name;
			return v / f->def.factor;
		}
		const unit *tu = sniff(f, to);
		if (!tu) {
			*out_unit = f->def.name;
			return v / f->def.factor;
		}
		*out_unit = tu->name;
		return v / tu->factor;
	}
	if (!strcmp(to, "count") || !strcmp(to, "sample") || !strcmp(to, "unit") ||
	    !strcmp(to, "minimum") || !strcmp(to, "auto"))
		*out_unit = "";
	else
		*out_unit = to;
	return (double)value;
}

char *pk_scaled_label(char *buf, size_t n, int64_t value, const char *from, const char *to)
{
	const char *u;
	double v = pk_scale(value, from, to, &u);
	char num[400];
	snprintf(num, sizeof num, "%.2f", v);
	size_t len = strlen(num);
	if (len >= 3 && strcmp(num + len - 3, ".00") == 0)
		num[len - 3] = 0;
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0)
		snprintf(buf, n, "0");
	else
		snprintf(buf, n, "%s%s", num, u);
	return buf;
}

char *pk_percentage(char *buf, size_t n, int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, n, "  100%%");
	else if (ratio >= 1.0)
		snprintf(buf, n, "%5.2f%%", ratio);
	else
		snprintf(buf, n, "%5.2g%%", ratio);
	return buf;
}

bool pk_units_same_family(const char *u1, const char *u2)
{
	for (size_t i = 0; i < N_FAMILIES; i++)
		if (sniff(&families[i], u1) && sniff(&families[i], u2))
			return true;
	return false;
}
