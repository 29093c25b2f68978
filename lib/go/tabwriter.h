/* go/tabwriter.h - private to lib/: Go's text/tabwriter, as far as pprof uses it (tags, traces,
 * raw). */
#ifndef PK_TABWRITER_H
#define PK_TABWRITER_H

#include "go/go.h"

#define PK_TW_ALIGN_RIGHT 4u /* tabwriter.AlignRight */

typedef struct pk_tw_cell {
	size_t size;  /* bytes */
	size_t width; /* runes */
	bool htab;    /* ended by '\t' */
} pk_tw_cell;

typedef struct pk_tw_line {
	size_t first, n; /* cells[first .. first + n) */
} pk_tw_line;

/* A tabwriter writing into out. Cells are kept until a block ends (a line with one cell, or
 * '\f'), as Go keeps them; memory is malloc'd and reused between blocks. */
typedef struct pk_tw {
	pk_out *out;
	size_t minwidth, tabwidth, padding;
	char padchar;
	unsigned flags;

	char *buf; /* text of the cells, without tabs and newlines */
	size_t len, cap;
	size_t pos; /* width of the current cell is counted up to buf[pos] */
	pk_tw_cell cell;
	unsigned char end_char; /* inside an escaped section: its terminator, else 0 */
	pk_tw_cell *cells;
	size_t n_cells, cap_cells;
	pk_tw_line *lines;
	size_t n_lines, cap_lines;
	size_t *widths;
	size_t n_widths, cap_widths;
	bool oom;
} pk_tw;

/* tabwriter.NewWriter(out, minwidth, tabwidth, padding, padchar, flags); only AlignRight among
 * the flags is implemented (the others are ignored). */
void pk_tw_init(pk_tw *tw, pk_out *out, size_t minwidth, size_t tabwidth, size_t padding,
                char padchar, unsigned flags);
void pk_tw_write(pk_tw *tw, const char *s, size_t n);
void pk_tw_printf(pk_tw *tw, pk_sb *scratch, const char *fmt, ...) PK_PRINTF(3, 4);
/* Writer.Flush; false when out of memory at any point. */
bool pk_tw_flush(pk_tw *tw);
void pk_tw_free(pk_tw *tw);

#endif
