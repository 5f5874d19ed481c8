/*
 * report.c - the owner's sales reports, read from the sales ledger, and
 * the text table and CSV writer of the report commands.
 *
 * Each report is one or two grouped queries over sales and sale_lines
 * (and sale_allocations for the cost of goods), filtered on the
 * business_day index. Totals across groups are added here with overflow
 * checks; SQLite's sum() itself fails on an integer overflow rather than
 * going to floating point, so no figure is ever approximate.
 */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "text.h"

/* The span of the reports whose default is "the last 30 days". */
#define REPORT_DAYS 30

static const char *const kind_names[] = {
	"daily", "monthly", "top", "margin", "attendant", "tax",
};
#define NKINDS ((int)(sizeof kind_names / sizeof kind_names[0]))

const char *
report_kind_name(enum report_kind k)
{
	if ((unsigned)k >= (unsigned)NKINDS)
		return "invalid";
	return kind_names[k];
}

int
report_kind_parse(const char *text, enum report_kind *k, struct duka_err *err)
{
	int i;

	for (i = 0; i < NKINDS; i++)
		if (text != NULL && strcmp(text, kind_names[i]) == 0) {
			*k = (enum report_kind)i;
			return DUKA_OK;
		}
	return duka_fail(err, DUKA_EINPUT, _("unknown report \"%s\" (use daily, "
	    "monthly, top, margin, attendant or tax)"), text ? text : "");
}

int
report_by_parse(const char *text, enum report_by *by, struct duka_err *err)
{
	if (text != NULL && strcmp(text, "revenue") == 0)
		*by = REPORT_BY_REVENUE;
	else if (text != NULL && (strcmp(text, "qty") == 0 ||
	    strcmp(text, "quantity") == 0))
		*by = REPORT_BY_QTY;
	else
		return duka_fail(err, DUKA_EINPUT, _("unknown ranking \"%s\" (use "
		    "revenue or qty)"), text ? text : "");
	return DUKA_OK;
}

/* The first day of date's month into out. */
static void
month_start(const char *date, char out[DATE_LEN])
{
	memcpy(out, date, 8);
	memcpy(out + 8, "01", 3);
}

/* The default start of a range of kind k that ends on end. */
static void
span_start(enum report_kind k, const char *end, char out[DATE_LEN])
{
	switch (k) {
	case REPORT_MONTHLY:
		memcpy(out, end, 5);
		memcpy(out + 5, "01-01", 6);
		break;
	case REPORT_TAX:
		month_start(end, out);
		break;
	default:
		date_add_days(end, -(REPORT_DAYS - 1), out);
		break;
	}
}

/* Parse an option's date into out, naming the option in a refusal. */
static int
range_date(const char *text, const char *opt, char out[DATE_LEN],
    struct duka_err *err)
{
	char why[sizeof err->msg];
	int rc;

	if ((rc = date_parse(text, out, err)) == DUKA_OK)
		return DUKA_OK;
	/* err->msg cannot be both the source and the target of a format. */
	memcpy(why, err->msg, sizeof why);
	return duka_fail(err, rc, "%s: %s", opt, why);
}

int
report_range(enum report_kind k, const char *from, const char *to,
    const char *today, char out_from[DATE_LEN], char out_to[DATE_LEN],
    struct duka_err *err)
{
	char t[DATE_LEN], f[DATE_LEN], e[DATE_LEN];
	int rc;

	if (today == NULL)
		date_today(t);
	else if ((rc = date_parse(today, t, err)) != DUKA_OK)
		return rc;
	if (from != NULL && (rc = range_date(from, "--from", f, err)) != 0)
		return rc;
	if (to != NULL && (rc = range_date(to, "--to", e, err)) != DUKA_OK)
		return rc;
	if (from != NULL && to == NULL) {
		memcpy(e, t, DATE_LEN);
		if (strcmp(f, e) > 0)
			return duka_fail(err, DUKA_EINPUT,
			    _("--from %s is after today (%s); give --to as "
			    "well"), f, e);
	} else if (from == NULL && to != NULL)
		span_start(k, e, f);
	else if (from == NULL) {
		if (k == REPORT_TAX) {
			/* Last month: the day before this month began. */
			month_start(t, f);
			date_add_days(f, -1, e);
			month_start(e, f);
		} else {
			memcpy(e, t, DATE_LEN);
			span_start(k, e, f);
		}
	} else if (strcmp(f, e) > 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("--from %s is after --to %s"), f, e);
	memcpy(out_from, f, DATE_LEN);
	memcpy(out_to, e, DATE_LEN);
	return DUKA_OK;
}

