/*
 * field_check.c - the field checks of the products and stock forms, built
 * on the parsers of src/ (see field_check.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "barcode.h"
#include "field_check.h"
#include "i18n.h"
#include "mpesa.h"
#include "sale.h"
#include "text.h"

/* Put the field's label in front of a parser's message. */
static int
fc_fail(struct duka_err *err, int rc, void *ctx)
{
	char why[sizeof err->msg];

	if (ctx == NULL)
		return rc;
	memcpy(why, err->msg, sizeof why);
	return duka_fail(err, rc, "%s: %s", (const char *)ctx, why);
}

int
fc_amount(const char *text, void *ctx, struct duka_err *err)
{
	int64_t v;
	int rc;

	if ((rc = money_parse(text, &v, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	if (v < 0) {
		duka_fail(err, DUKA_EINPUT, _("an amount cannot be negative"));
		return fc_fail(err, DUKA_EINPUT, ctx);
	}
	return DUKA_OK;
}

/* A quantity, more than 0 or (zero_ok) 0 too. */
static int
fc_qty_check(const char *text, int zero_ok, void *ctx, struct duka_err *err)
{
	int64_t q;
	int rc;

	if ((rc = qty_parse(text, &q, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	if (q < 0 || (q == 0 && !zero_ok)) {
		duka_fail(err, DUKA_EINPUT, zero_ok ?
		    _("the quantity %s cannot be negative") :
		    _("the quantity %s must be more than 0"), text);
		return fc_fail(err, DUKA_EINPUT, ctx);
	}
	return DUKA_OK;
}

int
fc_qty(const char *text, void *ctx, struct duka_err *err)
{
	return fc_qty_check(text, 0, ctx, err);
}

int
fc_qty_zero(const char *text, void *ctx, struct duka_err *err)
{
	return fc_qty_check(text, 1, ctx, err);
}

int
fc_date(const char *text, void *ctx, struct duka_err *err)
{
	char d[DATE_LEN];
	int rc;

	if ((rc = date_parse(text, d, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	return DUKA_OK;
}

int
fc_unit(const char *text, void *ctx, struct duka_err *err)
{
	enum product_unit u;
	int rc;

	if ((rc = product_unit_parse(text, &u, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	return DUKA_OK;
}

int
fc_tax(const char *text, void *ctx, struct duka_err *err)
{
	enum tax_class c;
	int rc;

	if ((rc = tax_class_parse(text, &c, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	return DUKA_OK;
}

/* 1 for yes, 0 for no, -1 for neither. */
static int
yesno(const char *text)
{
	if (strcasecmp(text, "yes") == 0 || strcasecmp(text, "y") == 0 ||
	    strcasecmp(text, _("yes")) == 0)
		return 1;
	if (strcasecmp(text, "no") == 0 || strcasecmp(text, "n") == 0 ||
	    strcasecmp(text, _("no")) == 0)
		return 0;
	return -1;
}

int
fc_yesno(const char *text, void *ctx, struct duka_err *err)
{
	if (yesno(text) >= 0)
		return DUKA_OK;
	duka_fail(err, DUKA_EINPUT, _("please answer %s or %s"), _("yes"),
	    _("no"));
	return fc_fail(err, DUKA_EINPUT, ctx);
}

int
fc_days(const char *text, void *ctx, struct duka_err *err)
{
	char *end;
	long long days;

	days = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || !text_is_digits(text) ||
	    days > 365) {
		duka_fail(err, DUKA_EINPUT, _("\"%s\" is not a number of days "
		    "from 0 to 365"), text);
		return fc_fail(err, DUKA_EINPUT, ctx);
	}
	return DUKA_OK;
}

int
fc_barcode(const char *text, void *ctx, struct duka_err *err)
{
	char norm[BARCODE_MAX];
	enum barcode_kind kind;
	int rc;

	if ((rc = barcode_normalize(text, norm, &kind, err)) != DUKA_OK)
		return fc_fail(err, rc, ctx);
	return DUKA_OK;
}

int
fc_number(const char *text, void *ctx, struct duka_err *err)
{
	if (!text_is_digits(text) || strlen(text) > 15 ||
	    strtoll(text, NULL, 10) <= 0) {
		duka_fail(err, DUKA_EINPUT, _("\"%s\" is not a number"), text);
		return fc_fail(err, DUKA_EINPUT, ctx);
	}
	return DUKA_OK;
}

int64_t
fc_parse_amount(const char *text, int64_t def)
{
	int64_t v;

	if (text[0] == '\0' || money_parse(text, &v, NULL) != DUKA_OK)
		return def;
	return v;
}

int64_t
fc_parse_qty(const char *text, int64_t def)
{
	int64_t v;

	if (text[0] == '\0' || qty_parse(text, &v, NULL) != DUKA_OK)
		return def;
	return v;
}

int
fc_parse_yesno(const char *text)
{
	return yesno(text) == 1;
}

int64_t
fc_parse_number(const char *text, int64_t def)
{
	if (text[0] == '\0' || !text_is_digits(text))
		return def;
	return strtoll(text, NULL, 10);
}

int
fc_run_approved(struct tui *t, unsigned perms,
    int (*fn)(void *ctx, struct duka_err *err), void *ctx,
    struct duka_err *err)
{
	int rc = fn(ctx, err);

	if (rc != DUKA_EPERM)
		return rc;
	/* Why a manager is asked, under the pop-up. */
	tui_info(t, "%s", err->msg);
	if (tui_approve(t, perms) != DUKA_OK)
		return rc;
	err->msg[0] = '\0';
	return fn(ctx, err);
}

int
fc_phone(const char *text, void *ctx, struct duka_err *err)
{
	char out[MPESA_PHONE_LEN];

	(void)ctx;
	return mpesa_phone_normalise(text, out, err);
}

int
fc_mpesa_code(const char *text, void *ctx, struct duka_err *err)
{
	char out[PAY_REF_MAX];

	(void)ctx;
	return mpesa_code_check(text, out, err);
}
