/*
 * report.h - the owner's sales reports: takings per day and per month,
 * top products, margin from the cost of the goods sold, sales per
 * attendant and VAT per tax class for the KRA return; and the small text
 * table and CSV writer that the report, reorder and order commands share.
 *
 * Reads only; writes nothing. Figures come from the sales ledger:
 *
 * - Only completed sales count; a sale awaiting an M-PESA payment joins
 *   its day once it is paid.
 * - A refund counts on its own business day (the day the money went
 *   back), with negative amounts, so the figures of a range are net.
 * - Ranges are inclusive business days (the shop's local dates).
 * - Revenue is what customers paid, VAT and discounts included; "net" is
 *   revenue less VAT. The cost of goods sold is, for each batch
 *   allocation of the lines, the quantity times the batch's unit cost
 *   (money_mul_qty, rounded to the cent per allocation): what the goods
 *   cost when they were bought, not today's cost price. Refunded goods put
 *   back take their cost off again.
 *
 * Money is cents, quantities thousandths; no floating point.
 */
#ifndef DUKA_REPORT_H
#define DUKA_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "money.h"
#include "sale.h"
#include "status.h"

enum report_kind {
	REPORT_DAILY, REPORT_MONTHLY, REPORT_TOP, REPORT_MARGIN,
	REPORT_ATTENDANT, REPORT_TAX,
};

/* "daily", "monthly", "top", "margin", "attendant", "tax". */
const char *report_kind_name(enum report_kind k);
int report_kind_parse(const char *text, enum report_kind *k,
    struct duka_err *err);

/*
 * The range of a report: from and to as typed (NULL when not given),
 * normalised into out_from and out_to. Defaults, for today T (NULL:
 * date_today()):
 *
 *	daily, top, margin, attendant	the last 30 days, T-29 .. T
 *	monthly				this year, 1 January .. T
 *	tax				last month, whole (the VAT return
 *					is filed for the month before)
 *
 * Only --from given: up to T. Only --to given: the same span ending on
 * that day (30 days; its year from 1 January; its whole month for tax).
 * Refused with DUKA_EINPUT: a date date_parse refuses (the message names
 * the option), and from after to.
 */
int report_range(enum report_kind k, const char *from, const char *to,
    const char *today, char out_from[DATE_LEN], char out_to[DATE_LEN],
    struct duka_err *err);

/* Takings of one day ("2026-06-15") or month ("2026-06"). */
struct report_period {
	char period[DATE_LEN];
	int64_t sales;			/* completed sales */
	int64_t refunds;		/* refunds */
	int64_t sales_total;		/* >= 0, VAT included */
	int64_t refunds_total;		/* <= 0 */
	int64_t net_total;		/* sales_total + refunds_total */
	int64_t vat;			/* net of refunds */
	int64_t net_ex_vat;		/* net_total - vat */
	int64_t discounts;		/* given, less those refunded */
};

/*
 * Call fn for every day (daily) or month (monthly) from..to, in order,
 * those without sales too (all zero); fn returns non-zero to stop. A
 * month at either end of the range counts only its days within it.
 * total (may be NULL) receives the sums, its period "".
 */
int report_daily(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_period *p), void *ctx,
    struct report_period *total, struct duka_err *err);
int report_monthly(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_period *p), void *ctx,
    struct report_period *total, struct duka_err *err);

/* A product's figures over a range. */
struct report_product {
	int rank;			/* from 1 */
	int64_t product_id;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
	enum product_unit unit;
	int64_t qty;			/* sold less refunded, thousandths */
	int64_t revenue;		/* paid, VAT included, net of refunds */
	int64_t vat;
	int64_t net;			/* revenue - vat */
	int64_t cost;			/* cost of goods sold (margin only) */
	int64_t margin;			/* net - cost (margin only) */
	int64_t margin_bp;		/* margin / net in basis points,
					   rounded half away from zero */
	int has_margin_bp;		/* 0 when net <= 0: no percentage */
};

enum report_by { REPORT_BY_REVENUE, REPORT_BY_QTY };
int report_by_parse(const char *text, enum report_by *by,
    struct duka_err *err);

/*
 * The limit (0: all) products that sold most by revenue or by quantity
 * (ties: the other figure, then SKU), with cost and margin left 0.
 */
int report_top(struct db *db, const char *from, const char *to,
    enum report_by by, int limit,
    int (*fn)(void *ctx, const struct report_product *p), void *ctx,
    struct duka_err *err);

/*
 * Every product sold or refunded in the range with its margin, the
 * largest margin first (ties: SKU); total (may be NULL) receives the sums
 * with the margin percentage of the whole. Sums too large for 64 bits
 * are refused with DUKA_EINPUT.
 */
int report_margin(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_product *p), void *ctx,
    struct report_product *total, struct duka_err *err);