/* *acc += v; sets *ovf instead when it would not fit. */
static void
add64(int64_t *acc, int64_t v, int *ovf)
{
	if (__builtin_add_overflow(*acc, v, acc))
		*ovf = 1;
}

/* Refusal for sums that do not fit in 64 bits. */
static int
report_too_large(struct duka_err *err)
{
	return duka_fail(err, DUKA_EINPUT, _("the figures of this range are "
	    "too large to add up; choose a shorter range"));
}

/* Add p's figures to t. */
static void
period_add(struct report_period *t, const struct report_period *p, int *ovf)
{
	add64(&t->sales, p->sales, ovf);
	add64(&t->refunds, p->refunds, ovf);
	add64(&t->sales_total, p->sales_total, ovf);
	add64(&t->refunds_total, p->refunds_total, ovf);
	add64(&t->net_total, p->net_total, ovf);
	add64(&t->vat, p->vat, ovf);
	add64(&t->net_ex_vat, p->net_ex_vat, ovf);
	add64(&t->discounts, p->discounts, ovf);
}

/* The period after p: the next day (len 10) or month (len 7). */
static void
period_next(const char *p, int len, char out[DATE_LEN])
{
	char first[DATE_LEN], later[DATE_LEN];

	if (len == 10) {
		date_add_days(p, 1, out);
		return;
	}
	/* The 1st plus 31 days is always in the next month. */
	snprintf(first, sizeof first, "%.7s-01", p);
	date_add_days(first, 31, later);
	snprintf(out, DATE_LEN, "%.7s", later);
}

/*
 * Takings per period of len characters of the business day (10: day,
 * 7: month), every period from..to with its figures or zeros.
 */
static int
report_periods(struct db *db, const char *from, const char *to, int len,
    int (*fn)(void *ctx, const struct report_period *p), void *ctx,
    struct report_period *total, struct duka_err *err)
{
	struct report_period p, row, sum;
	char cur[DATE_LEN], last[DATE_LEN];
	sqlite3_stmt *st;
	int rc, have = 0, ovf = 0, stop = 0;

	st = db_stmt(db, "SELECT substr(business_day, 1, ?3), "
	    "sum(kind = 'sale'), sum(kind = 'refund'), "
	    "coalesce(sum(CASE kind WHEN 'sale' THEN total END), 0), "
	    "coalesce(sum(CASE kind WHEN 'refund' THEN total END), 0), "
	    "sum(total), sum(vat), sum(discount) FROM sales "
	    "WHERE state = 'completed' AND business_day BETWEEN ?1 AND ?2 "
	    "GROUP BY 1 ORDER BY 1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, len);
	memset(&sum, 0, sizeof sum);
	snprintf(cur, sizeof cur, "%.*s", len, from);
	snprintf(last, sizeof last, "%.*s", len, to);
	rc = SQLITE_ROW;
	while (!stop && strcmp(cur, last) <= 0) {
		if (!have && rc == SQLITE_ROW) {
			if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				memset(&row, 0, sizeof row);
				snprintf(row.period, sizeof row.period, "%s",
				    (const char *)sqlite3_column_text(st, 0));
				row.sales = sqlite3_column_int64(st, 1);
				row.refunds = sqlite3_column_int64(st, 2);
				row.sales_total = sqlite3_column_int64(st, 3);
				row.refunds_total = sqlite3_column_int64(st, 4);
				row.net_total = sqlite3_column_int64(st, 5);
				row.vat = sqlite3_column_int64(st, 6);
				row.net_ex_vat = row.net_total - row.vat;
				row.discounts = sqlite3_column_int64(st, 7);
				have = 1;
			} else if (rc != SQLITE_DONE)
				break;
		}
		if (have && strcmp(row.period, cur) == 0) {
			p = row;
			have = 0;
		} else {
			memset(&p, 0, sizeof p);
			snprintf(p.period, sizeof p.period, "%s", cur);
		}
		period_add(&sum, &p, &ovf);
		stop = fn(ctx, &p) != 0;
		period_next(cur, len, cur);
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the takings"));
	if (ovf)
		return report_too_large(err);
	if (total != NULL)
		*total = sum;
	return DUKA_OK;
}

int
report_daily(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_period *p), void *ctx,
    struct report_period *total, struct duka_err *err)
{
	return report_periods(db, from, to, 10, fn, ctx, total, err);
}

