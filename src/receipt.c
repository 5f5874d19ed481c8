/*
 * receipt.c - the till slip's data and its layout in fixed-width rows.
 *
 * The layout is built once as rows (text, centered or not, bold or not);
 * receipt_format_text pads the centered rows with spaces, and escpos.c
 * turns the same rows into printer commands. For a printer that cannot
 * print UTF-8 the texts are transliterated to ASCII before the layout, so
 * that "ß" -> "ss" cannot push a line past the paper's edge.
 *
 * Display width is measured by a small table of its own rather than
 * wcwidth(3), which depends on the process's locale: combining accents and
 * invisible format characters take no column, East Asian wide characters
 * and emoji two, everything else one. Where the table is unsure it counts
 * wide, so a line may come out a column short but never too long.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "money.h"
#include "receipt.h"
#include "text.h"

#define U8_BAD 0xffffffffu		/* an invalid byte, printed as '?' */
#define FIELD_MAX 2048			/* a field after cleaning, with NUL */
#define ROW_MAX 1024			/* a composed row, with NUL */

/* A range of code points. */
struct cp_range {
	uint32_t lo, hi;
};

/* Characters that take no column: combining marks, variation selectors. */
static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xe0100, 0xe01ef },
};

/* Invisible format characters, dropped from every text. */
static const struct cp_range invisible[] = {
	{ 0x00ad, 0x00ad }, { 0x200b, 0x200f }, { 0x2028, 0x202e },
	{ 0x2060, 0x206f }, { 0xfeff, 0xfeff },
};

/* Characters that take two columns: East Asian wide, emoji. */
static const struct cp_range wide[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23f3 }, { 0x25fd, 0x25fe }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x26a1, 0x26a1 }, { 0x26bd, 0x26be },
	{ 0x26c4, 0x26c5 }, { 0x26f2, 0x26fa }, { 0x2705, 0x2705 },
	{ 0x270a, 0x270b }, { 0x2728, 0x2728 }, { 0x274c, 0x274e },
	{ 0x2753, 0x2757 }, { 0x2795, 0x2797 }, { 0x27b0, 0x27bf },
	{ 0x2b1b, 0x2b1c }, { 0x2b50, 0x2b55 }, { 0x2e80, 0x303e },
	{ 0x3041, 0x4dbf }, { 0x4e00, 0xa4cf }, { 0xa960, 0xa97f },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe6f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
	{ 0x16fe0, 0x18cff }, { 0x1b000, 0x1b2ff }, { 0x1f000, 0x1faff },
	{ 0x20000, 0x3fffd },
};

/* ASCII for U+00A0..U+00FF. */
static const char *const latin1[96] = {
	" ", "!", "c", "GBP", "?", "JPY", "|", "S", "\"", "(c)", "a", "<<",
	"-", "", "(R)", "-", "o", "+/-", "2", "3", "'", "u", "P", ".",
	",", "1", "o", ">>", "1/4", "1/2", "3/4", "?",
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E",
	"I", "I", "I", "I", "D", "N", "O", "O", "O", "O", "O", "x",
	"O", "U", "U", "U", "U", "Y", "TH", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
	"i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "/",
	"o", "u", "u", "u", "u", "y", "th", "y",
};

/* ASCII for U+0100..U+017F, one letter each but for the pairs below. */
static const char latin_ext_a[129] =
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi"
	"..JjKkkLlLlLlLlLlNnNnNn.NnOoOoOo..RrRrRrSsSsSsSsTt"
	"TtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* Letters of U+0100..U+017F that become two characters. */
static const struct {
	uint32_t	 cp;
	const char	*ascii;
} latin_ext_pairs[] = {
	{ 0x132, "IJ" }, { 0x133, "ij" }, { 0x149, "'n" }, { 0x152, "OE" },
	{ 0x153, "oe" },
};

