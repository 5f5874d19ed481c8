/*
 * hub_mpesa.c - Daraja's STK Push results, relayed to the tills.
 *
 * Daraja posts the result of a payment prompt to the shop's callback URL
 * without any credential, so the shop is named by an unguessable key in
 * the path (shops.callback_key). The callback is stored as it came (the raw
 * JSON plus the fields the tills need, ResultCode as text), once per
 * CheckoutRequestID, and acknowledged at once. Tills behind NAT, which
 * Daraja cannot reach, ask GET /v1/mpesa/results?ids=... with their token
 * and see only their own shop's results: the fields they need, and the
 * callback itself under "callback", as Daraja sent it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"

/* Characters of a callback key and of a CheckoutRequestID. */
static const char id_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

static int
id_ok(const char *s, size_t len, size_t max)
{
	return len > 0 && len <= max && strspn(s, id_chars) >= len;
}

/*
 * One statement: find the shop by key, insert the result unless it is
 * there, and say which of the two happened. The metadata items are looked
 * up by Name, never by position (daraja.md section 3).
 */
static const char callback_sql[] =
    "WITH s AS (SELECT shop_id, code FROM shops WHERE callback_key = $1),"
    "j AS (SELECT $2::jsonb AS raw),"
    "it AS (SELECT i FROM j, jsonb_array_elements(coalesce("
    "  j.raw #> '{Body,stkCallback,CallbackMetadata,Item}', '[]')) i),"
    "ins AS ("
    " INSERT INTO mpesa_results(shop_id, checkout_request_id,"
    "  merchant_request_id, result_code, result_desc, amount, receipt,"
    "  transaction_date, phone, raw)"
    " SELECT s.shop_id, $3, $4, $5, $6,"
    "  (SELECT i->>'Value' FROM it WHERE i->>'Name' = 'Amount' LIMIT 1),"
    "  (SELECT i->>'Value' FROM it WHERE i->>'Name' = 'MpesaReceiptNumber'"
    "   LIMIT 1),"
    "  (SELECT i->>'Value' FROM it WHERE i->>'Name' = 'TransactionDate'"
    "   LIMIT 1),"
    "  (SELECT i->>'Value' FROM it WHERE i->>'Name' = 'PhoneNumber' LIMIT 1),"
    "  j.raw FROM s, j"
    " ON CONFLICT DO NOTHING RETURNING 1)"
    "SELECT (SELECT code FROM s), (SELECT count(*) FROM ins)";

/* Check the envelope; NULL if fine, else why not. */
static const char *
callback_check(json_t *root, const char **checkout, const char **merchant,
    char code[24], const char **desc)
{
	json_t *cb, *v, *meta, *items, *item;
	size_t i;

	cb = json_object_get(json_object_get(root, "Body"), "stkCallback");
	if (!json_is_object(cb))
		return "Body.stkCallback is missing";
	v = json_object_get(cb, "CheckoutRequestID");
	if (!json_is_string(v) || !id_ok(json_string_value(v),
	    json_string_length(v), 200))
		return "CheckoutRequestID is missing or malformed";
	*checkout = json_string_value(v);
	v = json_object_get(cb, "MerchantRequestID");
	if (v != NULL && (!json_is_string(v) || json_string_length(v) > 200))
		return "MerchantRequestID is not a string";
	*merchant = json_string_value(v);
	v = json_object_get(cb, "ResultCode");
	if (json_is_integer(v))
		snprintf(code, 24, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_string(v) && json_string_length(v) > 0 &&
	    json_string_length(v) < 24)
		snprintf(code, 24, "%s", json_string_value(v));
	else
		return "ResultCode is missing or not a number";
	v = json_object_get(cb, "ResultDesc");
	if (v != NULL && (!json_is_string(v) || json_string_length(v) > 1000))
		return "ResultDesc is not a string";
	*desc = json_string_value(v);
	meta = json_object_get(cb, "CallbackMetadata");
	if (meta == NULL || json_is_null(meta))
		return NULL;
	items = json_object_get(meta, "Item");
	if (!json_is_object(meta) || !json_is_array(items))
		return "CallbackMetadata.Item is not a list";
	json_array_foreach(items, i, item)
		if (!json_is_object(item) ||
		    !json_is_string(json_object_get(item, "Name")))
			return "CallbackMetadata.Item has an entry without Name";
	return NULL;
}

void
hub_mpesa_callback(const char *key, const char *body, size_t len,
    struct hub_reply *r)
{
	struct duka_err err = { 0, "" };
	const char *checkout = NULL, *merchant = NULL, *desc = NULL, *why;
	const char *params[6];
	char code[24], sqlstate[6], *raw = NULL;
	PGresult *res;
	PGconn *c;
	json_t *root;
	int stored;