int
report_monthly(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_period *p), void *ctx,
    struct report_period *total, struct duka_err *err)
{
	return report_periods(db, from, to, 7, fn, ctx, total, err);
}

/* The per-product sums, after "SELECT"; binds ?1 from, ?2 to. */
#define PRODUCT_SUMS "l.product_id, p.sku, p.name, p.unit, " \
	"sum(CASE s.kind WHEN 'refund' THEN -l.qty ELSE l.qty END) AS q, " \
	"sum(l.amount) AS rev, sum(l.vat) " \
	"FROM sales s JOIN sale_lines l ON l.sale_id = s.id " \
	"JOIN products p ON p.id = l.product_id " \
	"WHERE s.state = 'completed' AND s.business_day BETWEEN ?1 AND ?2 " \
	"GROUP BY l.product_id "

/* Fill p from a row of PRODUCT_SUMS. */
static void
product_from_row(sqlite3_stmt *st, struct report_product *p)
{
	const unsigned char *s;

	memset(p, 0, sizeof *p);
	p->product_id = sqlite3_column_int64(st, 0);
	s = sqlite3_column_text(st, 1);
	snprintf(p->sku, sizeof p->sku, "%s", s ? (const char *)s : "");
	s = sqlite3_column_text(st, 2);
	snprintf(p->name, sizeof p->name, "%s", s ? (const char *)s : "");
	if (product_unit_parse((const char *)sqlite3_column_text(st, 3),
	    &p->unit, NULL) != DUKA_OK)
		p->unit = UNIT_PIECE;
	p->qty = sqlite3_column_int64(st, 4);
	p->revenue = sqlite3_column_int64(st, 5);
	p->vat = sqlite3_column_int64(st, 6);
	p->net = p->revenue - p->vat;
}

int
report_top(struct db *db, const char *from, const char *to,
    enum report_by by, int limit,
    int (*fn)(void *ctx, const struct report_product *p), void *ctx,
    struct duka_err *err)
{
	struct report_product p;
	sqlite3_stmt *st;
	int rc, rank = 0;