/* ASCII for punctuation and symbols outside Latin-1. */
static const struct {
	uint32_t	 lo, hi;
	const char	*ascii;
} punct[] = {
	{ 0x2000, 0x200a, " " }, { 0x2010, 0x2015, "-" },
	{ 0x2018, 0x201b, "'" }, { 0x201c, 0x201f, "\"" },
	{ 0x2020, 0x2021, "+" }, { 0x2022, 0x2023, "*" },
	{ 0x2024, 0x2024, "." }, { 0x2025, 0x2025, ".." },
	{ 0x2026, 0x2026, "..." }, { 0x202f, 0x202f, " " },
	{ 0x2032, 0x2032, "'" }, { 0x2033, 0x2033, "\"" },
	{ 0x2039, 0x2039, "<" }, { 0x203a, 0x203a, ">" },
	{ 0x2044, 0x2044, "/" }, { 0x205f, 0x205f, " " },
	{ 0x20ac, 0x20ac, "EUR" }, { 0x2116, 0x2116, "No." },
	{ 0x2122, 0x2122, "TM" }, { 0x2212, 0x2212, "-" },
	{ 0x2215, 0x2215, "/" }, { 0x3000, 0x3000, " " },
};

/* A layout under construction; nomem sticks once an allocation fails. */
struct lay {
	struct receipt_layout	*l;
	int			 width;
	int			 ascii;
	int			 nomem;
};

/* Whether cp lies in one of the n sorted ranges r. */
static int
in_ranges(uint32_t cp, const struct cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return (1);
	}
	return (0);
}

/*
 * Decode the character at s (n > 0 bytes left) into *cp and return its
 * length; a byte that does not start a valid, shortest-form character
 * gives length 1 and U8_BAD.
 */
static size_t
u8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		goto bad;
	if (len > n)
		goto bad;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return (len);
bad:
	*cp = U8_BAD;
	return (1);
}

/* Columns one code point takes once cleaned (controls print as spaces). */
static size_t
cp_width(uint32_t cp)
{
	if (cp < 0x300)
		return (1);
	if (in_ranges(cp, zero_width, sizeof zero_width / sizeof *zero_width) ||
	    in_ranges(cp, invisible, sizeof invisible / sizeof *invisible))
		return (0);
	if (in_ranges(cp, wide, sizeof wide / sizeof *wide))
		return (2);
	return (1);
}

/* Display columns of UTF-8 text. */
size_t
receipt_text_width(const char *s)
{
	size_t n = strlen(s), i = 0, w = 0, len;
	uint32_t cp;

	while (i < n) {
		len = u8_decode(s + i, n - i, &cp);
		w += cp == U8_BAD ? 1 : cp_width(cp);
		i += len;
	}
	return (w);
}

/* The ASCII for one code point; NULL when there is none ('?'). */
static const char *
cp_ascii(uint32_t cp, char *one)
{
	size_t i;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return (" ");
	if (cp < 0x7f) {
		one[0] = (char)cp;
		one[1] = '\0';
		return (one);
	}
	if (cp < 0x100)
		return (latin1[cp - 0xa0]);
	if (cp < 0x180) {
		for (i = 0; i < sizeof latin_ext_pairs /
		    sizeof *latin_ext_pairs; i++)
			if (latin_ext_pairs[i].cp == cp)
				return (latin_ext_pairs[i].ascii);
		one[0] = latin_ext_a[cp - 0x100];
		one[1] = '\0';
		return (one);
	}
	/* A combining accent after its letter: the letter alone is right. */
	if (in_ranges(cp, zero_width, sizeof zero_width / sizeof *zero_width) ||
	    in_ranges(cp, invisible, sizeof invisible / sizeof *invisible))
		return ("");
	for (i = 0; i < sizeof punct / sizeof *punct; i++)
		if (cp >= punct[i].lo && cp <= punct[i].hi)
			return (punct[i].ascii);
	return (NULL);
}

