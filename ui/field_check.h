/*
 * field_check.h - the checks of the products and stock forms: each takes
 * the text of a field and says what is wrong with it, with the same
 * parsers the command line uses (money_parse, qty_parse, date_parse,
 * product_unit_parse, tax_class_parse, barcode_normalize), so that the
 * till and duka(1) accept and refuse the same things.
 *
 * Each fc_* function is a w_check_fn: ctx is the field's translated label
 * (const char *), which starts the message. The fc_parse_* functions turn
 * a text that passed its check into the value (empty text: the default).
 * fc_run_approved() runs a form's action, asking for a manager when the
 * src/ function it calls says that one is needed.
 */
#ifndef DUKA_FIELD_CHECK_H
#define DUKA_FIELD_CHECK_H

#include <stdint.h>

#include "catalog.h"
#include "date.h"
#include "money.h"
#include "status.h"
#include "tui.h"

/* Money, 0 or more. */
int fc_amount(const char *text, void *ctx, struct duka_err *err);
/* A quantity more than 0; fc_qty_zero takes 0 too (a count, a level). */
int fc_qty(const char *text, void *ctx, struct duka_err *err);
int fc_qty_zero(const char *text, void *ctx, struct duka_err *err);
/* A calendar date (YYYY-MM-DD or DD/MM/YYYY). */
int fc_date(const char *text, void *ctx, struct duka_err *err);
/* piece, kg or litre. */
int fc_unit(const char *text, void *ctx, struct duka_err *err);
/* standard, zero or exempt. */
int fc_tax(const char *text, void *ctx, struct duka_err *err);
/* yes or no (in the language shown too). */
int fc_yesno(const char *text, void *ctx, struct duka_err *err);
/* A number of days from 0 to 365. */
int fc_days(const char *text, void *ctx, struct duka_err *err);
/* A barcode with a right check digit, or a shop-internal code. */
int fc_barcode(const char *text, void *ctx, struct duka_err *err);
/* A record number (a batch), more than 0. */
int fc_number(const char *text, void *ctx, struct duka_err *err);
/* A phone number M-PESA can prompt (07..., 01..., +254..., 254...). */
int fc_phone(const char *text, void *ctx, struct duka_err *err);
/* An M-PESA confirmation code as the customer's SMS shows it. */
int fc_mpesa_code(const char *text, void *ctx, struct duka_err *err);

/* Values of texts that passed their check; "" gives def. */
int64_t fc_parse_amount(const char *text, int64_t def);
int64_t fc_parse_qty(const char *text, int64_t def);
int fc_parse_yesno(const char *text);
int64_t fc_parse_number(const char *text, int64_t def);

/*
 * Run fn(ctx, err). When it answers DUKA_EPERM, ask for a manager's name
 * and PIN (tui_approve, for perms: bits of enum perm) and run it once
 * more; a cancelled pop-up leaves fn's refusal in err.
 */
int fc_run_approved(struct tui *t, unsigned perms,
    int (*fn)(void *ctx, struct duka_err *err), void *ctx,
    struct duka_err *err);

#endif