	st = db_stmt(db, "SELECT " PRODUCT_SUMS "ORDER BY "
	    "CASE WHEN ?3 = 0 THEN rev ELSE q END DESC, "
	    "CASE WHEN ?3 = 0 THEN q ELSE rev END DESC, p.sku LIMIT ?4", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, by == REPORT_BY_QTY);
	sqlite3_bind_int(st, 4, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		product_from_row(st, &p);
		p.rank = ++rank;
		if (fn(ctx, &p) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the sales per product"));
	return DUKA_OK;
}

/* margin / net in basis points into p, when net > 0; -1 on overflow. */
static int
margin_bp(struct report_product *p)
{
	int64_t num;

	p->has_margin_bp = 0;
	p->margin_bp = 0;
	if (p->net <= 0)
		return 0;
	if (__builtin_mul_overflow(p->margin, 10000, &num))
		return -1;
	p->margin_bp = money_div_round(num, p->net);
	p->has_margin_bp = 1;
	return 0;
}

/* qsort order of the margin report: largest margin first, then SKU. */
static int
margin_cmp(const void *a, const void *b)
{
	const struct report_product *x = a, *y = b;

	if (x->margin != y->margin)
		return x->margin > y->margin ? -1 : 1;
	return strcmp(x->sku, y->sku);
}

/*
 * Every product's sums and cost of goods into *out (by product_id); the
 * caller frees it. One statement, so that the sales and their batch
 * allocations are read from one snapshot even while a till sells: kind 0
 * rows are a product's sums, kind 1 rows its allocations, in that order.
 */
static int
margin_load(struct db *db, const char *from, const char *to,
    struct report_product **out, size_t *n, int *ovf, struct duka_err *err)
{
	struct report_product *v = NULL, *grown, *p;
	size_t cap = 0;
	sqlite3_stmt *st;
	int64_t c;
	int rc;

	*out = NULL;
	*n = 0;
	st = db_stmt(db, "SELECT l.product_id, p.sku, p.name, p.unit, "
	    "sum(CASE s.kind WHEN 'refund' THEN -l.qty ELSE l.qty END), "
	    "sum(l.amount), sum(l.vat), 0 "
	    "FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
	    "JOIN products p ON p.id = l.product_id "
	    "WHERE s.state = 'completed' AND s.business_day BETWEEN ?1 AND ?2 "
	    "GROUP BY l.product_id "
	    "UNION ALL SELECT l.product_id, '', '', '', a.qty, a.unit_cost, 0, 1 "
	    "FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
	    "JOIN sale_allocations a ON a.sale_id = l.sale_id "
	    "AND a.line_no = l.line_no WHERE s.state = 'completed' "
	    "AND s.business_day BETWEEN ?1 AND ?2 ORDER BY 1, 8", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 7) == 1) {
			/* An allocation of the product last read: - sold,
			 * + put back, so the cost is -qty x unit cost. */
			int64_t qty = sqlite3_column_int64(st, 4);

			p = *n > 0 ? &v[*n - 1] : NULL;
			if (p == NULL ||
			    p->product_id != sqlite3_column_int64(st, 0))
				continue;	/* cannot happen: same filter */
			if (qty == INT64_MIN || money_mul_qty(
			    sqlite3_column_int64(st, 5), -qty, &c, NULL) != 0)
				*ovf = 1;
			else
				add64(&p->cost, c, ovf);
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(v, cap * sizeof *v)) == NULL) {
				db_done(st);
				free(v);
				*n = 0;
				return duka_fail(err, DUKA_EFAIL,
				    _("out of memory"));
			}
			v = grown;
		}
		product_from_row(st, &v[(*n)++]);
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return db_fail(db, err, _("reading the sales and the cost of "
		    "the goods sold"));
	}
	*out = v;
	return DUKA_OK;
}

int
report_margin(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_product *p), void *ctx,
    struct report_product *total, struct duka_err *err)
{
	struct report_product *v, sum;
	size_t i, n;
	int rc, ovf = 0;

	if ((rc = margin_load(db, from, to, &v, &n, &ovf, err)) != DUKA_OK)
		return rc;
	memset(&sum, 0, sizeof sum);
	for (i = 0; i < n && !ovf; i++) {
		if (__builtin_sub_overflow(v[i].net, v[i].cost, &v[i].margin) ||
		    margin_bp(&v[i]) != 0)
			ovf = 1;
		add64(&sum.qty, v[i].qty, &ovf);
		add64(&sum.revenue, v[i].revenue, &ovf);
		add64(&sum.vat, v[i].vat, &ovf);
		add64(&sum.net, v[i].net, &ovf);
		add64(&sum.cost, v[i].cost, &ovf);
		add64(&sum.margin, v[i].margin, &ovf);
	}
	if (ovf || margin_bp(&sum) != 0) {
		rc = report_too_large(err);
		goto out;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, margin_cmp);
	for (i = 0; i < n; i++) {
		v[i].rank = (int)i + 1;
		if (fn(ctx, &v[i]) != 0)
			break;
	}
	if (total != NULL)
		*total = sum;
out:
	free(v);
	return rc;
}

int
report_attendants(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_attendant *a), void *ctx,
    struct report_attendant *total, struct duka_err *err)
{
	struct report_attendant a, sum;
	const unsigned char *u;
	sqlite3_stmt *st;
	int rc, ovf = 0, stop = 0;