/* Transliterate UTF-8 to printable ASCII, snprintf-style. */
size_t
receipt_ascii(const char *s, char *out, size_t n)
{
	size_t in = strlen(s), i = 0, o = 0, len, k;
	const char *a;
	char one[2];
	uint32_t cp;

	while (i < in) {
		len = u8_decode(s + i, in - i, &cp);
		i += len;
		a = cp == U8_BAD ? NULL : cp_ascii(cp, one);
		if (a == NULL)
			a = "?";
		for (k = 0; a[k] != '\0'; k++, o++)
			if (o + 1 < n)
				out[o] = a[k];
	}
	if (n > 0)
		out[o < n ? o : n - 1] = '\0';
	return (o);
}

/*
 * Copy s into out (n bytes) as text safe to lay out: valid UTF-8 (a bad
 * byte becomes '?'), controls as spaces, invisible characters dropped; or
 * printable ASCII when ascii is set. Truncates at a character boundary.
 */
static void
clean(const char *s, int ascii, char *out, size_t n)
{
	size_t in = strlen(s), i = 0, o = 0, len;
	uint32_t cp;

	if (ascii) {
		receipt_ascii(s, out, n);
		return;
	}
	while (i < in) {
		len = u8_decode(s + i, in - i, &cp);
		if (o + len + 1 > n)
			break;
		if (cp == U8_BAD)
			out[o++] = '?';
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			out[o++] = ' ';
		else if (!in_ranges(cp, invisible,
		    sizeof invisible / sizeof *invisible)) {
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
}

/* Append a row holding the len bytes at text. */
static void
row_add(struct lay *y, enum receipt_align align, int bold, const char *text,
    size_t len)
{
	struct receipt_layout *l = y->l;
	struct receipt_row *row;
	char *copy;

	if (y->nomem)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		row = realloc(l->row, cap * sizeof *row);
		if (row == NULL) {
			y->nomem = 1;
			return;
		}
		l->row = row;
		l->cap = cap;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		y->nomem = 1;
		return;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	l->row[l->n].text = copy;
	l->row[l->n].align = align;
	l->row[l->n].bold = bold;
	l->n++;
}

/*
 * Add the cleaned text as rows of at most width - indent columns, each
 * after indent spaces, breaking at spaces, or inside a word only when the
 * word alone is too long. Blank text adds nothing.
 */
static void
wrap(struct lay *y, enum receipt_align align, int bold, int indent,
    const char *text)
{
	size_t avail = (size_t)(y->width - indent), n, cols, len, w, end;
	const char *p = text, *q, *brk;
	char row[ROW_MAX];
	uint32_t cp;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return;
		cols = 0;
		brk = NULL;
		for (q = p; *q != '\0'; q += len) {
			len = u8_decode(q, strlen(q), &cp);
			w = cp == U8_BAD ? 1 : cp_width(cp);
			if (*q == ' ')
				brk = q;
			if (cols + w > avail)
				break;
			cols += w;
		}
		if (*q != '\0' && brk != NULL)
			end = (size_t)(brk - p);
		else if (q == p)	/* a wide character in one column */
			end = u8_decode(p, strlen(p), &cp);
		else
			end = (size_t)(q - p);
		n = end;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if ((size_t)indent + n >= sizeof row)
			n = sizeof row - (size_t)indent - 1;
		memset(row, ' ', (size_t)indent);
		memcpy(row + indent, p, n);
		row_add(y, align, bold, row, (size_t)indent + n);
		p += end;
	}
}

/*
 * Add "left ... right" on one row when both fit with a space between;
 * otherwise left wrapped on rows of its own and right flush right below.
 * Both are cleaned text.
 */
static void
left_right(struct lay *y, int bold, int indent, const char *left,
    const char *right)
{
	size_t lw = receipt_text_width(left), rw = receipt_text_width(right);
	size_t width = (size_t)y->width, ll = strlen(left), rl = strlen(right);
	char row[ROW_MAX];

	if (rw > width || (size_t)indent + ll + width + rl >= sizeof row) {
		wrap(y, RECEIPT_LEFT, bold, indent, left);
		wrap(y, RECEIPT_LEFT, bold, indent, right);
		return;
	}
	if ((size_t)indent + lw + 1 + rw <= width) {
		memset(row, ' ', (size_t)indent);
		memcpy(row + indent, left, ll);
		memset(row + indent + ll, ' ', width - indent - lw - rw);
		memcpy(row + indent + ll + (width - indent - lw - rw), right,
		    rl);
		row_add(y, RECEIPT_LEFT, bold, row,
		    indent + ll + (width - indent - lw - rw) + rl);
		return;
	}
	wrap(y, RECEIPT_LEFT, bold, indent, left);
	memset(row, ' ', width - rw);
	memcpy(row + (width - rw), right, rl);
	row_add(y, RECEIPT_LEFT, bold, row, width - rw + rl);
}

/* A row of dashes across the paper. */
static void
separator(struct lay *y)
{
	char row[64];

	memset(row, '-', (size_t)y->width);
	row_add(y, RECEIPT_LEFT, 0, row, (size_t)y->width);
}

/* Clean a translated label or composed text into buf and lay it out. */
static void
text_lr(struct lay *y, int bold, int indent, const char *left,
    const char *right)
{
	char l[FIELD_MAX], r[FIELD_MAX];

	clean(left, y->ascii, l, sizeof l);
	clean(right, y->ascii, r, sizeof r);
	left_right(y, bold, indent, l, r);
}

/* Clean text and wrap it. */
static void
text_wrap(struct lay *y, enum receipt_align align, int bold, int indent,
    const char *text)
{
	char t[FIELD_MAX];

	clean(text, y->ascii, t, sizeof t);
	wrap(y, align, bold, indent, t);
}

/* Money as printed on this receipt: negated on a refund. */
static void
fmt_money(const struct receipt *r, int64_t cents, char *buf, size_t n)
{
	money_format(r->refund ? -cents : cents, buf, n);
}

/* The letter a tax class prints as. */
static char
tax_letter(enum tax_class c)
{
	switch (c) {
	case TAX_STANDARD:
		return ('A');
	case TAX_ZERO:
		return ('Z');
	case TAX_EXEMPT:
		return ('E');
	}
	return ('?');
}

/* 1 if the fixed-size field f holds a NUL. */
#define FIELD_OK(f) (memchr((f), '\0', sizeof (f)) != NULL)

/* Refuse a receipt whose fields or amounts cannot be laid out. */
static int
check_receipt(const struct receipt *r, int width, struct duka_err *err)
{
	static const struct {
		size_t		 off, size;
		const char	*what;
	} fields[] = {
#define F(m, w) { offsetof(struct receipt, m), \
	sizeof ((struct receipt *)0)->m, w }
		F(shop_name, N_("shop name")),
		F(shop_address, N_("shop address")),
		F(kra_pin, N_("KRA PIN")),
		F(shop_phone, N_("shop phone")),
		F(till_id, N_("till id")),
		F(number, N_("receipt number")),
		F(attendant, N_("attendant")),
		F(time, N_("receipt time")),
		F(footer, N_("receipt footer")),
#undef F
	};
	size_t i;
	int c;

	if (!receipt_width_ok(width))
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt width %d is not supported: use 32, 42 or 48 "
		    "columns."), width));
	for (i = 0; i < sizeof fields / sizeof *fields; i++)
		if (memchr((const char *)r + fields[i].off, '\0',
		    fields[i].size) == NULL)
			return (duka_fail(err, DUKA_EINPUT,
			    _("The receipt's %s is too long (at most %zu "
			    "bytes)."), _(fields[i].what),
			    fields[i].size - 1));
	if (r->total < 0 || r->vat_total < 0 || r->sale_discount < 0)
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("Receipt totals must not be negative (a refund is "
		    "marked as one, with positive amounts).")));
	for (c = 0; c < 3; c++)
		if (r->vat[c].gross < 0 || r->vat[c].vat < 0)
			return (duka_fail(err, DUKA_EINPUT, "%s",
			    _("Receipt VAT amounts must not be negative.")));
	return (DUKA_OK);
}

