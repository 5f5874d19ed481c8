/*
 * hub_events.c - POST /v1/events: the tills' events into PostgreSQL.
 *
 * hub_check.c has checked the batch; hub_events_post() stores the valid
 * events with ONE statement: a chain of data-modifying CTEs inserts the new
 * events (ON CONFLICT DO NOTHING makes a repeated id a no-op) and projects
 * exactly the rows that were inserted into sales, sale_lines, payments,
 * stock_movements and products (payment.updated changes a payment's state,
 * or brings a payment no sale event carried, and changes its sale's state
 * when it says). One round trip and one transaction per
 * batch, whatever its size.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"

/* The statement that stores a batch: see the comment at the top. */
static const char ingest_sql[] =
    "WITH x AS ("
    " SELECT (e->>'id')::uuid AS id, e->>'type' AS type, e->>'at' AS at,"
    "  e->'data' AS data, o AS ord"
    " FROM jsonb_array_elements($3::jsonb->'events') WITH ORDINALITY"
    "  AS t(e, o)"
    " WHERE o = ANY($4::int[])),"
    "ins AS ("
    " INSERT INTO events(shop_id, id, till_id, type, at, data)"
    " SELECT $1, id, $2, type, at, data FROM x ORDER BY id"
    " ON CONFLICT DO NOTHING RETURNING id, type, data),"
    /*
     * The last payment.updated of each payment in the batch: it changes
     * a payment stored earlier (pu) or one inserted by this very batch
     * (p), which pu cannot see (all CTEs share one snapshot).
     */
    "upd AS ("
    " SELECT DISTINCT ON ((ins.data->>'payment_id')::bigint)"
    "  (ins.data->>'payment_id')::bigint AS pid, ins.data AS d, x.ord,"
    "  ins.id AS eid"
    " FROM ins JOIN x USING (id) WHERE ins.type = 'payment.updated'"
    " ORDER BY (ins.data->>'payment_id')::bigint, x.ord DESC),"
    "s AS ("
    " INSERT INTO sales(shop_id, event_id, till_id, kind, sale_id,"
    "  refund_of, till_name, receipt_no, receipt, original, state, at,"
    "  business_day, user_name, customer_id, gross, discount, total, vat,"
    "  reason, damaged)"
    " SELECT $1, id, $2, CASE type WHEN 'sale.refunded' THEN 'refund'"
    "  ELSE 'sale' END, (data->>'sale_id')::bigint,"
    "  (data->>'refund_of')::bigint, data->>'till',"
    "  (data->>'receipt_no')::bigint, data->>'receipt', data->>'original',"
    "  coalesce((SELECT u.d->>'sale_state' FROM upd u"
    "   WHERE ins.type = 'sale.completed'"
    "    AND u.d->>'sale_state' IS NOT NULL"
    "    AND (u.d->>'sale_id')::bigint = (ins.data->>'sale_id')::bigint"
    "   ORDER BY u.ord DESC LIMIT 1), data->>'state'),"
    "  data->>'at', data->>'business_day', data->>'user',"
    "  (data->>'customer_id')::bigint, (data->>'gross')::bigint,"
    "  (data->>'discount')::bigint, (data->>'total')::bigint,"
    "  (data->>'vat')::bigint, data->>'reason', (data->>'damaged')::boolean"
    " FROM ins WHERE type IN ('sale.completed', 'sale.refunded')),"
    "l AS ("
    " INSERT INTO sale_lines(shop_id, event_id, line_no, product_id, sku,"
    "  name, qty, shelf_price, unit_price, discount, amount, vat, tax_class)"
    " SELECT $1, ins.id, li.o, (li.v->>'product_id')::bigint, li.v->>'sku',"
    "  li.v->>'name', (li.v->>'qty')::bigint,"
    "  (li.v->>'shelf_price')::bigint, (li.v->>'unit_price')::bigint,"
    "  (li.v->>'discount')::bigint, (li.v->>'amount')::bigint,"
    "  (li.v->>'vat')::bigint, li.v->>'tax_class'"
    " FROM ins, jsonb_array_elements(ins.data->'lines') WITH ORDINALITY"
    "  AS li(v, o)"
    " WHERE ins.type IN ('sale.completed', 'sale.refunded')),"
    "p AS ("
    " INSERT INTO payments(shop_id, event_id, seq, till_id, payment_id,"
    "  sale_id, method, state, amount, change_due, reference, verified)"
    " SELECT $1, ins.id, pa.o, $2, (pa.v->>'payment_id')::bigint,"
    "  (ins.data->>'sale_id')::bigint,"
    "  pa.v->>'method', coalesce(upd.d->>'state', pa.v->>'state'),"
    "  (pa.v->>'amount')::bigint, (pa.v->>'change')::bigint,"
    "  coalesce(upd.d->>'reference', pa.v->>'reference'),"
    "  coalesce((upd.d->>'verified')::boolean,"
    "   (pa.v->>'verified')::boolean)"
    " FROM ins CROSS JOIN jsonb_array_elements(ins.data->'payments')"
    "  WITH ORDINALITY AS pa(v, o)"
    "  LEFT JOIN upd ON upd.pid = (pa.v->>'payment_id')::bigint"
    " WHERE ins.type IN ('sale.completed', 'sale.refunded')),"
    /* A payment no sale event carried: stored from its update. */
    "pn AS ("
    " INSERT INTO payments(shop_id, event_id, seq, till_id, payment_id,"
    "  sale_id, method, state, amount, reference, verified)"
    " SELECT $1, upd.eid, 0, $2, upd.pid, (upd.d->>'sale_id')::bigint,"
    "  coalesce(upd.d->>'method', ''), upd.d->>'state',"
    "  coalesce((upd.d->>'amount')::bigint, 0), upd.d->>'reference',"
    "  (upd.d->>'verified')::boolean"
    " FROM upd"
    " WHERE NOT EXISTS (SELECT 1 FROM payments o WHERE o.shop_id = $1"
    "   AND o.till_id = $2 AND o.payment_id = upd.pid)"
    "  AND NOT EXISTS (SELECT 1 FROM ins,"
    "   jsonb_array_elements(ins.data->'payments') pa(v)"
    "   WHERE ins.type IN ('sale.completed', 'sale.refunded')"
    "    AND (pa.v->>'payment_id')::bigint = upd.pid)),"
    "su AS ("
    " UPDATE sales sl SET state = u.d->>'sale_state'"
    " FROM (SELECT DISTINCT ON ((d->>'sale_id')::bigint) d FROM upd"
    "  WHERE d->>'sale_state' IS NOT NULL AND d->>'sale_id' IS NOT NULL"
    "  ORDER BY (d->>'sale_id')::bigint, ord DESC) u"
    " WHERE sl.shop_id = $1 AND sl.till_id = $2 AND sl.kind = 'sale'"
    "  AND sl.sale_id = (u.d->>'sale_id')::bigint),"
    "pu AS ("
    " UPDATE payments pay SET state = upd.d->>'state',"
    "  reference = coalesce(upd.d->>'reference', pay.reference),"
    "  verified = coalesce((upd.d->>'verified')::boolean, pay.verified)"
    " FROM upd WHERE pay.shop_id = $1 AND pay.till_id = $2"
    "  AND pay.payment_id = upd.pid),"
    "m AS ("
    " INSERT INTO stock_movements(shop_id, event_id, till_id, movement_id,"
    "  product_id, sku, batch_id, qty, reason, unit_cost, unit_price,"
    "  reference, user_name, note, at)"
    " SELECT $1, id, $2, (data->>'movement_id')::bigint,"
    "  (data->>'product_id')::bigint, data->>'sku',"
    "  (data->>'batch_id')::bigint, (data->>'qty')::bigint,"
    "  data->>'reason', (data->>'unit_cost')::bigint,"
    "  (data->>'unit_price')::bigint, data->>'reference', data->>'user',"
    "  data->>'note', data->>'at'"
    " FROM ins WHERE type = 'stock.moved'),"
    /* The last change of a sku in the batch wins. */
    "pc AS ("
    " SELECT DISTINCT ON (ins.data->>'sku') ins.data AS d"
    " FROM ins JOIN x USING (id)"
    " WHERE ins.type = 'product.changed'"
    "  AND (SELECT catalog FROM shops WHERE shop_id = $1) = 'till'"
    " ORDER BY ins.data->>'sku', x.ord DESC),"
    "pr AS ("
    " INSERT INTO products AS old(shop_id, sku, name, category, unit, price,"
    "  cost, tax_class, barcodes, pack_size, tracks_expiry, active, deleted,"
    "  seq, changed_by)"
    " SELECT $1, d->>'sku', coalesce(d->>'name', ''),"
    "  coalesce(d->>'category', ''), coalesce(d->>'unit', 'piece'),"
    "  coalesce((d->>'price')::bigint, 0), (d->>'cost')::bigint,"
    "  coalesce(d->>'tax_class', 'standard'),"
    "  coalesce(d->'barcodes', '[]'), (d->>'pack_size')::bigint,"
    "  (d->>'tracks_expiry')::boolean,"
    "  coalesce((d->>'active')::boolean, true)"
    "   AND NOT coalesce((d->>'deleted')::boolean, false),"
    "  coalesce((d->>'deleted')::boolean, false), nextval('catalog_seq'),"
    "  'till:' || $2"
    " FROM pc"
    " ON CONFLICT (shop_id, sku) DO UPDATE SET"
    "  name = CASE WHEN excluded.deleted THEN old.name ELSE excluded.name END,"
    "  category = CASE WHEN excluded.deleted THEN old.category"
    "   ELSE excluded.category END,"
    "  unit = CASE WHEN excluded.deleted THEN old.unit ELSE excluded.unit END,"
    "  price = CASE WHEN excluded.deleted THEN old.price"
    "   ELSE excluded.price END,"
    "  cost = CASE WHEN excluded.deleted THEN old.cost ELSE excluded.cost END,"
    "  tax_class = CASE WHEN excluded.deleted THEN old.tax_class"
    "   ELSE excluded.tax_class END,"
    "  barcodes = CASE WHEN excluded.deleted THEN old.barcodes"
    "   ELSE excluded.barcodes END,"
    "  pack_size = CASE WHEN excluded.deleted THEN old.pack_size"
    "   ELSE excluded.pack_size END,"
    "  tracks_expiry = CASE WHEN excluded.deleted THEN old.tracks_expiry"
    "   ELSE excluded.tracks_expiry END,"
    "  active = excluded.active, deleted = excluded.deleted,"
    "  seq = excluded.seq, changed_by = excluded.changed_by,"
    "  updated_at = now())"
    "SELECT id::text FROM ins";