	st = db_stmt(db, "SELECT coalesce(user_name, ''), "
	    "sum(kind = 'sale'), sum(kind = 'refund'), "
	    "coalesce(sum(CASE kind WHEN 'sale' THEN total END), 0), "
	    "coalesce(sum(CASE kind WHEN 'refund' THEN total END), 0), "
	    "sum(total) AS net, sum(discount) FROM sales "
	    "WHERE state = 'completed' AND business_day BETWEEN ?1 AND ?2 "
	    "GROUP BY 1 ORDER BY net DESC, 1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	memset(&sum, 0, sizeof sum);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		u = sqlite3_column_text(st, 0);
		snprintf(a.user, sizeof a.user, "%s", u ? (const char *)u : "");
		a.sales = sqlite3_column_int64(st, 1);
		a.refunds = sqlite3_column_int64(st, 2);
		a.sales_total = sqlite3_column_int64(st, 3);
		a.refunds_total = sqlite3_column_int64(st, 4);
		a.net_total = sqlite3_column_int64(st, 5);
		a.discounts = sqlite3_column_int64(st, 6);
		if (a.sales > 0)
			a.average_sale = money_div_round(a.sales_total, a.sales);
		add64(&sum.sales, a.sales, &ovf);
		add64(&sum.refunds, a.refunds, &ovf);
		add64(&sum.sales_total, a.sales_total, &ovf);
		add64(&sum.refunds_total, a.refunds_total, &ovf);
		add64(&sum.net_total, a.net_total, &ovf);
		add64(&sum.discounts, a.discounts, &ovf);
		stop = fn(ctx, &a) != 0;
	}
	db_done(st);
	if (!stop && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the sales per attendant"));
	if (ovf)
		return report_too_large(err);
	if (sum.sales > 0)
		sum.average_sale = money_div_round(sum.sales_total, sum.sales);
	if (total != NULL)
		*total = sum;
	return DUKA_OK;
}

int
report_tax(struct db *db, const char *from, const char *to,
    struct report_tax out[3], struct report_tax *total, struct duka_err *err)
{
	struct report_tax sum;
	enum tax_class c;
	sqlite3_stmt *st;
	int64_t amount, vat;
	int i, rc, refund, ovf = 0;

	for (i = 0; i < 3; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].tax = (enum tax_class)i;
		out[i].rate_bp = tax_rate_bp((enum tax_class)i);
	}
	st = db_stmt(db, "SELECT l.tax_class, s.kind, sum(l.amount), "
	    "sum(l.vat) FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
	    "WHERE s.state = 'completed' AND s.business_day BETWEEN ?1 AND ?2 "
	    "GROUP BY 1, 2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (tax_class_parse((const char *)sqlite3_column_text(st, 0), &c,
		    err) != DUKA_OK) {
			db_done(st);
			return duka_fail(err, DUKA_EDB, _("a sale line has the "
			    "unknown tax class \"%s\"; run duka check"),
			    (const char *)sqlite3_column_text(st, 0));
		}
		refund = strcmp((const char *)sqlite3_column_text(st, 1),
		    "refund") == 0;
		amount = sqlite3_column_int64(st, 2);
		vat = sqlite3_column_int64(st, 3);
		if (refund) {
			out[c].refunds_amount = amount;
			out[c].refunds_vat = vat;
			out[c].refunds_net = amount - vat;
		} else {
			out[c].sales_amount = amount;
			out[c].sales_vat = vat;
			out[c].sales_net = amount - vat;
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the VAT per tax class"));
	memset(&sum, 0, sizeof sum);
	for (i = 0; i < 3; i++) {
		struct report_tax *t = &out[i];

		if (__builtin_add_overflow(t->sales_amount, t->refunds_amount,
		    &t->amount) || __builtin_add_overflow(t->sales_vat,
		    t->refunds_vat, &t->vat))
			ovf = 1;
		t->net = t->amount - t->vat;
		add64(&sum.sales_amount, t->sales_amount, &ovf);
		add64(&sum.sales_vat, t->sales_vat, &ovf);
		add64(&sum.sales_net, t->sales_net, &ovf);
		add64(&sum.refunds_amount, t->refunds_amount, &ovf);
		add64(&sum.refunds_vat, t->refunds_vat, &ovf);
		add64(&sum.refunds_net, t->refunds_net, &ovf);
		add64(&sum.amount, t->amount, &ovf);
		add64(&sum.vat, t->vat, &ovf);
		add64(&sum.net, t->net, &ovf);
	}
	if (ovf)
		return report_too_large(err);
	if (total != NULL)
		*total = sum;
	return DUKA_OK;
}

