/*
 * money.h - exact money, quantity, percentage and VAT arithmetic.
 *
 * Money is an int64_t count of minor units (cents); a quantity is an int64_t
 * count of thousandths of a unit, so that 0.250 kg is exact. No float or
 * double is used anywhere. Every rounding is half away from zero.
 *
 * Parsers return DUKA_OK, or DUKA_EINPUT with a translated reason in err
 * (which may be NULL); on failure the output is left untouched. Formatters
 * write into a caller-supplied buffer; MONEY_MAX_TEXT bytes are enough for
 * any value and any formatter in this module. A formatter given a buffer too
 * small for the value fills it with '#' rather than show a truncated number.
 */
#ifndef DUKA_MONEY_H
#define DUKA_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define MONEY_MAX_TEXT 40

/*
 * Parse an amount typed by a person or read from a file: "1250", "1,250.50",
 * "1250.5", ".5", "KSh 1,250.50", "KES1250", "ksh 12", with surrounding
 * spaces. A minus sign may come before or after the currency prefix
 * ("-KSh 5", "KSh -5"); callers decide whether negatives are allowed.
 * Thousands separators are optional but must be well placed. At most 2
 * decimals. The whole int64_t range is accepted.
 */
int	money_parse(const char *text, int64_t *cents, struct duka_err *err);

/* "1,250.50", "-3.05", "0.00". */
void	money_format(int64_t cents, char *buf, size_t len);

/* "KSh 1,250.50", "KSh -3.05" (the sign follows the prefix). */
void	money_format_ksh(int64_t cents, char *buf, size_t len);

/*
 * Parse a quantity: "3" -> 3000, "0.25" -> 250, ".5" -> 500, "-1" -> -1000.
 * At most 3 decimals. Commas are refused, because "1,500" could mean 1.5 or
 * 1500 and a thousandfold mistake on a weighed item is not acceptable.
 */
int	qty_parse(const char *text, int64_t *thousandths, struct duka_err *err);

/* 3000 -> "3", 250 -> "0.25", 1500 -> "1.5", -250 -> "-0.25"; no grouping. */
void	qty_format(int64_t thousandths, char *buf, size_t len);

/*
 * Line amount: unit_cents * qty_thousandths / 1000, rounded half away from
 * zero. Exact over the whole int64_t range; a result that does not fit is
 * refused with DUKA_EINPUT ("too large").
 */
int	money_mul_qty(int64_t unit_cents, int64_t qty_thousandths, int64_t *out,
	    struct duka_err *err);

/*
 * num / den rounded half away from zero. den must be > 0; a den <= 0 is a
 * programming error (asserted; returns 0 when assertions are off).
 */
int64_t	money_div_round(int64_t num, int64_t den);

enum tax_class {
	TAX_STANDARD = 0,	/* 16% VAT */
	TAX_ZERO = 1,		/* zero-rated: 0%, still a taxable supply */
	TAX_EXEMPT = 2,		/* exempt: outside VAT */
};

/* Rate in basis points (1600, 0, 0); -1 for a value outside the enum. */
int64_t	tax_rate_bp(enum tax_class c);

/*
 * Stable identifier for the database and CSV files: "standard", "zero",
 * "exempt" (never translated). A value outside the enum gives "invalid",
 * which tax_class_parse refuses. The string is static; do not free it.
 */
const char *tax_class_name(enum tax_class c);

/*
 * Parse a tax class, case-insensitive, surrounding spaces allowed:
 * "standard", "s", "vat", "16", "16%" -> TAX_STANDARD;
 * "zero", "z", "zero-rated", "zero rated", "0", "0%" -> TAX_ZERO;
 * "exempt", "e" -> TAX_EXEMPT.
 */
int	tax_class_parse(const char *text, enum tax_class *out,
	    struct duka_err *err);

/*
 * Split a tax-inclusive amount: vat = gross * rate / (10000 + rate) rounded
 * half away from zero, net = gross - vat, so net + vat == gross always.
 * Symmetric for negative gross (refunds). Refuses an invalid class.
 */
int	vat_split(int64_t gross_cents, enum tax_class c, int64_t *net,
	    int64_t *vat, struct duka_err *err);

/*
 * amount * percent_bp / 10000 rounded half away from zero, for discounts;
 * percent_bp must be in 0..10000. The result never exceeds |amount|.
 */
int	money_percent(int64_t amount, int64_t percent_bp, int64_t *out,
	    struct duka_err *err);

/* "12.5" or "12.5%" -> 1250 basis points; at most 2 decimals; 0..100. */
int	percent_parse(const char *text, int64_t *bp, struct duka_err *err);

#endif
