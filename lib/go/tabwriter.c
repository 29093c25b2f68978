/* tabwriter.c - Go's text/tabwriter: cells separated by tabs, aligned in columns per block of
 * consecutive lines, written to a pk_out.
 *
 * Mirrors text/tabwriter/tabwriter.go (Go 1.19): Write, terminateCell, addLine, flush, format,
 * writeLines, writePadding, including the escape character '\xff' (kept in the text; its
 * section counts as its runes minus two) and the rule that a line with a single cell, or '\f',
 * ends a block and flushes. Widths are counted in runes as utf8.RuneCount does.
 * Divergences: FilterHTML, StripEscape, DiscardEmptyColumns, TabIndent and Debug are not
 * implemented (pprof passes only AlignRight); padding with '\t' is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/tabwriter.h"

#define ESCAPE 0xff

void pk_tw_init(pk_tw *tw, pk_out *out, size_t minwidth, size_t tabwidth, size_t padding,
                char padchar, unsigned flags)
{
	memset(tw, 0, sizeof *tw);
	tw->out = out;
	tw->minwidth = minwidth;
	tw->tabwidth = tabwidth;
	tw->padding = padding;
	tw->padchar = padchar;
	if (padchar == '\t')
		flags &= ~PK_TW_ALIGN_RIGHT;
	tw->flags = flags;
}

void pk_tw_free(pk_tw *tw)
{
	pk_free(tw->buf);
	pk_free(tw->cells);
	pk_free(tw->lines);
	pk_free(tw->widths);
	memset(tw, 0, sizeof *tw);
}

/* addLine: a new empty line. */
static void add_line(pk_tw *tw)
{
	if (!pk_grow((void **)&tw->lines, &tw->cap_lines, tw->n_lines + 1, sizeof *tw->lines)) {
		tw->oom = true;
		return;
	}
	tw->lines[tw->n_lines++] = (pk_tw_line){tw->n_cells, 0};
}

static void reset(pk_tw *tw)
{
	tw->len = 0;
	tw->pos = 0;
	memset(&tw->cell, 0, sizeof tw->cell);
	tw->end_char = 0;
	tw->n_cells = 0;
	tw->n_lines = 0;
	tw->n_widths = 0;
	add_line(tw);
}

static void append_text(pk_tw *tw, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (!pk_grow((void **)&tw->buf, &tw->cap, tw->len + n, 1)) {
		tw->oom = true;
		return;
	}
	memcpy(tw->buf + tw->len, s, n);
	tw->len += n;
	tw->cell.size += n;
}

static void update_width(pk_tw *tw)
{
	if (tw->len > tw->pos) /* buf is still NULL when nothing was written: no NULL + 0 */
		tw->cell.width += pk_rune_count(tw->buf + tw->pos, tw->len - tw->pos);
	tw->pos = tw->len;
}

/* terminateCell: the current cell joins the last line; returns that line's cell count. */
static size_t terminate_cell(pk_tw *tw, bool htab)
{
	tw->cell.htab = htab;
	if (!pk_grow((void **)&tw->cells, &tw->cap_cells, tw->n_cells + 1, sizeof *tw->cells)) {
		tw->oom = true;
		return 0;
	}
	tw->cells[tw->n_cells++] = tw->cell;
	tw->lines[tw->n_lines - 1].n++;
	memset(&tw->cell, 0, sizeof tw->cell);
	return tw->lines[tw->n_lines - 1].n;
}

static void end_escape(pk_tw *tw)
{
	if (tw->end_char == ESCAPE) {
		update_width(tw);
		tw->cell.width -= 2; /* the two escape characters have no width */
	}
	tw->pos = tw->len;
	tw->end_char = 0;
}

static void write_padding(pk_tw *tw, size_t textw, size_t cellw)
{
	if (tw->padchar == '\t') {
		if (tw->tabwidth == 0)
			return;
		cellw = (cellw + tw->tabwidth - 1) / tw->tabwidth * tw->tabwidth;
		size_t n = (cellw - textw + tw->tabwidth - 1) / tw->tabwidth;
		for (size_t i = 0; i < n; i++)
			pk_out_bytes(tw->out, "\t", 1);
		return;
	}
	static const char spaces[] = "                                ";
	char pad[32];
	const char *src = spaces;
	if (tw->padchar != ' ') {
		memset(pad, tw->padchar, sizeof pad);
		src = pad;
	}
	size_t n = cellw - textw;
	while (n > 0) {
		size_t k = n < 32 ? n : 32;
		pk_out_bytes(tw->out, src, k);
		n -= k;
	}
}