/* The day's counts and takings, the same rows report_daily reads. */
static int
day_counts(struct db *db, struct report_day_takings *t, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT coalesce(sum(kind = 'sale'), 0), "
	    "coalesce(sum(kind = 'refund'), 0), coalesce(sum(total), 0) "
	    "FROM sales WHERE state = 'completed' AND business_day = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, t->day, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		db_done(st);
		return db_fail(db, err, _("reading the takings"));
	}
	t->sales = sqlite3_column_int64(st, 0);
	t->refunds = sqlite3_column_int64(st, 1);
	t->net_total = sqlite3_column_int64(st, 2);
	db_done(st);
	return DUKA_OK;
}

/* Paid payments of the day's completed sales and refunds, by method. */
static int
day_tenders(struct db *db, struct report_day_takings *t, struct duka_err *err)
{
	sqlite3_stmt *st;
	const char *method;
	int rc, m;

	st = db_stmt(db, "SELECT p.method, sum(p.amount) FROM sales s "
	    "JOIN payments p ON p.sale_id = s.id WHERE s.state = 'completed' "
	    "AND s.business_day = ?1 AND p.state = 'paid' GROUP BY p.method",
	    err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, t->day, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		method = (const char *)sqlite3_column_text(st, 0);
		for (m = 0; m < PAY_METHODS; m++)
			if (method != NULL && strcmp(method,
			    pay_method_name((enum pay_method)m)) == 0)
				break;
		if (m == PAY_METHODS) {
			db_done(st);
			return duka_fail(err, DUKA_ECHECK, _("a payment has the "
			    "unknown method \"%s\""), method ? method : "");
		}
		t->by_method[m] = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("adding up the payments"));
	return DUKA_OK;
}

/* Payments still pending and the sales waiting for them, on any day
 * (through the partial index payments_pending: no pass over the sales). */
static int
day_pending(struct db *db, struct report_day_takings *t, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT count(*), coalesce(sum(amount), 0), "
	    "count(DISTINCT sale_id) FROM payments WHERE state = 'pending'",
	    err);
	if (st == NULL)
		return err->code;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		db_done(st);
		return db_fail(db, err, _("counting the pending payments"));
	}
	t->pending = sqlite3_column_int64(st, 0);
	t->pending_total = sqlite3_column_int64(st, 1);
	t->awaiting = sqlite3_column_int64(st, 2);
	db_done(st);
	return DUKA_OK;
}

int
report_day_takings(struct db *db, const char *day,
    struct report_day_takings *t, struct duka_err *err)
{
	int rc;

	memset(t, 0, sizeof *t);
	if (day == NULL)
		date_today(t->day);
	else if ((rc = date_parse(day, t->day, err)) != DUKA_OK)
		return rc;
	if ((rc = day_counts(db, t, err)) != DUKA_OK ||
	    (rc = day_tenders(db, t, err)) != DUKA_OK)
		return rc;
	return day_pending(db, t, err);
}

const char *
report_tax_label(enum tax_class c)
{
	switch (c) {
	case TAX_STANDARD:
		return _("Standard 16%");
	case TAX_ZERO:
		return _("Zero-rated 0%");
	case TAX_EXEMPT:
		return _("Exempt");
	}
	return "?";
}

void
report_percent_format(int64_t bp, char *buf, size_t len)
{
	uint64_t m = bp < 0 ? -(uint64_t)bp : (uint64_t)bp;

	snprintf(buf, len, "%s%llu.%02llu%%", bp < 0 ? "-" : "",
	    (unsigned long long)(m / 100), (unsigned long long)(m % 100));
}

