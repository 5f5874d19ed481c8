/*
 * sale_receipt.h - the receipt of a committed sale, read back from the
 * database: for the screen, for `duka sell` and `duka reprint`, and for the
 * printer.
 *
 * Everything on the slip comes from what was committed (sales, sale_lines,
 * payments), never from a cart, so a reprint a year later says exactly
 * what the first print said, marked as a copy. The shop's header comes
 * from the settings as they are now.
 *
 * Printing comes after the sale's transaction and is never part of it: a
 * printer that is off, out of paper or unplugged gives an error that the
 * caller shows, and the sale stays committed; the receipt can be printed
 * again with sale_receipt_print(..., reprint = 1, ...).
 */
#ifndef DUKA_SALE_RECEIPT_H
#define DUKA_SALE_RECEIPT_H

#include <stdint.h>

#include "db.h"
#include "receipt.h"
#include "settings.h"
#include "status.h"

/*
 * Build the receipt of sale sale_id: the shop's header from cfg, the
 * lines with their line discounts, the sale discount, the VAT breakdown
 * per class, the tenders (cash with what was handed over, so that the
 * change shows; a pending M-PESA prompt as pending), the receipt number,
 * till, attendant and local time of the sale. A refund is marked as one
 * with the original receipt named in the footer. reprint marks the slip
 * as a copy. On success *out is a receipt the caller frees with
 * receipt_free(); on failure it is NULL. DUKA_ENOTFOUND when there is no
 * such sale.
 */
int sale_receipt_load(struct db *db, int64_t sale_id,
    const struct settings *cfg, int reprint, struct receipt **out,
    struct duka_err *err);

/*
 * Print the receipt of sale sale_id on the printer of cfg (cfg->printer,
 * cfg->printer_width) as ESC/POS. kick_drawer asks for the cash drawer to
 * open, which it does only when cash changed hands in the sale (a paid
 * cash payment); pass 0 for a reprint. Changes nothing in the database,
 * whatever happens: DUKA_ECONFIG when no printer is set, else the
 * printer's own error (see printer.h), for the caller to show next to an
 * offer to reprint.
 */
int sale_receipt_print(struct db *db, int64_t sale_id,
    const struct settings *cfg, int reprint, int kick_drawer,
    struct duka_err *err);

#endif