/* The shop's header, and what kind of slip this is. */
static void
lay_header(struct lay *y, const struct receipt *r)
{
	char buf[FIELD_MAX];

	text_wrap(y, RECEIPT_CENTER, 1, 0, r->shop_name);
	text_wrap(y, RECEIPT_CENTER, 0, 0, r->shop_address);
	if (r->kra_pin[0] != '\0') {
		snprintf(buf, sizeof buf, _("PIN: %s"), r->kra_pin);
		text_wrap(y, RECEIPT_CENTER, 0, 0, buf);
	}
	if (r->shop_phone[0] != '\0') {
		snprintf(buf, sizeof buf, _("Tel: %s"), r->shop_phone);
		text_wrap(y, RECEIPT_CENTER, 0, 0, buf);
	}
	if (r->refund)
		text_wrap(y, RECEIPT_CENTER, 1, 0, _("REFUND"));
	if (r->reprint)
		text_wrap(y, RECEIPT_CENTER, 1, 0, _("COPY / NAKALA"));
	separator(y);
}

/*
 * One item: "Name   55.00 A" on one row for a single piece whose name
 * fits; otherwise the name, then "  2 x 65.00   130.00 A". A discount
 * follows on its own row.
 */
static void
lay_line(struct lay *y, const struct receipt *r, const struct receipt_line *li)
{
	char name[FIELD_MAX], amount[MONEY_MAX_TEXT + 4], right[ROW_MAX];
	char qty[MONEY_MAX_TEXT], price[MONEY_MAX_TEXT], unit[64];
	char detail[ROW_MAX];

	clean(li->name, y->ascii, name, sizeof name);
	fmt_money(r, li->amount, amount, sizeof amount);
	snprintf(right, sizeof right, "%s %c", amount, tax_letter(li->tax));
	if (li->qty == 1000 && li->unit[0] == '\0' &&
	    receipt_text_width(name) + 1 + receipt_text_width(right) <=
	    (size_t)y->width)
		left_right(y, 0, 0, name, right);
	else {
		wrap(y, RECEIPT_LEFT, 0, 0, name);
		qty_format(li->qty, qty, sizeof qty);
		money_format(li->unit_price, price, sizeof price);
		clean(li->unit, y->ascii, unit, sizeof unit);
		if (unit[0] != '\0')
			snprintf(detail, sizeof detail, "%s %s x %s", qty, unit,
			    price);
		else
			snprintf(detail, sizeof detail, "%s x %s", qty, price);
		left_right(y, 0, 2, detail, right);
	}
	if (li->discount != 0) {
		fmt_money(r, -li->discount, amount, sizeof amount);
		text_lr(y, 0, 2, _("Discount"), amount);
	}
}