/* What one attendant (sales.user_name) rang up. */
struct report_attendant {
	char user[65];			/* "" when none was recorded */
	int64_t sales, refunds;		/* counts */
	int64_t sales_total;		/* >= 0 */
	int64_t refunds_total;		/* <= 0 */
	int64_t net_total;
	int64_t discounts;		/* given, less those refunded */
	int64_t average_sale;		/* sales_total / sales, rounded */
};

/* Every attendant with a sale or refund in the range, the largest net
 * takings first (ties: name); total (may be NULL) gets the sums. */
int report_attendants(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct report_attendant *a), void *ctx,
    struct report_attendant *total, struct duka_err *err);

/* One tax class for the VAT return (amounts include VAT; net excludes). */
struct report_tax {
	enum tax_class tax;
	int64_t rate_bp;		/* 1600, 0, 0 */
	int64_t sales_amount, sales_vat, sales_net;		/* >= 0 */
	int64_t refunds_amount, refunds_vat, refunds_net;	/* <= 0 */
	int64_t amount, vat, net;	/* sales + refunds */
};

/*
 * Fill out[TAX_STANDARD], out[TAX_ZERO], out[TAX_EXEMPT] (every class,
 * zero when nothing sold) and, when total is not NULL, their sums (tax
 * and rate_bp of total are meaningless). The class is the one the line
 * was sold under.
 */
int report_tax(struct db *db, const char *from, const char *to,
    struct report_tax out[3], struct report_tax *total, struct duka_err *err);

/*
 * One business day at a glance, for the till's home screen: the day's
 * completed sales and refunds as report_daily counts them, what came in
 * by each tender (paid payments of those sales, net of refunds: they add
 * up to net_total), and the payments still pending on any day (M-PESA
 * prompts not answered yet) with the sales that wait for them.
 */
struct report_day_takings {
	char day[DATE_LEN];
	int64_t sales, refunds;		/* counts */
	int64_t net_total;		/* sales less refunds, VAT included */
	int64_t by_method[PAY_METHODS];	/* indexed by enum pay_method */
	int64_t pending;		/* payments pending, any day */
	int64_t pending_total;		/* their amount */
	int64_t awaiting;		/* sales awaiting payment, any day */
};

/* Fill t for business day day ("YYYY-MM-DD"; NULL: today). */
int report_day_takings(struct db *db, const char *day,
    struct report_day_takings *t, struct duka_err *err);

/*
 * A report as the text `duka report KIND` prints (top: the 10 best by
 * revenue), or the reorder suggestions as `duka reorder` prints them,
 * written to fp; for the till's reports screen. Defined in cmd_report.c.
 */
int report_text(struct db *db, enum report_kind kind, const char *from,
    const char *to, FILE *fp, struct duka_err *err);
struct settings;
int reorder_text(struct db *db, const struct settings *cfg, FILE *fp,
    struct duka_err *err);

/* Translated name of a tax class for reports: "Standard 16%", ... */
const char *report_tax_label(enum tax_class c);

/*
 * Formatting shared by the report, reorder and order commands.
 */

/* Basis points as a percentage with two decimals: 1234 -> "12.34%",
 * -50 -> "-0.50%". */
void report_percent_format(int64_t bp, char *buf, size_t len);
/* Money for CSV files: "1250.50", "-3.05"; no grouping, no currency. */
void report_csv_money(int64_t cents, char *buf, size_t len);
/* One CSV record (RFC 4180): fields quoted when they hold a comma, a
 * quote, a line break or surrounding spaces; CRLF at the end. */
void report_csv_row(FILE *fp, const char *const *cells, int n);

#define REPORT_TABLE_MAXCOLS 12

/*
 * A text table: rows of cells kept until printed, so that every column is
 * as wide as its widest cell (in characters; UTF-8 names count one column
 * a character). Made by report_table_init, freed by report_table_free.
 */
struct report_table {
	int ncols;
	int right[REPORT_TABLE_MAXCOLS];	/* right-aligned columns */
	int maxw[REPORT_TABLE_MAXCOLS];	/* cut wider cells (0: never) */
	int width[REPORT_TABLE_MAXCOLS];
	char **cells;			/* nrows * ncols copies */
	size_t nrows, cap;
};

/* Start a table of ncols columns (<= REPORT_TABLE_MAXCOLS); right[i] set
 * for a right-aligned column, maxw[i] > 0 to cut a column's cells to that
 * many characters with "~" (either array may be NULL). */
void report_table_init(struct report_table *t, int ncols, const int *right,
    const int *maxw);
/* Add a row of t->ncols cells; DUKA_EFAIL when out of memory. */
int report_table_add(struct report_table *t, const char *const *cells,
    struct duka_err *err);
/* Print the rows, two spaces between columns, no trailing blanks. */
void report_table_print(FILE *fp, const struct report_table *t);
void report_table_free(struct report_table *t);

#endif