void
report_csv_money(int64_t cents, char *buf, size_t len)
{
	uint64_t m = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;

	snprintf(buf, len, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(m / 100), (unsigned long long)(m % 100));
}

/* Write one CSV field, quoted when it has to be. */
static void
csv_field(FILE *fp, const char *s)
{
	size_t n = strlen(s);

	if (strpbrk(s, ",\"\r\n") == NULL && (n == 0 || (s[0] != ' ' &&
	    s[n - 1] != ' '))) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

void
report_csv_row(FILE *fp, const char *const *cells, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		csv_field(fp, cells[i]);
	}
	fputs("\r\n", fp);
}

void
report_table_init(struct report_table *t, int ncols, const int *right,
    const int *maxw)
{
	int i;

	memset(t, 0, sizeof *t);
	t->ncols = ncols > REPORT_TABLE_MAXCOLS ? REPORT_TABLE_MAXCOLS : ncols;
	for (i = 0; i < t->ncols; i++) {
		t->right[i] = right != NULL ? right[i] : 0;
		t->maxw[i] = maxw != NULL ? maxw[i] : 0;
	}
}

void
report_table_free(struct report_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

/* Characters (UTF-8 sequences) in s: the columns it takes, for duka's
 * names, which are letters and digits of Latin scripts. */
static int
cell_width(const char *s)
{
	return (int)text_utf8_chars(s, strlen(s));
}

/* A copy of s cut to max characters with an ellipsis (max 0: whole). */
static char *
cell_copy(const char *s, int max)
{
	const char *dots = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ?
	    "\xe2\x80\xa6" : "~";
	size_t n = 0, len = strlen(s);
	int chars = 0;
	char *c;

	if (max <= 0 || cell_width(s) <= max)
		return strdup(s);
	/* Keep max - 1 whole characters and the ellipsis. */
	while (n < len && chars < max - 1) {
		n++;
		while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
		chars++;
	}
	if ((c = malloc(n + strlen(dots) + 1)) == NULL)
		return NULL;
	memcpy(c, s, n);
	strcpy(c + n, dots);
	return c;
}

int
report_table_add(struct report_table *t, const char *const *cells,
    struct duka_err *err)
{
	size_t need = (t->nrows + 1) * (size_t)t->ncols, base;
	char **grown;
	int i, w;

	if (need > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64 * (size_t)t->ncols;

		while (cap < need)
			cap *= 2;
		if ((grown = realloc(t->cells, cap * sizeof *grown)) == NULL)
			return duka_fail(err, DUKA_EFAIL, _("out of memory"));
		t->cells = grown;
		t->cap = cap;
	}
	base = t->nrows * (size_t)t->ncols;
	for (i = 0; i < t->ncols; i++) {
		if ((t->cells[base + i] = cell_copy(cells[i] != NULL ?
		    cells[i] : "", t->maxw[i])) == NULL) {
			while (i-- > 0)
				free(t->cells[base + i]);
			return duka_fail(err, DUKA_EFAIL, _("out of memory"));
		}
		if ((w = cell_width(t->cells[base + i])) > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
	return DUKA_OK;
}

void
report_table_print(FILE *fp, const struct report_table *t)
{
	const char *s;
	size_t r;
	int i, last, pad;

	for (r = 0; r < t->nrows; r++) {
		char **row = t->cells + r * (size_t)t->ncols;

		/* Empty cells at the end leave no trailing blanks. */
		for (last = t->ncols - 1; last > 0; last--)
			if (row[last][0] != '\0')
				break;
		for (i = 0; i <= last; i++) {
			s = row[i];
			pad = t->width[i] - cell_width(s);
			if (i > 0)
				fputs("  ", fp);
			if (t->right[i])
				fprintf(fp, "%*s%s", pad, "", s);
			else if (i < last)
				fprintf(fp, "%s%*s", s, pad, "");
			else
				fputs(s, fp);
		}
		fputc('\n', fp);
	}
}