/* Subtotal and sale discount when there is one, then the TOTAL. */
static int
lay_totals(struct lay *y, const struct receipt *r, struct duka_err *err)
{
	char buf[MONEY_MAX_TEXT];
	int64_t subtotal;

	separator(y);
	if (r->sale_discount != 0) {
		if (__builtin_add_overflow(r->total, r->sale_discount,
		    &subtotal))
			return (duka_fail(err, DUKA_EINPUT, "%s",
			    _("Receipt amounts are too large.")));
		fmt_money(r, subtotal, buf, sizeof buf);
		text_lr(y, 0, 0, _("Subtotal"), buf);
		fmt_money(r, -r->sale_discount, buf, sizeof buf);
		text_lr(y, 0, 0, _("Discount"), buf);
	}
	money_format_ksh(r->refund ? -r->total : r->total, buf, sizeof buf);
	text_lr(y, 1, 0, _("TOTAL"), buf);
	return (DUKA_OK);
}

/*
 * The VAT table: a row per class present ("A=16%  taxable  VAT"), which is
 * also the legend of the letters on the item rows. The first column is as
 * wide as its widest cell, the two amount columns share the rest. When a
 * translated heading or an amount is too wide for its column, each class
 * is listed on rows of its own instead.
 */
static void
lay_vat(struct lay *y, const struct receipt *r)
{
	static const enum tax_class order[3] = {
		TAX_STANDARD, TAX_ZERO, TAX_EXEMPT
	};
	char label[3][64], gross[3][MONEY_MAX_TEXT], vat[3][MONEY_MAX_TEXT];
	char h[3][128], row[ROW_MAX], buf[MONEY_MAX_TEXT];
	size_t width = (size_t)y->width, labw, amtw, k, w;
	int c, table = 1;

	separator(y);
	clean(_("Rate"), y->ascii, h[0], sizeof h[0]);
	clean(_("Taxable"), y->ascii, h[1], sizeof h[1]);
	clean(_("VAT"), y->ascii, h[2], sizeof h[2]);
	labw = receipt_text_width(h[0]);
	for (k = 0; k < 3; k++) {
		c = order[k];
		if (c == TAX_EXEMPT)
			snprintf(buf, sizeof buf, "%s", _("Exempt"));
		else
			snprintf(buf, sizeof buf, "%d%%",
			    (int)(tax_rate_bp(c) / 100));
		snprintf(row, sizeof row, "%c=%s", tax_letter(c), buf);
		clean(row, y->ascii, label[k], sizeof label[k]);
		fmt_money(r, r->vat[c].gross, gross[k], sizeof gross[k]);
		fmt_money(r, r->vat[c].vat, vat[k], sizeof vat[k]);
		if (r->vat[c].gross != 0 &&
		    (w = receipt_text_width(label[k])) > labw)
			labw = w;
	}
	labw++;
	if (labw >= width / 2)
		table = 0;
	else {
		amtw = (width - labw) / 2;
		labw = width - 2 * amtw;
		if (receipt_text_width(h[1]) > amtw - 1 ||
		    receipt_text_width(h[2]) > amtw - 1)
			table = 0;
		for (k = 0; k < 3; k++)
			if (r->vat[order[k]].gross != 0 &&
			    (strlen(gross[k]) > amtw - 1 ||
			    strlen(vat[k]) > amtw - 1))
				table = 0;
	}
	if (table) {
		/* Each cell is padded so the columns end flush right. */
		snprintf(row, sizeof row, "%s%*s%*s%s%*s%s", h[0],
		    (int)(labw - receipt_text_width(h[0])), "",
		    (int)(amtw - receipt_text_width(h[1])), "", h[1],
		    (int)(amtw - receipt_text_width(h[2])), "", h[2]);
		row_add(y, RECEIPT_LEFT, 0, row, strlen(row));
	}
	for (k = 0; k < 3; k++) {
		c = order[k];
		if (r->vat[c].gross == 0)
			continue;
		if (table) {
			snprintf(row, sizeof row, "%s%*s%*s%*s", label[k],
			    (int)(labw - receipt_text_width(label[k])), "",
			    (int)amtw, gross[k], (int)amtw, vat[k]);
			row_add(y, RECEIPT_LEFT, 0, row, strlen(row));
		} else {
			wrap(y, RECEIPT_LEFT, 0, 0, label[k]);
			left_right(y, 0, 2, h[1], gross[k]);
			left_right(y, 0, 2, h[2], vat[k]);
		}
	}
	fmt_money(r, r->vat_total, buf, sizeof buf);
	text_lr(y, 0, 0, _("Total VAT"), buf);
}

