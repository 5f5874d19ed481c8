/*
 * fraud.c - the fraud guard's queries (see fraud.h for the patterns).
 *
 * One grouped SELECT per pattern over the tables of shift.c, sale.c and
 * audit.c, each bounded by the shift or the time range with the same two
 * parameters: ?1 the shift (0: any), ?2/?3 the UTC time range ("" : open).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fraud.h"
#include "i18n.h"
#include "money.h"

#define FRAUD_RANGE(col) \
	" (?1 = 0 OR shift_id = ?1) AND (?2 = '' OR " col " >= ?2) AND " \
	"(?3 = '' OR " col " < ?3) "

static const char *const fraud_sql[] = {
	[FRAUD_VOIDS] = "SELECT shift_id, coalesce(user_name, ''), count(*), "
	    "sum(amount), 0, max(at) FROM line_voids WHERE" FRAUD_RANGE("at")
	    "GROUP BY shift_id, user_name HAVING count(*) >= ?4 "
	    "ORDER BY shift_id, user_name",
	[FRAUD_REFUNDS] = "SELECT shift_id, coalesce(user_name, ''), "
	    "count(*), -sum(total), 0, max(at) FROM sales WHERE kind = "
	    "'refund' AND" FRAUD_RANGE("at") "GROUP BY shift_id, user_name "
	    "HAVING count(*) >= ?4 ORDER BY shift_id, user_name",
	/* discount / shelf_gross > bp / 10000, in integers. */
	[FRAUD_DISCOUNT] = "SELECT shift_id, coalesce(user_name, ''), 1, "
	    "discount, id, at FROM sales WHERE kind = 'sale' AND "
	    "shelf_gross > 0 AND discount * 10000 > shelf_gross * ?4 AND"
	    FRAUD_RANGE("at") "ORDER BY shift_id, user_name, id",
	[FRAUD_NO_SALE] = "SELECT shift_id, coalesce(user_name, ''), "
	    "count(*), 0, 0, max(at) FROM cash_movements WHERE kind = "
	    "'no_sale' AND" FRAUD_RANGE("at") "GROUP BY shift_id, user_name "
	    "HAVING count(*) >= ?4 ORDER BY shift_id, user_name",
	/* A lockout belongs to no shift: ?1 only narrows by the shift's
	 * time (opened to closed, or now). The row's user may be whoever was
	 * at the till; the locked one is its entity. */
	[FRAUD_LOCKOUT] = "SELECT 0, coalesce((SELECT u.name FROM users u "
	    "WHERE u.id = a.entity_id), a.user_name, ''), 1, 0, 0, "
	    "a.at FROM audit_log a WHERE a.action = 'user.lock' "
	    "AND (?2 = '' OR a.at >= ?2) AND (?3 = '' OR a.at < ?3) "
	    "AND (?1 = 0 OR EXISTS (SELECT 1 FROM shifts s WHERE s.id = ?1 "
	    "AND a.at >= s.opened_at AND (s.closed_at IS NULL OR "
	    "a.at <= s.closed_at))) AND ?4 = ?4 ORDER BY a.id",
};

const char *
fraud_kind_name(enum fraud_kind k)
{
	static const char *const names[] = { "voids", "refunds", "discount",
	    "no-sale", "lockout" };

	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "";
}

void
fraud_limits_default(struct fraud_limits *l, const struct settings *cfg)
{
	l->max_voids = 5;
	l->max_refunds = 3;
	l->discount_bp = cfg != NULL ? cfg->max_discount_bp : 1000;
	l->max_no_sale = 3;
}

/* The words of alert a, into a->text. */
static void
fraud_text(struct fraud_alert *a, const struct fraud_limits *l)
{
	char amt[MONEY_MAX_TEXT];

	money_format(a->amount, amt, sizeof amt);
	switch (a->kind) {
	case FRAUD_VOIDS:
		snprintf(a->text, sizeof a->text, _("shift %lld: %s voided "
		    "%lld lines (%s); the alert is at %lld"),
		    (long long)a->shift_id, a->user, (long long)a->count, amt,
		    (long long)l->max_voids);
		break;
	case FRAUD_REFUNDS:
		snprintf(a->text, sizeof a->text, _("shift %lld: %s gave "
		    "%lld refunds (%s); the alert is at %lld"),
		    (long long)a->shift_id, a->user, (long long)a->count, amt,
		    (long long)l->max_refunds);
		break;
	case FRAUD_DISCOUNT:
		snprintf(a->text, sizeof a->text, _("shift %lld: %s gave a "
		    "discount of %s on sale %lld, over %lld.%02lld%%"),
		    (long long)a->shift_id, a->user, amt,
		    (long long)a->sale_id, (long long)(l->discount_bp / 100),
		    (long long)(l->discount_bp % 100));
		break;
	case FRAUD_NO_SALE:
		snprintf(a->text, sizeof a->text, _("shift %lld: %s opened the "
		    "drawer without a sale %lld times; the alert is at %lld"),
		    (long long)a->shift_id, a->user, (long long)a->count,
		    (long long)l->max_no_sale);
		break;
	case FRAUD_LOCKOUT:
		snprintf(a->text, sizeof a->text, _("%s was locked after too "
		    "many wrong PINs at %s"), a->user, a->at);
		break;
	}
}

int
fraud_alerts(struct db *db, const struct fraud_range *r,
    const struct fraud_limits *l, const struct settings *cfg,
    int (*fn)(void *ctx, const struct fraud_alert *a), void *ctx,
    struct duka_err *err)
{
	struct fraud_limits def;
	struct fraud_alert a;
	sqlite3_stmt *st;
	int64_t limit;
	int k, rc;

	if (l == NULL) {
		fraud_limits_default(&def, cfg);
		l = &def;
	}
	for (k = FRAUD_VOIDS; k <= FRAUD_LOCKOUT; k++) {
		switch (k) {
		case FRAUD_VOIDS:
			limit = l->max_voids;
			break;
		case FRAUD_REFUNDS:
			limit = l->max_refunds;
			break;
		case FRAUD_DISCOUNT:
			limit = l->discount_bp;
			break;
		case FRAUD_NO_SALE:
			limit = l->max_no_sale;
			break;
		default:
			limit = 0;
			break;
		}
		if ((st = db_stmt(db, fraud_sql[k], err)) == NULL)
			return err->code;
		sqlite3_bind_int64(st, 1, r != NULL ? r->shift_id : 0);
		sqlite3_bind_text(st, 2, r != NULL ? r->from : "", -1,
		    SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, r != NULL ? r->to : "", -1,
		    SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, limit > 0 ? limit : 1);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const unsigned char *t;

			memset(&a, 0, sizeof a);
			a.kind = (enum fraud_kind)k;
			a.shift_id = sqlite3_column_int64(st, 0);
			t = sqlite3_column_text(st, 1);
			snprintf(a.user, sizeof a.user, "%s",
			    t != NULL ? (const char *)t : "");
			a.count = sqlite3_column_int64(st, 2);
			a.amount = sqlite3_column_int64(st, 3);
			a.sale_id = sqlite3_column_int64(st, 4);
			t = sqlite3_column_text(st, 5);
			snprintf(a.at, sizeof a.at, "%s",
			    t != NULL ? (const char *)t : "");
			fraud_text(&a, l);
			if (fn(ctx, &a) != 0) {
				db_done(st);
				return DUKA_OK;
			}
		}
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, _("looking for alerts"));
	}
	return DUKA_OK;
}
