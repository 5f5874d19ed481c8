/*
 * import.h - importing products and stock from CSV files.
 *
 * The file format (documented for users in duka(1), IMPORTING):
 *
 *   - UTF-8 text; a UTF-8 byte order mark at the start is skipped. Any
 *     other encoding is refused with the line and column of the first bad
 *     byte. Lines end in LF, CRLF or CR.
 *   - Values are separated by commas. A value in double quotes may hold
 *     commas, line breaks and quotes (a quote inside is written twice: "").
 *     A quote that is not closed, or text after a closing quote, is an
 *     error. Spaces around every value are ignored, quoted or not.
 *   - The first row names the columns, in any order. Names are compared
 *     without case and surrounding spaces, and a space or '-' counts as
 *     '_' ("Reorder Level" is reorder_level). An unknown name, or a name
 *     given twice, is an error. A column with an empty name is ignored,
 *     but then every value in it must be empty.
 *   - Every other row must have as many values as the header. Blank lines
 *     and rows whose values are all empty are skipped. An empty value means
 *     "not given".
 *   - Errors are reported as FILE:LINE:COLUMN: reason, where LINE is the
 *     line of the file on which the row starts (the header is usually line
 *     1) and COLUMN is the column's name. Every row is checked and every
 *     error reported; nothing is imported unless there is none.
 *
 * Products (IMPORT_PRODUCTS), one per row, keyed by SKU:
 *   sku (required)   1-32 of letters, digits and . _ - /
 *   name (required)  up to 120 characters
 *   price (required) shelf price per unit, VAT included: 1250, 1,250.50
 *   cost             what one unit costs the shop
 *   category         created if it does not exist
 *   unit             piece, kg or litre (default piece)
 *   tax              standard (16%), zero or exempt (default standard);
 *                    also accepted as tax_class
 *   barcode          one or more codes separated by spaces, '|', ',' or ';'
 *                    (also accepted as barcodes); check digits are checked
 *   reorder_level, reorder_qty   quantities, up to 3 decimals
 *   pack_size        quantity > 0 (default 1)
 *   lead_time_days   0 to 365 (also accepted as lead_time)
 *   tracks_expiry, active   yes/no, true/false, 1/0 (also y/n, ndiyo/hapana)
 *   supplier         created if it does not exist
 * A row whose SKU is already in the shop (any case) UPDATES that product:
 * the values given replace the stored ones; empty values and absent
 * columns keep them. Barcodes are added, never removed. A SKU or barcode
 * may appear only once in a file.
 *
 * Stock (IMPORT_STOCK), one delivery line per row, each received as a new
 * batch (see stock_receive):
 *   code (required)  barcode or SKU of an existing product
 *   qty (required)   quantity received, > 0, up to 3 decimals (also
 *                    accepted as quantity)
 *   batch            the supplier's batch number, up to 64 bytes
 *   expiry           YYYY-MM-DD or DD/MM/YYYY; not before received
 *   received         date received (default today)
 *   cost             supplier price per unit (default the product's cost)
 *   price            new shelf price (default unchanged)
 *   reorder_date     next date to reorder (default unchanged)
 *   supplier         created if it does not exist
 *   reference        delivery note number, up to 64 bytes
 *   note             free text, may span lines
 *
 * The file is read once, as a stream, inside one transaction: rows are
 * written as they are checked, and the transaction is committed only when
 * the whole file proved good (and --dry-run was not asked); otherwise it is
 * rolled back, so the shop is left exactly as it was.
 */
#ifndef DUKA_IMPORT_H
#define DUKA_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "status.h"

enum import_kind {
	IMPORT_PRODUCTS,
	IMPORT_STOCK,
};

/* How many problems import_options_init() asks to have reported. */
#define IMPORT_REPORT_DEFAULT 50

struct import_options {
	enum import_kind kind;
	int dry_run;		/* check and count, then roll back */
	const char *user;	/* recorded with the changes; may be NULL */
	const char *label;	/* the file's name in messages */
	int max_reports;	/* problems passed to report; the rest are
				   only counted in import_result.errors */
	/* Called with "FILE:LINE:COLUMN: reason" (translated, no newline);
	 * may be NULL. The string is valid only during the call. */
	void (*report)(void *ctx, const char *problem);
	void *ctx;
};

struct import_result {
	int64_t rows;		/* data rows read (skipped blank rows not) */
	int64_t added;		/* products added */
	int64_t updated;	/* existing products changed */
	int64_t unchanged;	/* existing products the file left as they were */
	int64_t received;	/* stock lines received */
	int64_t errors;		/* problems found, reported or not */
};

/* Options for kind with the defaults: no dry run, 50 reports, no sink. */
void import_options_init(struct import_options *o, enum import_kind kind);

/*
 * Import the CSV text read from fp (read to its end, once; a pipe will do).
 * Returns DUKA_OK when every row was good (and, unless o->dry_run, is now
 * committed); DUKA_EINPUT when the file has problems (each passed to
 * o->report, res->errors says how many, err sums up); DUKA_EDB or
 * DUKA_EFAIL when the database or the reading failed. On any failure
 * nothing was changed. res is always filled.
 */
int import_stream(struct db *db, FILE *fp, const struct import_options *o,
    struct import_result *res, struct duka_err *err);

/* import_stream() on the file at path ("-" reads standard input). */
int import_file(struct db *db, const char *path,
    const struct import_options *o, struct import_result *res,
    struct duka_err *err);

#endif