/* How each tender paid, its reference, and the change. */
static int
lay_tenders(struct lay *y, const struct receipt *r, struct duka_err *err)
{
	const struct receipt_tender *t;
	char buf[MONEY_MAX_TEXT], ref[FIELD_MAX];
	int64_t change = 0;
	size_t i;

	if (r->ntenders == 0)
		return (DUKA_OK);
	separator(y);
	for (i = 0; i < r->ntenders; i++) {
		t = &r->tender[i];
		fmt_money(r, t->tendered > t->amount ? t->tendered : t->amount,
		    buf, sizeof buf);
		text_lr(y, 0, 0, t->kind, buf);
		if (t->reference[0] != '\0') {
			snprintf(ref, sizeof ref, _("Ref: %s"), t->reference);
			text_wrap(y, RECEIPT_LEFT, 0, 2, ref);
		}
		if (t->tendered > t->amount &&
		    __builtin_add_overflow(change, t->tendered - t->amount,
		    &change))
			return (duka_fail(err, DUKA_EINPUT, "%s",
			    _("Receipt amounts are too large.")));
	}
	if (change > 0 && !r->refund) {
		money_format(change, buf, sizeof buf);
		text_lr(y, 0, 0, _("CHANGE"), buf);
	}
	return (DUKA_OK);
}