	if (!id_ok(key, strlen(key), 128)) {
		hub_reply_error(r, 404, "unknown callback key");
		return;
	}
	if ((root = hub_json_parse(body, len, 16, &err)) == NULL) {
		hub_reply_error(r, 400, err.msg);
		return;
	}
	if ((why = callback_check(root, &checkout, &merchant, code, &desc)) !=
	    NULL) {
		hub_reply_error(r, 400, why);
		goto out;
	}
	if ((c = hub_db(&err)) == NULL) {
		hub_reply_error(r, 503, err.msg);
		goto out;
	}
	/*
	 * The body as sent (jansson would print 1.00 as 1.0); it has no NUL
	 * byte, since JSON that jansson accepts cannot hold one.
	 */
	if ((raw = malloc(len + 1)) == NULL) {
		hub_reply_error(r, 500, "out of memory");
		goto out;
	}
	memcpy(raw, body, len);
	raw[len] = '\0';
	params[0] = key;
	params[1] = raw;
	params[2] = checkout;
	params[3] = merchant;
	params[4] = code;
	params[5] = desc;
	res = hub_db_exec(c, callback_sql, 6, params, sqlstate, &err);
	if (res == NULL) {
		hub_reply_error(r, sqlstate[0] == '2' && sqlstate[1] == '2' ?
		    400 : 500, err.msg);
		goto out;
	}
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		hub_reply_error(r, 404, "unknown callback key");
		goto out;
	}
	stored = strcmp(PQgetvalue(res, 0, 1), "0") != 0;
	r->status = 200;
	r->body = json_pack("{si ss}", "ResultCode", 0, "ResultDesc",
	    "Accepted");
	snprintf(r->log, sizeof r->log, "shop=%.40s checkout=%.60s "
	    "result=%s %s", PQgetvalue(res, 0, 0), checkout, code,
	    stored ? "stored" : "duplicate");
	PQclear(res);
out:
	free(raw);
	json_decref(root);
}

/* The whole answer as text: jansson would print Daraja's 1.00 as 1.0. */
static const char results_sql[] =
    "SELECT json_build_object('results', coalesce(json_agg("
    "  json_strip_nulls(json_build_object("
    "  'CheckoutRequestID', checkout_request_id,"
    "  'MerchantRequestID', merchant_request_id,"
    "  'ResultCode', result_code, 'ResultDesc', result_desc,"
    "  'Amount', amount, 'MpesaReceiptNumber', receipt,"
    "  'TransactionDate', transaction_date, 'PhoneNumber', phone,"
    "  'received_at', received_at, 'callback', raw))"
    "  ORDER BY checkout_request_id), '[]'))::text, count(*)"
    " FROM mpesa_results WHERE shop_id = $1"
    "  AND checkout_request_id = ANY($2::text[])";

void
hub_mpesa_results(const struct hub_caller *who, const char *ids,
    struct hub_reply *r)
{
	struct duka_err err = { 0, "" };
	char shop[24], *arr = NULL;
	const char *p, *params[2];
	PGresult *res;
	PGconn *c;
	size_t n = 0, len, o = 0;

	if (ids == NULL || ids[0] == '\0') {
		hub_reply_error(r, 400, "ids is missing: "
		    "?ids=CheckoutRequestID,...");
		return;
	}
	/* Checked ids quoted into an array literal: no quote can be in one. */
	if ((arr = malloc(strlen(ids) * 3 + 3)) == NULL) {
		hub_reply_error(r, 500, "out of memory");
		return;
	}
	arr[o++] = '{';
	for (p = ids;; p += len + 1) {
		len = strcspn(p, ",");
		if (!id_ok(p, len, 200)) {
			hub_reply_error(r, 400, "ids must be CheckoutRequestIDs "
			    "separated by commas");
			goto out;
		}
		if (++n > HUB_MAX_RESULT_IDS) {
			hub_reply_error(r, 400, "at most 100 ids at a time");
			goto out;
		}
		if (n > 1)
			arr[o++] = ',';
		arr[o++] = '"';
		memcpy(arr + o, p, len);
		o += len;
		arr[o++] = '"';
		if (p[len] == '\0')
			break;
	}
	arr[o++] = '}';
	arr[o] = '\0';
	if ((c = hub_db(&err)) == NULL) {
		hub_reply_error(r, 503, err.msg);
		goto out;
	}
	snprintf(shop, sizeof shop, "%lld", (long long)who->shop_id);
	params[0] = shop;
	params[1] = arr;
	if ((res = hub_db_exec(c, results_sql, 2, params, NULL, &err)) ==
	    NULL) {
		hub_reply_error(r, 500, err.msg);
		goto out;
	}
	if ((r->text = strdup(PQgetvalue(res, 0, 0))) == NULL) {
		PQclear(res);
		hub_reply_error(r, 500, "out of memory");
		goto out;
	}
	r->status = 200;
	snprintf(r->log, sizeof r->log, "asked=%zu found=%s", n,
	    PQgetvalue(res, 0, 1));
	PQclear(res);
out:
	free(arr);
}
