/*
 * receipt.h - a till slip: what it says, and how it is laid out as text.
 *
 * The sale module fills a struct receipt (plain data: receipt.c reads no
 * database and does no sale arithmetic beyond the subtotal and the change),
 * then asks for text (receipt_format_text, for the screen or a file) or for
 * printer bytes (escpos_render in escpos.h). Both come from one layout
 * (receipt_layout), so the paper and the screen always agree.
 *
 * Ownership: receipt_new() returns a receipt that receipt_free() frees. The
 * text fields are arrays inside the struct: the caller writes them (with
 * snprintf, or receipt_set_shop for the shop's header); a field that is
 * not NUL-terminated within its array is refused. Lines and tenders are
 * copied in with receipt_add_line and receipt_add_tender, which keep their
 * own array; do not copy a struct receipt by assignment (the copy would
 * share that array), and do not write line, nlines, tender or ntenders.
 *
 * Amounts are int64 cents and quantities int64 thousandths (see money.h).
 * On a refund receipt every amount is given positive, as the sale module
 * stores it, and printed with a minus sign.
 *
 * Widths: a slip is 32, 42 or 48 columns (58 mm and 80 mm paper); any other
 * width is refused. Every line of the result is at most that many display
 * columns (a CJK character counts two, a combining accent none). Long names
 * wrap onto further lines at spaces rather than being cut.
 *
 * Text is UTF-8. Bytes that are not valid UTF-8 print as '?', control
 * characters as spaces, and invisible format characters (zero-width space,
 * direction overrides) are dropped, so no input can break the layout or
 * send a command to a printer.
 */
#ifndef DUKA_RECEIPT_H
#define DUKA_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "money.h"
#include "settings.h"
#include "status.h"

#define RECEIPT_NAME_MAX 512		/* bytes of a line's name, with NUL */

/* One item on the slip. */
struct receipt_line {
	char		 name[RECEIPT_NAME_MAX];	/* product name, UTF-8 */
	char		 unit[16];	/* printed after the quantity: "kg",
					   "l"; "" for pieces */
	int64_t		 qty;		/* thousandths, > 0 */
	int64_t		 unit_price;	/* cents per unit, VAT included, >= 0 */
	int64_t		 amount;	/* cents before the line discount, as
					   the sale rounded qty x unit_price;
					   >= 0 */
	int64_t		 discount;	/* cents off this line, 0..amount */
	enum tax_class	 tax;		/* printed as A (16%), Z (0%), E */
};

/* One way the customer paid (or, on a refund, was paid back). */
struct receipt_tender {
	char		 kind[32];	/* label as printed, already translated:
					   "Cash", "M-PESA", "Card" */
	char		 reference[48];	/* M-PESA code, card approval; "" */
	int64_t		 amount;	/* cents of the sale this pays, > 0 */
	int64_t		 tendered;	/* cash handed over: 0 means exactly
					   amount; otherwise >= amount and the
					   difference is change */
};

/* Taxable amount (VAT included) and VAT of one tax class. */
struct receipt_vat {
	int64_t		 gross;
	int64_t		 vat;
};

struct receipt {
	/* Header: receipt_set_shop copies these from the settings. */
	char		 shop_name[128];
	char		 shop_address[256];
	char		 kra_pin[16];
	char		 shop_phone[32];
	char		 till_id[32];

	char		 number[32];	/* receipt number, e.g. "1-000123" */
	char		 attendant[128];	/* who served */
	char		 time[64];	/* local time, formatted by the caller */
	char		 footer[256];	/* "" prints the default thanks */
	int		 refund;	/* nonzero: REFUND, amounts negative */
	int		 reprint;	/* nonzero: marked as a copy */

	int64_t		 sale_discount;	/* cents off the whole sale, >= 0 */
	int64_t		 total;		/* cents paid, after all discounts */
	int64_t		 vat_total;	/* cents of VAT in total */
	struct receipt_vat vat[3];	/* indexed by enum tax_class; a class
					   with gross 0 is left out */

	/* Kept by receipt_add_line and receipt_add_tender: read only. */
	struct receipt_line *line;
	size_t		 nlines;
	size_t		 line_cap;
	struct receipt_tender *tender;
	size_t		 ntenders;
	size_t		 tender_cap;
};

/* An empty receipt (every field zero), or NULL when memory runs out. */
struct receipt *receipt_new(void);

/* Free r and its lines and tenders; NULL is allowed. */
void	receipt_free(struct receipt *r);

/* Copy the shop's name, address, KRA PIN, phone and till id from s. */
void	receipt_set_shop(struct receipt *r, const struct settings *s);

/*
 * Append a copy of *line. Refuses (DUKA_EINPUT, r unchanged) a name that
 * is empty, not NUL-terminated or not UTF-8, a quantity <= 0, a negative
 * price or amount, a discount outside 0..amount, or an unknown tax class.
 */
int	receipt_add_line(struct receipt *r, const struct receipt_line *line,
	    struct duka_err *err);

/*
 * Append a copy of *t. Refuses an empty kind, an amount <= 0, or a
 * tendered amount that is neither 0 nor at least the amount.
 */
int	receipt_add_tender(struct receipt *r, const struct receipt_tender *t,
	    struct duka_err *err);

/* 1 for a width a slip may have (32, 42, 48); otherwise 0. */
int	receipt_width_ok(int width);

/*
 * The slip as UTF-8 text: one line per row, each ending in '\n', centered
 * rows padded with spaces on the left, no trailing spaces. On success *out
 * is a NUL-terminated string the caller frees with free(), *len its length
 * without the NUL; on failure *out is NULL. Refuses a bad width and fields
 * that are not NUL-terminated (DUKA_EINPUT); DUKA_EFAIL when memory runs
 * out or a sum overflows.
 */
int	receipt_format_text(const struct receipt *r, int width, char **out,
	    size_t *len, struct duka_err *err);

/* How a row is placed on the paper. */
enum receipt_align {
	RECEIPT_LEFT = 0,	/* text is already padded to its columns */
	RECEIPT_CENTER = 1,	/* text is to be centered */
};

/* One printed line, without its line break. */
struct receipt_row {
	char			*text;
	enum receipt_align	 align;
	int			 bold;
};

/* The rows of a slip; free with receipt_layout_free. */
struct receipt_layout {
	struct receipt_row	*row;
	size_t			 n;
	size_t			 cap;
	int			 width;
};

/* receipt_layout flags. */
#define RECEIPT_ASCII 0x1	/* every text transliterated to printable
				   ASCII (see receipt_ascii) before layout */

/*
 * Lay r out in rows of at most width display columns (flags 0) or bytes
 * (RECEIPT_ASCII). *out is NULL on failure. Same refusals as
 * receipt_format_text.
 */
int	receipt_layout(const struct receipt *r, int width, int flags,
	    struct receipt_layout **out, struct duka_err *err);

/* Free a layout; NULL is allowed. */
void	receipt_layout_free(struct receipt_layout *l);

/* Display columns of the UTF-8 text s (an invalid byte counts one). */
size_t	receipt_text_width(const char *s);

/*
 * Transliterate UTF-8 text to printable ASCII for printers that cannot
 * print UTF-8: accented Latin letters lose their accents (é -> e,
 * ß -> ss, Œ -> OE), dashes become '-', curly quotes straight ones,
 * "…" becomes "...", a combining accent is dropped, control characters
 * become spaces and anything else '?'. Writes at most n bytes with the NUL
 * (like snprintf) and returns the length the whole result needs.
 */
size_t	receipt_ascii(const char *s, char *out, size_t n);

#endif