/* Receipt number, till, attendant, time, then the footer. */
static void
lay_trailer(struct lay *y, const struct receipt *r)
{
	separator(y);
	if (r->number[0] != '\0')
		text_lr(y, 0, 0, _("Receipt No."), r->number);
	if (r->till_id[0] != '\0')
		text_lr(y, 0, 0, _("Till"), r->till_id);
	if (r->attendant[0] != '\0')
		text_lr(y, 0, 0, _("Served by"), r->attendant);
	if (r->time[0] != '\0')
		text_lr(y, 0, 0, _("Date"), r->time);
	separator(y);
	text_wrap(y, RECEIPT_CENTER, 0, 0, r->footer[0] != '\0' ? r->footer :
	    _("Asante kwa kununua! / Thank you!"));
}

/* Build the rows of the slip. */
int
receipt_layout(const struct receipt *r, int width, int flags,
    struct receipt_layout **out, struct duka_err *err)
{
	struct lay y;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = check_receipt(r, width, err)) != DUKA_OK)
		return (rc);
	memset(&y, 0, sizeof y);
	y.width = width;
	y.ascii = (flags & RECEIPT_ASCII) != 0;
	if ((y.l = calloc(1, sizeof *y.l)) == NULL)
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	y.l->width = width;
	lay_header(&y, r);
	for (i = 0; i < r->nlines; i++)
		lay_line(&y, r, &r->line[i]);
	if ((rc = lay_totals(&y, r, err)) != DUKA_OK)
		goto fail;
	lay_vat(&y, r);
	if ((rc = lay_tenders(&y, r, err)) != DUKA_OK)
		goto fail;
	lay_trailer(&y, r);
	if (y.nomem) {
		rc = duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory."));
		goto fail;
	}
	*out = y.l;
	return (DUKA_OK);
fail:
	receipt_layout_free(y.l);
	return (rc);
}

/* Free the rows and the layout. */
void
receipt_layout_free(struct receipt_layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->row[i].text);
	free(l->row);
	free(l);
}

/* The slip as text, centered rows padded on the left. */
int
receipt_format_text(const struct receipt *r, int width, char **out,
    size_t *len, struct duka_err *err)
{
	struct receipt_layout *l;
	size_t i, n = 0, pad, w, tl;
	char *buf;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = receipt_layout(r, width, 0, &l, err)) != DUKA_OK)
		return (rc);
	/* A row is at most width columns, so a pad never exceeds width. */
	for (i = 0; i < l->n; i++)
		n += (size_t)width + strlen(l->row[i].text) + 1;
	if ((buf = malloc(n + 1)) == NULL) {
		receipt_layout_free(l);
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	}
	n = 0;
	for (i = 0; i < l->n; i++) {
		pad = 0;
		if (l->row[i].align == RECEIPT_CENTER) {
			w = receipt_text_width(l->row[i].text);
			pad = w < (size_t)width ? ((size_t)width - w) / 2 : 0;
		}
		memset(buf + n, ' ', pad);
		n += pad;
		tl = strlen(l->row[i].text);
		memcpy(buf + n, l->row[i].text, tl);
		n += tl;
		buf[n++] = '\n';
	}
	buf[n] = '\0';
	receipt_layout_free(l);
	*out = buf;
	*len = n;
	return (DUKA_OK);
}