/* Planning it costs about a tenth of a batch: prepared once per thread. */
static const struct hub_stmt ingest_stmt = { "hub_ingest", ingest_sql };

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Map a failed ingest to a status: bad data is 422, the rest 5xx (503 for
 * what a retry cures: a lost connection, a deadlock or serialization
 * failure). Rows are inserted in id order, so two batches sharing ids
 * queue rather than deadlock.
 */
static unsigned
ingest_status(const char *sqlstate)
{
	if (sqlstate[0] == '2' && (sqlstate[1] == '2' || sqlstate[1] == '3'))
		return 422;
	if ((sqlstate[0] == '0' && sqlstate[1] == '8') ||
	    (sqlstate[0] == '4' && sqlstate[1] == '0') ||
	    (sqlstate[0] == '5' && sqlstate[1] == '7'))
		return 503;
	return 500;
}

void
hub_events_post(const struct hub_caller *who, const char *body, size_t len,
    struct hub_reply *r)
{
	struct duka_err err = { 0, "" };
	struct hub_batch b;
	json_t *accepted, *duplicate, *rejected;
	PGresult *res = NULL;
	PGconn *c;
	char shop[24], till[24], sqlstate[6] = "", *text = NULL, *keep = NULL;
	const char *params[4], **got = NULL;
	size_t i, o, nvalid = 0, nacc = 0, ndup = 0, nrej = 0;
	int ngot = 0, rc;