static size_t write_lines(pk_tw *tw, size_t pos, size_t line0, size_t line1)
{
	for (size_t i = line0; i < line1; i++) {
		const pk_tw_line *ln = &tw->lines[i];
		for (size_t j = 0; j < ln->n; j++) {
			const pk_tw_cell *c = &tw->cells[ln->first + j];
			if (c->size == 0) {
				if (j < tw->n_widths)
					write_padding(tw, c->width, tw->widths[j]);
				continue;
			}
			if (!(tw->flags & PK_TW_ALIGN_RIGHT)) {
				pk_out_bytes(tw->out, tw->buf + pos, c->size);
				pos += c->size;
				if (j < tw->n_widths)
					write_padding(tw, c->width, tw->widths[j]);
			} else {
				if (j < tw->n_widths)
					write_padding(tw, c->width, tw->widths[j]);
				pk_out_bytes(tw->out, tw->buf + pos, c->size);
				pos += c->size;
			}
		}
		if (i + 1 == tw->n_lines) {
			/* the last, unterminated line: the text of the current cell */
			if (tw->cell.size)
				pk_out_bytes(tw->out, tw->buf + pos, tw->cell.size);
			pos += tw->cell.size;
		} else {
			pk_out_bytes(tw->out, "\n", 1);
		}
	}
	return pos;
}

/* format: the width of each column of the block lines [line0, line1), recursively by column. */
static size_t format(pk_tw *tw, size_t pos, size_t line0, size_t line1)
{
	size_t column = tw->n_widths;
	for (size_t this = line0; this < line1; this ++) {
		if (column + 1 >= tw->lines[this].n) /* Go: column >= len(line)-1 */
			continue;
		/* this line has a cell in this column, and more after it: a block starts */
		pos = write_lines(tw, pos, line0, this);
		line0 = this;
		size_t width = tw->minwidth;
		for (; this < line1; this ++) {
			const pk_tw_line *ln = &tw->lines[this];
			if (column + 1 >= ln->n)
				break;
			const pk_tw_cell *c = &tw->cells[ln->first + column];
			if (c->width + tw->padding > width)
				width = c->width + tw->padding;
		}
		if (!pk_grow((void **)&tw->widths, &tw->cap_widths, tw->n_widths + 1,
		             sizeof *tw->widths)) {
			tw->oom = true;
			return pos;
		}
		tw->widths[tw->n_widths++] = width;
		pos = format(tw, pos, line0, this);
		tw->n_widths--;
		line0 = this;
		/* the loop steps over the line that ended the block, as Go's does */
	}
	return write_lines(tw, pos, line0, line1);
}

static void flush_block(pk_tw *tw)
{
	if (tw->cell.size > 0) {
		if (tw->end_char != 0)
			end_escape(tw);
		terminate_cell(tw, false);
	}
	if (!tw->oom)
		format(tw, 0, 0, tw->n_lines);
	reset(tw);
}

void pk_tw_write(pk_tw *tw, const char *s, size_t n)
{
	if (tw->n_lines == 0)
		reset(tw);
	size_t start = 0;
	for (size_t i = 0; i < n && !tw->oom; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (tw->end_char == 0) {
			switch (ch) {
			case '\t':
			case '\v':
			case '\n':
			case '\f': {
				append_text(tw, s + start, i - start);
				update_width(tw);
				start = i + 1;
				size_t ncells = terminate_cell(tw, ch == '\t');
				if (ch == '\n' || ch == '\f') {
					add_line(tw);
					if (ch == '\f' || ncells == 1)
						flush_block(tw);
				}
				break;
			}
			case ESCAPE:
				append_text(tw, s + start, i - start);
				update_width(tw);
				start = i;
				tw->end_char = ESCAPE;
				break;
			}
		} else if (ch == tw->end_char) {
			append_text(tw, s + start, i + 1 - start);
			start = i + 1;
			end_escape(tw);
		}
	}
	if (start < n)
		append_text(tw, s + start, n - start);
}

void pk_tw_printf(pk_tw *tw, pk_sb *scratch, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		pk_tw_write(tw, small, (size_t)n);
		return;
	}
	pk_sb_reset(scratch);
	if (!pk_grow((void **)&scratch->s, &scratch->cap, (size_t)n + 1, 1)) {
		tw->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(scratch->s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pk_tw_write(tw, scratch->s, (size_t)n);
}

bool pk_tw_flush(pk_tw *tw)
{
	if (tw->n_lines == 0)
		reset(tw);
	flush_block(tw);
	return !tw->oom;
}