/* Which widths a slip may have. */
int
receipt_width_ok(int width)
{
	return (width == 32 || width == 42 || width == 48);
}

/* A new empty receipt. */
struct receipt *
receipt_new(void)
{
	return (calloc(1, sizeof (struct receipt)));
}

/* Free a receipt and what it holds. */
void
receipt_free(struct receipt *r)
{
	if (r == NULL)
		return;
	free(r->line);
	free(r->tender);
	free(r);
}

/* Copy one settings string into a receipt field of the same or more room. */
static void
copy_field(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

/* The header fields from the shop's settings. */
void
receipt_set_shop(struct receipt *r, const struct settings *s)
{
	copy_field(r->shop_name, sizeof r->shop_name, s->shop_name);
	copy_field(r->shop_address, sizeof r->shop_address, s->shop_address);
	copy_field(r->kra_pin, sizeof r->kra_pin, s->kra_pin);
	copy_field(r->shop_phone, sizeof r->shop_phone, s->shop_phone);
	copy_field(r->till_id, sizeof r->till_id, s->till_id);
}

/* Grow an array of size-byte elements to hold one more. */
static int
grow(void **array, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return (0);
	ncap = *cap ? *cap * 2 : 16;
	if ((p = realloc(*array, ncap * size)) == NULL)
		return (-1);
	*array = p;
	*cap = ncap;
	return (0);
}

/* Check and append an item. */
int
receipt_add_line(struct receipt *r, const struct receipt_line *line,
    struct duka_err *err)
{
	void *p = r->line;

	if (!FIELD_OK(line->name) || line->name[0] == '\0' ||
	    !text_utf8_valid(line->name, strlen(line->name)))
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("A receipt line needs a name in UTF-8 of at most 511 "
		    "bytes.")));
	if (!FIELD_OK(line->unit))
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt line \"%s\": the unit is too long."),
		    line->name));
	if (line->qty <= 0)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt line \"%s\": the quantity must be more than "
		    "0 (a refund is marked on the receipt)."), line->name));
	if (line->unit_price < 0 || line->amount < 0)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt line \"%s\": the price and amount must not be "
		    "negative."), line->name));
	if (line->discount < 0 || line->discount > line->amount)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt line \"%s\": the discount must be between 0 "
		    "and the line's amount."), line->name));
	if (tax_rate_bp(line->tax) < 0)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt line \"%s\": unknown tax class."), line->name));
	if (grow(&p, r->nlines, &r->line_cap, sizeof *r->line) != 0)
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	r->line = p;
	r->line[r->nlines++] = *line;
	return (DUKA_OK);
}

/* Check and append a tender. */
int
receipt_add_tender(struct receipt *r, const struct receipt_tender *t,
    struct duka_err *err)
{
	void *p = r->tender;

	if (!FIELD_OK(t->kind) || t->kind[0] == '\0')
		return (duka_fail(err, DUKA_EINPUT, "%s",
		    _("A receipt payment needs a kind of at most 31 bytes.")));
	if (!FIELD_OK(t->reference))
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt payment \"%s\": the reference is too long."),
		    t->kind));
	if (t->amount <= 0)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt payment \"%s\": the amount must be more than "
		    "0."), t->kind));
	if (t->tendered != 0 && t->tendered < t->amount)
		return (duka_fail(err, DUKA_EINPUT,
		    _("Receipt payment \"%s\": the cash tendered is less than "
		    "the amount it pays."), t->kind));
	if (grow(&p, r->ntenders, &r->tender_cap, sizeof *r->tender) != 0)
		return (duka_fail(err, DUKA_EFAIL, "%s", _("Out of memory.")));
	r->tender = p;
	r->tender[r->ntenders++] = *t;
	return (DUKA_OK);
}
