/*
 * barcode.h - recognising, checking and normalising scanned product codes.
 *
 * Every code is stored and looked up in one normal form, so that the same
 * product scanned as UPC-A, UPC-E or GTIN-14 finds the same row:
 *   EAN-13            kept as is (check digit verified)
 *   UPC-A (12)        "0" + code, i.e. its EAN-13 form
 *   UPC-E (8)         expanded to UPC-A, then its EAN-13 form
 *   EAN-8             kept as is
 *   GTIN-14           the last 13 digits if it starts with '0', else as is
 *   shop-internal     1..32 of [A-Za-z0-9._-], upper-cased
 * An all-digit code of length 8, 12, 13 or 14 is always taken to be a GTIN
 * and must carry a valid check digit; it is never accepted as internal.
 */
#ifndef DUKA_BARCODE_H
#define DUKA_BARCODE_H

#include <stddef.h>

#include "status.h"

enum barcode_kind {
	BARCODE_EAN13,
	BARCODE_EAN8,
	BARCODE_UPCA,
	BARCODE_UPCE,
	BARCODE_GTIN14,
	BARCODE_INTERNAL,
};

#define BARCODE_MAX 33		/* buffer size including the NUL */

/*
 * Normalise a scanned or typed code (surrounding white space, such as the
 * scanner's CR/LF, is ignored). On success out holds the normal form and
 * kind says what the input was (so kind UPCA comes with a 13-digit out). On
 * failure returns DUKA_EINPUT with a translated reason, and out and kind are
 * untouched. A wrong check digit is reported with the digit expected. An
 * 8-digit code that is valid both as EAN-8 and as UPC-E is taken as UPC-E
 * when it starts with 0 (GS1 keeps EAN-8 prefix 0 for in-store use) and as
 * EAN-8 otherwise.
 */
int	barcode_normalize(const char *input, char out[BARCODE_MAX],
	    enum barcode_kind *kind, struct duka_err *err);

/*
 * GS1 mod-10 check digit (0..9) for the first n characters of digits, which
 * must all be '0'..'9'; returns -1 if one is not.
 */
int	barcode_check_digit(const char *digits, size_t n);

/* 1 if code is 8, 13 or 14 digits with a valid check digit, else 0. */
int	barcode_is_gtin(const char *code);

/*
 * Stable name of a kind: "EAN-13", "EAN-8", "UPC-A", "UPC-E", "GTIN-14",
 * "internal" ("?" outside the enum). Never translated, because it is also
 * stored in the database (barcodes.kind); translate "internal" with _() at
 * display time if needed. Static storage; do not free.
 */
const char *barcode_kind_name(enum barcode_kind k);

/*
 * Write twelve_digits followed by its check digit into out. If the input is
 * not exactly 12 digits, out is set to the empty string.
 */
void	barcode_ean13_make(const char *twelve_digits, char out[14]);

#endif