	if (hub_batch_parse(body, len, &b, &err) != DUKA_OK) {
		hub_reply_error(r, err.code == DUKA_EFAIL ? 500 : 400, err.msg);
		hub_batch_free(&b);
		return;
	}
	/*
	 * PostgreSQL reads the body as sent and takes the valid events by
	 * their place ($4, from 1): cheaper than printing them again, and
	 * what it reads is what was checked (its JSON parser accepts all
	 * that jansson does).
	 */
	if ((keep = malloc(b.n * 8 + 3)) == NULL) {
		hub_reply_error(r, 500, "out of memory");
		goto out;
	}
	o = 0;
	keep[o++] = '{';
	for (i = 0; i < b.n; i++) {
		if (b.ev[i].error != NULL || b.ev[i].duplicate)
			continue;
		o += (size_t)snprintf(keep + o, 8, "%s%zu", nvalid ? "," : "",
		    i + 1);
		nvalid++;
	}
	keep[o++] = '}';
	keep[o] = '\0';
	if (nvalid > 0) {
		if ((c = hub_db(&err)) == NULL) {
			hub_reply_error(r, 503, err.msg);
			goto out;
		}
		if ((text = malloc(len + 1)) != NULL) {
			memcpy(text, body, len);
			text[len] = '\0';
		}
		snprintf(shop, sizeof shop, "%lld", (long long)who->shop_id);
		snprintf(till, sizeof till, "%lld", (long long)who->till_id);
		params[0] = shop;
		params[1] = till;
		params[2] = text;
		params[3] = keep;
		rc = DUKA_OK;
		if (b.has_products) {
			/* Catalogue writers of a shop queue: see 0001_base.sql. */
			rc = hub_db_run(c, "BEGIN", 0, NULL, &err);
			if (rc == DUKA_OK)
				rc = hub_db_run(c, "SELECT pg_advisory_xact_lock"
				    "(2, $1::int)", 1, params, &err);
		}
		if (rc == DUKA_OK && text != NULL)
			res = hub_db_exec_stmt(c, &ingest_stmt, NULL, 4,
			    params, sqlstate, &err);
		if (b.has_products) {
			if (res != NULL && hub_db_run(c, "COMMIT", 0, NULL,
			    &err) != DUKA_OK) {
				PQclear(res);
				res = NULL;
			}
			if (res == NULL)
				hub_db_run(c, "ROLLBACK", 0, NULL, NULL);
		}
		if (res == NULL) {
			hub_reply_error(r, text == NULL ? 500 :
			    ingest_status(sqlstate), err.msg[0] ? err.msg :
			    "out of memory");
			goto out;
		}
		ngot = PQntuples(res);
		got = calloc((size_t)ngot + 1, sizeof *got);
		if (got == NULL) {
			hub_reply_error(r, 500, "out of memory");
			goto out;
		}
		for (i = 0; i < (size_t)ngot; i++)
			got[i] = PQgetvalue(res, (int)i, 0);
		qsort(got, (size_t)ngot, sizeof *got, cmp_str);
	}
	accepted = json_array();
	duplicate = json_array();
	rejected = json_array();
	for (i = 0; i < b.n; i++) {
		struct hub_event *e = &b.ev[i];
		const char *key = e->uuid;

		if (e->error != NULL) {
			json_array_append_new(rejected, json_pack("{so sI ss}",
			    "id", e->id != NULL ? json_string(e->id) :
			    json_null(), "index", (json_int_t)i, "error",
			    e->error));
			nrej++;
		} else if (!e->duplicate && ngot > 0 && bsearch(&key, got,
		    (size_t)ngot, sizeof *got, cmp_str) != NULL) {
			json_array_append_new(accepted, json_string(e->id));
			nacc++;
		} else {
			json_array_append_new(duplicate, json_string(e->id));
			ndup++;
		}
	}
	r->status = 200;
	r->body = json_pack("{so so so}", "accepted", accepted, "duplicate",
	    duplicate, "rejected", rejected);
	snprintf(r->log, sizeof r->log, "accepted=%zu duplicate=%zu "
	    "rejected=%zu", nacc, ndup, nrej);
out:
	free(got);
	PQclear(res);
	free(text);
	free(keep);
	hub_batch_free(&b);
}
