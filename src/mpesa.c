/*
 * mpesa.c - M-PESA Express (STK Push) through Daraja: the prompts the till
 * asks for, the worker that sends and follows them, and what their results
 * do to payments (see mpesa.h for the states, shared/daraja.md for the
 * API).
 *
 * Never charge twice. Every prompt is written (queued) before it is sent
 * and marked "sending" in its own committed transaction before the HTTP
 * call starts; only an answer that proves the push never reached Daraja
 * (no connection made, the gateway's 503 page, a rate-limit or token
 * refusal) puts it back in the queue. A push whose answer was lost, cut
 * short or timed out is "unknown" and stays so until a result or the
 * attendant settles it. A process that dies while "sending" leaves the
 * row to be found "unknown" by the next worker step.
 *
 * Results come from STK Push Query (which says paid but gives no receipt
 * number: "confirmed") and from the callbacks that the hub relays (with
 * the receipt number: "paid"). Results are mapped on ResultCode only,
 * stored as the string Daraja sent. A result is applied idempotently: a
 * repeat changes nothing, a failure never overrides a payment, and a paid
 * result with a receipt is never lost, even late.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "check.h"
#include "customer.h"
#include "date.h"
#include "http.h"
#include "i18n.h"
#include "money.h"
#include "mpesa.h"
#include "payment.h"
#include "text.h"
#include "user.h"

/* Prompts the worker sends or queries in one step, at most. */
#define STEP_MAX 16
/* Checkout ids asked of the hub at once. */
#define HUB_IDS_MAX 40

static const char *const state_names[MPESA_STATES] = {
	"queued", "sending", "waiting", "confirmed", "paid", "cancelled",
	"timed_out", "insufficient", "wrong_pin", "try_later", "failed",
	"unknown", "not_sent",
};

const char *
mpesa_state_name(enum mpesa_state s)
{
	return (unsigned)s < MPESA_STATES ? state_names[s] : "failed";
}

int
mpesa_state_parse(const char *word)
{
	int i;

	for (i = 0; word != NULL && i < MPESA_STATES; i++)
		if (strcmp(word, state_names[i]) == 0)
			return i;
	return -1;
}

const char *
mpesa_state_label(enum mpesa_state s)
{
	switch (s) {
	case MPESA_QUEUED:
		return _("waiting to be sent");
	case MPESA_SENDING:
		return _("sending the prompt");
	case MPESA_WAITING:
		return _("waiting for the customer");
	case MPESA_CONFIRMED:
		return _("paid, receipt number not received yet");
	case MPESA_PAID:
		return _("paid");
	case MPESA_CANCELLED:
		return _("cancelled by the customer");
	case MPESA_TIMED_OUT:
		return _("timed out: the customer did not answer");
	case MPESA_INSUFFICIENT:
		return _("not enough money on M-PESA");
	case MPESA_WRONG_PIN:
		return _("wrong M-PESA PIN");
	case MPESA_TRY_LATER:
		return _("M-PESA is busy for this customer: try again later");
	case MPESA_UNKNOWN:
		return _("outcome unknown: ask the customer");
	case MPESA_NOT_SENT:
		return _("not sent");
	case MPESA_FAILED:
	default:
		return _("failed, needs review");
	}
}

int
mpesa_state_final(enum mpesa_state s)
{
	return s != MPESA_QUEUED && s != MPESA_SENDING && s != MPESA_WAITING &&
	    s != MPESA_CONFIRMED;
}

/* Milliseconds since the epoch, from the real clock (DUKA_NOW is for the
 * ledger's time stamps, not for waiting on a network). */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct mpesa_timing timing;
static pthread_once_t timing_once = PTHREAD_ONCE_INIT;

/* Fill timing once, whichever thread asks first. */
static void
timing_init(void)
{
	struct mpesa_timing *t = &timing;
	const char *fast;
	int64_t div = 1;

	fast = getenv("DUKA_MPESA_FAST");
	if (fast != NULL && *fast != '\0' && strcmp(fast, "0") != 0)
		div = 50;
	/* daraja.md 4: first query >= 20 s after the push, then every
	 * 10-15 s, give up after about 3 minutes. */
	t->first_query_ms = 20000 / div;
	t->query_every_ms = 12000 / div;
	t->give_up_ms = 180000 / div;
	t->retry_ms = 15000 / div;
	t->hub_every_ms = 10000 / div;
	t->queue_max_ms = 600000 / div;
}

const struct mpesa_timing *
mpesa_timing(void)
{
	pthread_once(&timing_once, timing_init);
	return &timing;
}

/* Eastern Africa Time: UTC+3, no daylight saving. */
#define EAT_OFFSET (3 * 3600)

void
mpesa_timestamp(int64_t t, char out[MPESA_TIMESTAMP_LEN])
{
	time_t tt = (time_t)(t + EAT_OFFSET);
	struct tm tm;

	gmtime_r(&tt, &tm);
	if (strftime(out, MPESA_TIMESTAMP_LEN, "%Y%m%d%H%M%S", &tm) !=
	    MPESA_TIMESTAMP_LEN - 1)
		snprintf(out, MPESA_TIMESTAMP_LEN, "19700101000000");
}

int
mpesa_password(const char *short_code, const char *passkey,
    const char *timestamp, char *out, size_t n)
{
	char plain[512];
	int len;

	len = snprintf(plain, sizeof plain, "%s%s%s", short_code, passkey,
	    timestamp);
	if (len < 0 || (size_t)len >= sizeof plain ||
	    n < sodium_base64_ENCODED_LEN((size_t)len,
	    sodium_base64_VARIANT_ORIGINAL))
		return -1;
	sodium_bin2base64(out, n, (const unsigned char *)plain, (size_t)len,
	    sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(plain, sizeof plain);
	return 0;
}

int
mpesa_amount_round(int64_t cents, int64_t *out, struct duka_err *err)
{
	char a[MONEY_MAX_TEXT];
	int64_t r;

	if (cents <= 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("an M-PESA prompt needs an amount of at least KSh 1"));
	r = cents > MPESA_AMOUNT_MAX ? cents : (cents + 99) / 100 * 100;
	if (r > MPESA_AMOUNT_MAX) {
		money_format_ksh(cents, a, sizeof a);
		return duka_fail(err, DUKA_EINPUT, _("%s is more than one "
		    "M-PESA payment may be (KSh 250,000): split it"), a);
	}
	*out = r;
	return DUKA_OK;
}

void
mpesa_account_ref(const char *receipt, char out[MPESA_REF_MAX])
{
	char buf[RECEIPT_TEXT_MAX + 8];
	size_t n = 0, i;

	for (i = 0; receipt[i] != '\0' && n + 1 < sizeof buf; i++)
		if (isalnum((unsigned char)receipt[i]) &&
		    (unsigned char)receipt[i] < 0x80)
			buf[n++] = (char)toupper((unsigned char)receipt[i]);
	buf[n] = '\0';
	if (n == 0)
		snprintf(out, MPESA_REF_MAX, "DUKA");
	else
		snprintf(out, MPESA_REF_MAX, "%s",
		    buf + (n > MPESA_REF_MAX - 1 ? n - (MPESA_REF_MAX - 1) : 0));
}

void
mpesa_transaction_desc(const char *shop, char out[MPESA_DESC_MAX])
{
	size_t n = 0, i;

	for (i = 0; shop != NULL && shop[i] != '\0' && n + 1 < MPESA_DESC_MAX;
	    i++) {
		unsigned char c = (unsigned char)shop[i];

		if (c < 0x80 && (isalnum(c) || (c == ' ' && n > 0 &&
		    out[n - 1] != ' ')))
			out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, MPESA_DESC_MAX, "Payment");
}

enum mpesa_state
mpesa_result_state(const char *code)
{
	static const struct {
		const char *code;
		enum mpesa_state state;
	} map[] = {
		{ "0", MPESA_PAID },
		{ "1", MPESA_INSUFFICIENT },
		{ "17", MPESA_TRY_LATER },
		{ "1001", MPESA_TRY_LATER },
		{ "1019", MPESA_TIMED_OUT },
		{ "1032", MPESA_CANCELLED },
		{ "1037", MPESA_TIMED_OUT },
		{ "2001", MPESA_WRONG_PIN },
		{ "4999", MPESA_WAITING },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(code, map[i].code) == 0)
			return map[i].state;
	return MPESA_FAILED;
}

int
mpesa_phone_normalise(const char *text, char out[MPESA_PHONE_LEN],
    struct duka_err *err)
{
	char d[16];
	const char *s = text != NULL ? text : "", *tail = NULL;
	size_t n = 0;
	int plus = 0;

	while (*s == ' ')
		s++;
	if (*s == '+') {
		plus = 1;
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= sizeof d)
			goto bad;
		d[n++] = *s;
	}
	d[n] = '\0';
	if (n == 12 && strncmp(d, "254", 3) == 0)
		tail = d + 3;
	else if (n == 10 && d[0] == '0' && !plus)
		tail = d + 1;
	if (tail == NULL || (tail[0] != '7' && tail[0] != '1'))
		goto bad;
	snprintf(out, MPESA_PHONE_LEN, "254%.9s", tail);
	return DUKA_OK;
bad:
	return duka_fail(err, DUKA_EINPUT, _("\"%.40s\" is not a Safaricom "
	    "mobile number: write it like 0712345678, 0112345678 or "
	    "+254712345678"), text != NULL ? text : "");
}

int
mpesa_config_check(const struct settings *cfg, struct duka_err *err)
{
	static const char *const keys[] = { "base_url", "consumer_key",
	    "consumer_secret", "short_code", "passkey", "callback_url" };
	const char *vals[6];
	size_t i;

	vals[0] = cfg->mpesa_base_url;
	vals[1] = cfg->mpesa_consumer_key;
	vals[2] = cfg->mpesa_consumer_secret;
	vals[3] = cfg->mpesa_short_code;
	vals[4] = cfg->mpesa_passkey;
	vals[5] = cfg->mpesa_callback_url;
	for (i = 0; i < 6; i++)
		if (vals[i][0] == '\0')
			return duka_fail(err, DUKA_ECONFIG, _("M-PESA is not set "
			    "up: [mpesa] %s is missing in duka.conf"), keys[i]);
	if (strcmp(cfg->mpesa_type, "CustomerBuyGoodsOnline") == 0 &&
	    cfg->mpesa_till_number[0] == '\0')
		return duka_fail(err, DUKA_ECONFIG, _("M-PESA is not set up: a "
		    "Buy Goods shop needs [mpesa] till_number in duka.conf"));
	return DUKA_OK;
}

int
mpesa_configured(const struct settings *cfg)
{
	return mpesa_config_check(cfg, NULL) == DUKA_OK;
}

/* ------------------------------------------------------------------ */
/* Reading Daraja's replies                                            */

/* Copy a JSON string or integer member as text; 0 if there was none. */
static int
json_text(json_t *obj, const char *key, char *out, size_t n)
{
	json_t *v = json_object_get(obj, key);

	out[0] = '\0';
	if (json_is_string(v)) {
		snprintf(out, n, "%s", json_string_value(v));
		return 1;
	}
	if (json_is_integer(v)) {
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
		return 1;
	}
	return 0;
}

/* Does hay contain needle, ignoring ASCII case? */
static int
has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* An amount as the callback gives it (1, 1.00, "05") in cents; -1 if
 * unreadable. The JSON number arrives as a double from jansson: it is
 * turned into exact cents at once, through text, and never kept. */
static int64_t
json_cents(json_t *v)
{
	char buf[64];
	int64_t c;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 0 || i > MPESA_AMOUNT_MAX / 100)
			return -1;
		return (int64_t)i * 100;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!(d >= 0 && d <= (double)(MPESA_AMOUNT_MAX / 100)))
			return -1;
		snprintf(buf, sizeof buf, "%.2f", d);
	} else if (json_is_string(v))
		snprintf(buf, sizeof buf, "%s", json_string_value(v));
	else
		return -1;
	if (money_parse(buf, &c, NULL) != DUKA_OK || c < 0 ||
	    c > MPESA_AMOUNT_MAX)
		return -1;
	return c;
}

/* Classify a Daraja error object (errorCode/errorMessage). */
static void
parse_error(json_t *root, struct mpesa_reply *r)
{
	json_text(root, "errorCode", r->error_code, sizeof r->error_code);
	json_text(root, "errorMessage", r->message, sizeof r->message);
	if (strcmp(r->error_code, "404.001.03") == 0 ||
	    (strncmp(r->error_code, "401.", 4) == 0) ||
	    has_words(r->message, "Invalid Access Token"))
		r->kind = MPESA_R_BAD_TOKEN;
	else if (strncmp(r->error_code, "500.003.0", 9) == 0 ||
	    has_words(r->message, "Spike Arrest") ||
	    has_words(r->message, "Quota Violation") ||
	    has_words(r->message, "System is busy"))
		r->kind = MPESA_R_BUSY;
	else if (has_words(r->message, "Unable to lock subscriber"))
		r->kind = MPESA_R_LOCKED;
	else if (has_words(r->message, "being processed") ||
	    has_words(r->message, "still under processing") ||
	    has_words(r->message, "transaction does not exist"))
		r->kind = MPESA_R_PENDING;
	else
		r->kind = MPESA_R_REFUSED;
}

/* The callback's Body.stkCallback. */
static void
parse_callback(json_t *root, struct mpesa_reply *r)
{
	json_t *cb, *items, *it, *name, *v;
	char rc[32];
	size_t i;

	cb = json_object_get(json_object_get(root, "Body"), "stkCallback");
	if (!json_is_object(cb) ||
	    !json_text(cb, "CheckoutRequestID", r->checkout_id,
	    sizeof r->checkout_id) || r->checkout_id[0] == '\0' ||
	    !json_text(cb, "ResultCode", rc, sizeof rc) || rc[0] == '\0' ||
	    strlen(rc) >= sizeof r->result_code) {
		r->kind = MPESA_R_GARBLED;
		return;
	}
	memcpy(r->result_code, rc, strlen(rc) + 1);	/* length checked */
	json_text(cb, "MerchantRequestID", r->merchant_id,
	    sizeof r->merchant_id);
	json_text(cb, "ResultDesc", r->result_desc, sizeof r->result_desc);
	items = json_object_get(json_object_get(cb, "CallbackMetadata"),
	    "Item");
	/* By name, never by position; any item may be missing. */
	json_array_foreach(items, i, it) {
		name = json_object_get(it, "Name");
		v = json_object_get(it, "Value");
		if (!json_is_string(name) || v == NULL)
			continue;
		if (strcmp(json_string_value(name), "MpesaReceiptNumber") == 0 &&
		    json_is_string(v))
			(void)mpesa_code_check(json_string_value(v), r->receipt,
			    NULL);
		else if (strcmp(json_string_value(name), "Amount") == 0)
			r->amount = json_cents(v);
		else if (strcmp(json_string_value(name), "PhoneNumber") == 0)
			json_text(it, "Value", r->phone, sizeof r->phone);
		else if (strcmp(json_string_value(name), "TransactionDate") == 0)
			json_text(it, "Value", r->tx_date, sizeof r->tx_date);
	}
	r->kind = strcmp(r->result_code, "4999") == 0 ? MPESA_R_PENDING :
	    MPESA_R_RESULT;
}

void
mpesa_reply_parse(enum mpesa_call call, long status, const char *body,
    size_t len, struct mpesa_reply *r)
{
	json_error_t je;
	json_t *root = NULL, *v;
	char code[64];

	memset(r, 0, sizeof *r);
	r->status = status;
	r->amount = -1;
	if (body != NULL && len > 0)
		root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		if (call == MPESA_CALL_TOKEN && status == 400 && len == 0) {
			/* Wrong key or secret: a bare 400 (daraja.md 1). */
			r->kind = MPESA_R_REFUSED;
			snprintf(r->message, sizeof r->message, "%s",
			    _("the consumer key or secret is wrong"));
			return;
		}
		r->kind = status == 503 ? MPESA_R_OUTAGE : MPESA_R_GARBLED;
		return;
	}
	if (call == MPESA_CALL_CALLBACK) {
		parse_callback(root, r);
		json_decref(root);
		return;
	}
	if (json_object_get(root, "errorCode") != NULL ||
	    json_object_get(root, "errorMessage") != NULL) {
		parse_error(root, r);
		json_decref(root);
		return;
	}
	r->kind = MPESA_R_GARBLED;
	switch (call) {
	case MPESA_CALL_TOKEN:
		v = json_object_get(root, "expires_in");
		if (status == 200 && json_text(root, "access_token", r->token,
		    sizeof r->token) && r->token[0] != '\0') {
			char e[32];

			if (json_is_integer(v) && json_integer_value(v) > 0 &&
			    json_integer_value(v) < 10 * 86400)
				r->expires_in = json_integer_value(v);
			else if (json_text(root, "expires_in", e, sizeof e) &&
			    text_is_digits(e) && strlen(e) < 7)
				r->expires_in = atol(e);
			if (r->expires_in > 0)
				r->kind = MPESA_R_TOKEN;
		}
		break;
	case MPESA_CALL_PUSH:
		json_text(root, "ResponseCode", r->result_code,
		    sizeof r->result_code);
		json_text(root, "ResponseDescription", r->message,
		    sizeof r->message);
		json_text(root, "MerchantRequestID", r->merchant_id,
		    sizeof r->merchant_id);
		if (status == 200 && strcmp(r->result_code, "0") == 0 &&
		    json_text(root, "CheckoutRequestID", r->checkout_id,
		    sizeof r->checkout_id) && r->checkout_id[0] != '\0')
			r->kind = MPESA_R_ACCEPTED;
		else if (r->result_code[0] != '\0' &&
		    strcmp(r->result_code, "0") != 0)
			r->kind = MPESA_R_REFUSED;
		r->result_code[0] = '\0';
		break;
	case MPESA_CALL_QUERY:
		json_text(root, "CheckoutRequestID", r->checkout_id,
		    sizeof r->checkout_id);
		json_text(root, "MerchantRequestID", r->merchant_id,
		    sizeof r->merchant_id);
		json_text(root, "ResultDesc", r->result_desc,
		    sizeof r->result_desc);
		if (json_text(root, "ResultCode", code, sizeof code) &&
		    code[0] != '\0' && strlen(code) < sizeof r->result_code) {
			memcpy(r->result_code, code, strlen(code) + 1);
			r->kind = strcmp(r->result_code, "4999") == 0 ?
			    MPESA_R_PENDING : MPESA_R_RESULT;
		}
		else if (json_object_get(root, "ResponseCode") != NULL)
			r->kind = MPESA_R_PENDING;
		break;
	case MPESA_CALL_CALLBACK:
		break;
	}
	json_decref(root);
}

/* ------------------------------------------------------------------ */
/* Attempts in the database                                            */

/* Every attempt query selects these columns, in this order (attempt_row
 * reads them), from the attempt joined to its payment and sale. */
#define ATTEMPT_SELECT \
    "SELECT a.id, a.payment_id, p.sale_id, a.customer_id, s.till_id, " \
    "s.receipt_no, a.state, a.abandoned, a.applied, a.phone, a.amount, " \
    "a.due, a.account_ref, a.checkout_request_id, a.result_code, " \
    "a.result_desc, a.mpesa_receipt, a.paid_amount, a.paid_phone, " \
    "a.last_error, a.queries, a.created_at, a.updated_at " \
    "FROM mpesa_attempts a LEFT JOIN payments p ON p.id = a.payment_id " \
    "LEFT JOIN sales s ON s.id = p.sale_id "

/* Fill a from a row of ATTEMPT_SELECT. */
static void
attempt_row(sqlite3_stmt *st, struct mpesa_attempt *a)
{
	char state[24];
	int s;

	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->payment_id = sqlite3_column_int64(st, 1);
	a->sale_id = sqlite3_column_int64(st, 2);
	a->customer_id = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		sale_receipt_text((const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int64(st, 5), a->receipt);
	db_column_copy(st, 6, state, sizeof state);
	s = mpesa_state_parse(state);
	a->state = s < 0 ? MPESA_FAILED : (enum mpesa_state)s;
	a->abandoned = sqlite3_column_int(st, 7);
	a->applied = sqlite3_column_int(st, 8);
	db_column_copy(st, 9, a->phone, sizeof a->phone);
	a->amount = sqlite3_column_int64(st, 10);
	a->due = sqlite3_column_int64(st, 11);
	db_column_copy(st, 12, a->account_ref, sizeof a->account_ref);
	db_column_copy(st, 13, a->checkout_id, sizeof a->checkout_id);
	db_column_copy(st, 14, a->result_code, sizeof a->result_code);
	db_column_copy(st, 15, a->result_desc, sizeof a->result_desc);
	db_column_copy(st, 16, a->mpesa_receipt, sizeof a->mpesa_receipt);
	a->paid_amount = sqlite3_column_int64(st, 17);
	db_column_copy(st, 18, a->paid_phone, sizeof a->paid_phone);
	db_column_copy(st, 19, a->last_error, sizeof a->last_error);
	a->queries = sqlite3_column_int64(st, 20);
	db_column_copy(st, 21, a->created_at, sizeof a->created_at);
	db_column_copy(st, 22, a->updated_at, sizeof a->updated_at);
}

static const char sql_by_id[] = ATTEMPT_SELECT "WHERE a.id = ?1";
static const char sql_by_checkout[] = ATTEMPT_SELECT
    "WHERE a.checkout_request_id = ?1";
static const char sql_latest[] = ATTEMPT_SELECT
    "WHERE a.payment_id = ?1 ORDER BY a.id DESC LIMIT 1";
static const char sql_list[] = ATTEMPT_SELECT
    "WHERE a.state IN ('queued', 'sending', 'waiting', 'confirmed') "
    "OR (a.abandoned = 1 AND a.state = 'paid' AND a.applied = 0) "
    "OR a.id IN (SELECT id FROM mpesa_attempts ORDER BY id DESC "
    "LIMIT ?1) ORDER BY a.id DESC";

/* Read one attempt by a bound id or text key. */
static int
attempt_read(struct db *db, const char *sql, int64_t id, const char *key,
    struct mpesa_attempt *a, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql, err)) == NULL)
		return err->code;
	if (key != NULL)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		attempt_row(st, a);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading M-PESA prompts"));
	if (key != NULL)
		return duka_fail(err, DUKA_ENOTFOUND,
		    _("no M-PESA prompt has the id %.60s"), key);
	return duka_fail(err, DUKA_ENOTFOUND,
	    _("there is no M-PESA prompt number %lld"), (long long)id);
}

int
mpesa_attempt_get(struct db *db, int64_t attempt_id, struct mpesa_attempt *out,
    struct duka_err *err)
{
	return attempt_read(db, sql_by_id, attempt_id, NULL, out, err);
}

int
mpesa_attempt_latest(struct db *db, int64_t payment_id,
    struct mpesa_attempt *out, struct duka_err *err)
{
	return attempt_read(db, sql_latest, payment_id, NULL, out, err);
}

int
mpesa_attempt_list(struct db *db, int recent,
    int (*fn)(void *ctx, const struct mpesa_attempt *a), void *ctx,
    struct duka_err *err)
{
	struct mpesa_attempt a;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, sql_list, err)) == NULL)
		return err->code;
	sqlite3_bind_int(st, 1, recent);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		attempt_row(st, &a);
		if (fn(ctx, &a) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading M-PESA prompts"));
}

int
mpesa_pending_payment(struct db *db, int64_t sale_id, int64_t *payment_id,
    int64_t *amount, char phone[16], struct duka_err *err)
{
	struct payment_info p;
	int rc;

	if ((rc = payment_pending_mpesa(db, sale_id, &p, err)) != DUKA_OK)
		return rc;
	*payment_id = p.id;
	*amount = p.amount;
	snprintf(phone, 16, "%s", p.phone);
	return DUKA_OK;
}

/* Set an attempt's state with the fields that go with it; a NULL text
 * leaves the column alone, "" clears it. next_at < 0 clears next_at. */
struct attempt_update {
	enum mpesa_state state;
	int64_t next_at;
	const char *error;
	const char *result_code, *result_desc;
	const char *checkout_id, *merchant_id;
	int64_t sent_ms;		/* 0: unchanged */
	int count_query;
};

static int
attempt_set(struct db *db, int64_t id, const struct attempt_update *u,
    struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "UPDATE mpesa_attempts SET state = ?2, next_at = ?3, "
	    "last_error = CASE WHEN ?4 IS NULL THEN last_error ELSE "
	    "nullif(?4, '') END, result_code = coalesce(?5, result_code), "
	    "result_desc = coalesce(?6, result_desc), checkout_request_id = "
	    "coalesce(?7, checkout_request_id), merchant_request_id = "
	    "coalesce(?8, merchant_request_id), sent_ms = CASE WHEN ?9 = 0 "
	    "THEN sent_ms ELSE ?9 END, queries = queries + ?10, "
	    "updated_at = ?11 WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	date_now_timestamp(at);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, mpesa_state_name(u->state), -1, SQLITE_STATIC);
	if (u->next_at >= 0)
		sqlite3_bind_int64(st, 3, u->next_at);
	if (u->error != NULL)
		sqlite3_bind_text(st, 4, u->error, -1, SQLITE_TRANSIENT);
	if (u->result_code != NULL)
		sqlite3_bind_text(st, 5, u->result_code, -1, SQLITE_TRANSIENT);
	if (u->result_desc != NULL)
		sqlite3_bind_text(st, 6, u->result_desc, -1, SQLITE_TRANSIENT);
	if (u->checkout_id != NULL && u->checkout_id[0] != '\0')
		sqlite3_bind_text(st, 7, u->checkout_id, -1, SQLITE_TRANSIENT);
	if (u->merchant_id != NULL && u->merchant_id[0] != '\0')
		sqlite3_bind_text(st, 8, u->merchant_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, u->sent_ms);
	sqlite3_bind_int(st, 10, u->count_query ? 1 : 0);
	sqlite3_bind_text(st, 11, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("saving an M-PESA prompt"));
}

/* Is a prompt for payment_id still in flight (not abandoned)? */
static int
attempt_in_flight(struct db *db, int64_t payment_id, int64_t customer_id,
    struct mpesa_attempt *a, struct duka_err *err)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	st = db_stmt(db, "SELECT id FROM mpesa_attempts WHERE (payment_id = ?1 "
	    "OR customer_id = ?2) AND abandoned = 0 AND state IN ('queued', "
	    "'sending', 'waiting', 'confirmed') ORDER BY id DESC LIMIT 1", err);
	if (st == NULL)
		return -1;
	if (payment_id > 0)
		sqlite3_bind_int64(st, 1, payment_id);
	if (customer_id > 0)
		sqlite3_bind_int64(st, 2, customer_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, err, _("reading M-PESA prompts"));
		return -1;
	}
	if (id == 0)
		return 0;
	return mpesa_attempt_get(db, id, a, err) == DUKA_OK ? 1 : -1;
}

/* Insert a queued attempt. */
static int
attempt_insert(struct db *db, int64_t payment_id, int64_t customer_id,
    const char *phone, int64_t amount, int64_t due, const char *ref,
    const char *user, int64_t *id, struct duka_err *err)
{
	char at[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int64_t now = now_ms();
	int rc;

	st = db_stmt(db, "INSERT INTO mpesa_attempts(payment_id, customer_id, "
	    "phone, amount, due, account_ref, state, next_at, queued_ms, "
	    "user_name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, 'queued', ?7, ?7, ?8, ?9, ?9)", err);
	if (st == NULL)
		return err->code;
	date_now_timestamp(at);
	if (payment_id > 0)
		sqlite3_bind_int64(st, 1, payment_id);
	if (customer_id > 0)
		sqlite3_bind_int64(st, 2, customer_id);
	sqlite3_bind_text(st, 3, phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, amount);
	sqlite3_bind_int64(st, 5, due);
	sqlite3_bind_text(st, 6, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, now);
	db_bind_text_or_null(st, 8, user);
	sqlite3_bind_text(st, 9, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving an M-PESA prompt"));
	*id = sqlite3_last_insert_rowid(db_sqlite(db));
	return DUKA_OK;
}

/* Refuse a new prompt while one for the same payment is in flight. */
static int
refuse_in_flight(const struct mpesa_attempt *a, struct duka_err *err)
{
	if (a->state == MPESA_CONFIRMED)
		return duka_fail(err, DUKA_EINPUT, _("M-PESA says prompt %lld is "
		    "paid already: key in the code from the customer's SMS "
		    "instead of sending another"), (long long)a->id);
	return duka_fail(err, DUKA_EINPUT, _("prompt %lld for this payment "
	    "is still %s: stop waiting for it before sending another"),
	    (long long)a->id, mpesa_state_label(a->state));
}

int
mpesa_prompt_queue(struct db *db, int64_t sale_id, const char *phone,
    const char *user, int64_t *attempt_id, struct duka_err *err)
{
	char msisdn[MPESA_PHONE_LEN], ref[MPESA_REF_MAX];
	char detail[160], amt[MONEY_MAX_TEXT];
	struct mpesa_attempt cur;
	struct payment_info p;
	int64_t amount = 0, id = 0;
	int rc, busy;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_SELL, err)) != DUKA_OK ||
	    (rc = payment_pending_mpesa(db, sale_id, &p, err)) != DUKA_OK)
		goto fail;
	if (phone == NULL || *phone == '\0')
		phone = p.phone;
	if (*phone == '\0') {
		rc = duka_fail(err, DUKA_EINPUT, _("receipt %s: give the phone "
		    "number that gets the M-PESA prompt"), p.receipt);
		goto fail;
	}
	if ((rc = mpesa_phone_normalise(phone, msisdn, err)) != DUKA_OK ||
	    (rc = mpesa_amount_round(p.amount, &amount, err)) != DUKA_OK)
		goto fail;
	if ((busy = attempt_in_flight(db, p.id, 0, &cur, err)) != 0) {
		rc = busy < 0 ? err->code : refuse_in_flight(&cur, err);
		goto fail;
	}
	mpesa_account_ref(p.receipt, ref);
	if ((rc = attempt_insert(db, p.id, 0, msisdn, amount, p.amount, ref,
	    user, &id, err)) != DUKA_OK)
		goto fail;
	money_format(amount, amt, sizeof amt);
	snprintf(detail, sizeof detail, "receipt %s: prompt for KSh %s to %s",
	    p.receipt, amt, msisdn);
	if ((rc = audit_add(db, user, "mpesa.queue", "mpesa_attempt", id,
	    detail, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	*attempt_id = id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

int
mpesa_prompt_queue_account(struct db *db, int64_t customer_id, int64_t amount,
    const char *phone, const char *user, int64_t *attempt_id,
    struct duka_err *err)
{
	char msisdn[MPESA_PHONE_LEN], ref[MPESA_REF_MAX], key[24];
	char detail[160], amt[MONEY_MAX_TEXT], owes[MONEY_MAX_TEXT];
	struct mpesa_attempt cur;
	struct customer c;
	int64_t id = 0, rounded = 0;
	int rc, busy;

	if ((rc = mpesa_amount_round(amount, &rounded, err)) != DUKA_OK)
		return rc;
	money_format_ksh(amount, amt, sizeof amt);
	if (rounded != amount)
		return duka_fail(err, DUKA_EINPUT, _("%s: an M-PESA prompt asks "
		    "whole shillings"), amt);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	snprintf(key, sizeof key, "%lld", (long long)customer_id);
	if ((rc = perm_require(db, PERM_CUSTOMERS, err)) != DUKA_OK ||
	    (rc = customer_find(db, key, &c, err)) != DUKA_OK)
		goto fail;
	money_format_ksh(c.balance, owes, sizeof owes);
	if (!c.active) {
		rc = duka_fail(err, DUKA_EINPUT, _("%s is no longer an active "
		    "customer"), c.name);
		goto fail;
	}
	if (amount > c.balance) {
		rc = duka_fail(err, DUKA_EINPUT, _("%s owes %s: a prompt for %s "
		    "is more than that"), c.name, owes, amt);
		goto fail;
	}
	if (phone == NULL || *phone == '\0')
		phone = c.phone;
	if ((rc = mpesa_phone_normalise(phone, msisdn, err)) != DUKA_OK)
		goto fail;
	if ((busy = attempt_in_flight(db, 0, c.id, &cur, err)) != 0) {
		rc = busy < 0 ? err->code : refuse_in_flight(&cur, err);
		goto fail;
	}
	snprintf(ref, sizeof ref, "ACC%lld", (long long)(c.id % 100000000));
	if ((rc = attempt_insert(db, 0, c.id, msisdn, amount, amount, ref, user,
	    &id, err)) != DUKA_OK)
		goto fail;
	snprintf(detail, sizeof detail, "account of customer %lld: prompt for "
	    "%s to %s", (long long)c.id, amt, msisdn);
	if ((rc = audit_add(db, user, "mpesa.queue", "mpesa_attempt", id,
	    detail, err)) != DUKA_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != DUKA_OK)
		return rc;
	*attempt_id = id;
	return DUKA_OK;
fail:
	db_rollback(db);
	return rc;
}

int
mpesa_attempt_abandon(struct db *db, int64_t attempt_id, const char *user,
    struct duka_err *err)
{
	struct attempt_update u;
	struct mpesa_attempt a;
	char detail[96];
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = perm_require(db, PERM_SELL, err)) != DUKA_OK ||
	    (rc = mpesa_attempt_get(db, attempt_id, &a, err)) != DUKA_OK)
		goto fail;
	if (a.abandoned || (mpesa_state_final(a.state) &&
	    a.state != MPESA_UNKNOWN)) {
		rc = duka_fail(err, DUKA_EINPUT, _("prompt %lld is over "
		    "already: %s"), (long long)a.id, mpesa_state_label(a.state));
		goto fail;
	}
	if ((rc = db_exec_bound_id(db, "UPDATE mpesa_attempts SET "
	    "abandoned = 1 WHERE id = ?1", a.id, err)) != DUKA_OK)
		goto fail;
	if (a.state == MPESA_QUEUED) {
		memset(&u, 0, sizeof u);
		u.state = MPESA_NOT_SENT;
		u.next_at = -1;
		u.error = "";
		if ((rc = attempt_set(db, a.id, &u, err)) != DUKA_OK)
			goto fail;
	}
	snprintf(detail, sizeof detail, "stopped waiting (%s)",
	    mpesa_state_name(a.state));
	if ((rc = audit_add(db, user, "mpesa.abandon", "mpesa_attempt", a.id,
	    detail, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int
mpesa_switch_tender(struct db *db, int64_t payment_id, enum pay_method method,
    int64_t tendered, const char *code, const char *user, int64_t *change,
    struct duka_err *err)
{
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	/* Prompts in flight are followed still: a late "paid" is recorded
	 * and flagged as a double payment, never lost. */
	if ((rc = db_exec_bound_id(db, "UPDATE mpesa_attempts SET "
	    "abandoned = 1, state = CASE WHEN state = 'queued' THEN "
	    "'not_sent' ELSE state END, next_at = CASE WHEN state = 'queued' "
	    "THEN NULL ELSE next_at END WHERE payment_id = ?1 AND state IN "
	    "('queued', 'sending', 'waiting', 'confirmed', 'unknown')",
	    payment_id, err)) != DUKA_OK ||
	    (rc = payment_switch(db, payment_id, method, tendered, code, user,
	    change, NULL, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int
mpesa_attempt_key_code(struct db *db, int64_t attempt_id, const char *code,
    const char *user, struct duka_err *err)
{
	struct mpesa_attempt a;
	int rc;

	if ((rc = mpesa_attempt_get(db, attempt_id, &a, err)) != DUKA_OK)
		return rc;
	if (a.payment_id == 0)
		return duka_fail(err, DUKA_EINPUT, _("prompt %lld pays an "
		    "account: record the code with duka customer pay"),
		    (long long)a.id);
	return mpesa_switch_tender(db, a.payment_id, PAY_MPESA, 0, code, user,
	    NULL, err);
}

/* ------------------------------------------------------------------ */
/* Applying results                                                     */

/* Record a paid result on attempt a and settle what it pays. Runs inside
 * the caller's transaction. */
static int
apply_paid(struct db *db, const struct mpesa_attempt *a,
    const struct mpesa_reply *r, struct duka_err *err)
{
	char detail[200], key[24];
	struct payment_info p;
	struct customer c;
	struct duka_err why = { 0, "" };
	sqlite3_stmt *st;
	int applied = 0, rc;
	int64_t amt, holder = 0;

	/* A receipt number is one payment: one already recorded on another
	 * prompt is not taken again (and does not block the worker). */
	st = db_stmt(db, "SELECT id FROM mpesa_attempts WHERE mpesa_receipt = "
	    "?1 AND id <> ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, r->receipt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, a->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		holder = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading M-PESA prompts"));
	if (holder > 0) {
		snprintf(detail, sizeof detail, "result %s for prompt %lld "
		    "ignored: receipt %s is prompt %lld's", r->result_code,
		    (long long)a->id, r->receipt, (long long)holder);
		return audit_add(db, NULL, "mpesa.duplicate", "mpesa_attempt",
		    a->id, detail, err);
	}

	st = db_stmt(db, "UPDATE mpesa_attempts SET state = 'paid', "
	    "result_code = ?2, result_desc = ?3, mpesa_receipt = ?4, "
	    "paid_amount = ?5, paid_phone = ?6, paid_at = ?7, next_at = NULL, "
	    "last_error = NULL, updated_at = ?8 WHERE id = ?1", err);
	if (st == NULL)
		return err->code;
	{
		char at[TIMESTAMP_LEN];

		date_now_timestamp(at);
		sqlite3_bind_int64(st, 1, a->id);
		sqlite3_bind_text(st, 2, r->result_code, -1, SQLITE_TRANSIENT);
		db_bind_text_or_null(st, 3, r->result_desc);
		sqlite3_bind_text(st, 4, r->receipt, -1, SQLITE_TRANSIENT);
		if (r->amount >= 0)
			sqlite3_bind_int64(st, 5, r->amount);
		db_bind_text_or_null(st, 6, r->phone);
		db_bind_text_or_null(st, 7, r->tx_date);
		sqlite3_bind_text(st, 8, at, -1, SQLITE_TRANSIENT);
	}
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving an M-PESA result"));

	if (a->payment_id > 0) {
		if ((rc = payment_get(db, a->payment_id, &p, err)) != DUKA_OK)
			return rc;
		if (strcmp(p.state, "pending") == 0 &&
		    payment_code_unused(db, r->receipt, &why) == DUKA_OK) {
			if ((rc = payment_settle_mpesa(db, p.id, r->receipt, 1,
			    NULL, err)) != DUKA_OK)
				return rc;
			applied = 1;
		} else if (strcmp(p.state, "paid") == 0 &&
		    strcmp(p.reference, r->receipt) == 0) {
			if ((rc = payment_mark_verified(db, p.id, NULL, err)) !=
			    DUKA_OK)
				return rc;
			applied = 1;
		} else {
			/* The keyed-in code of the payment that replaced it
			 * may be this very receipt. */
			st = db_stmt(db, "SELECT id FROM payments WHERE "
			    "sale_id = ?1 AND method = 'mpesa' AND state = "
			    "'paid' AND reference = ?2", err);
			if (st == NULL)
				return err->code;
			sqlite3_bind_int64(st, 1, p.sale_id);
			sqlite3_bind_text(st, 2, r->receipt, -1,
			    SQLITE_TRANSIENT);
			rc = sqlite3_step(st);
			int64_t other = rc == SQLITE_ROW ?
			    sqlite3_column_int64(st, 0) : 0;
			db_done(st);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return db_fail(db, err,
				    _("reading the sale's payments"));
			if (other > 0) {
				if ((rc = payment_mark_verified(db, other, NULL,
				    err)) != DUKA_OK)
					return rc;
				applied = 1;
			}
		}
	} else {
		snprintf(key, sizeof key, "%lld", (long long)a->customer_id);
		if ((rc = customer_find(db, key, &c, err)) != DUKA_OK)
			return rc;
		amt = a->due < c.balance ? a->due : c.balance;
		if (amt > 0 && payment_code_unused(db, r->receipt, &why) ==
		    DUKA_OK) {
			/* Money that came in is taken by the till itself,
			 * whoever is logged in (or nobody, in the worker):
			 * it acts as an attendant named "M-PESA" for it. */
			struct actor *was = db_actor(db), me;

			memset(&me, 0, sizeof me);
			me.user_id = -1;
			me.role = ROLE_ATTENDANT;
			snprintf(me.name, sizeof me.name, "M-PESA");
			db_set_actor(db, &me);
			rc = customer_pay(db, c.id, amt, PAY_MPESA, r->receipt,
			    "M-PESA", err);
			db_set_actor(db, was);
			if (rc != DUKA_OK)
				return rc;
			applied = 1;
		}
	}
	if (applied && (rc = db_exec_bound_id(db, "UPDATE mpesa_attempts SET "
	    "applied = 1 WHERE id = ?1", a->id, err)) != DUKA_OK)
		return rc;
	snprintf(detail, sizeof detail, "%s paid, M-PESA %s%s",
	    a->receipt[0] ? a->receipt : a->account_ref, r->receipt,
	    applied ? "" : " NOT APPLIED: double payment, refund or apply by "
	    "hand");
	return audit_add(db, NULL, applied ? "mpesa.paid" : "mpesa.unmatched",
	    "mpesa_attempt", a->id, detail, err);
}

/* Apply a reply of kind RESULT (query or callback) to attempt a, inside
 * the caller's transaction. */
static int
apply_result(struct db *db, const struct mpesa_attempt *a,
    const struct mpesa_reply *r, struct duka_err *err)
{
	struct attempt_update u;
	enum mpesa_state s = mpesa_result_state(r->result_code);
	const struct mpesa_timing *t = mpesa_timing();

	if (a->state == MPESA_PAID || s == MPESA_WAITING)
		return DUKA_OK;		/* a repeat, or nothing new */
	memset(&u, 0, sizeof u);
	u.result_code = r->result_code;
	u.result_desc = r->result_desc;
	if (s == MPESA_PAID && r->receipt[0] != '\0')
		return apply_paid(db, a, r, err);
	/* Paid without a receipt (the query's answer), or a failure: never
	 * over a state that says the money came. */
	if (a->state == MPESA_CONFIRMED ||
	    (mpesa_state_final(a->state) && a->state != MPESA_UNKNOWN))
		return DUKA_OK;
	u.state = s == MPESA_PAID ? MPESA_CONFIRMED : s;
	u.next_at = s == MPESA_PAID ? now_ms() + t->hub_every_ms : -1;
	u.error = s == MPESA_FAILED ? r->result_desc : "";
	return attempt_set(db, a->id, &u, err);
}

int
mpesa_result_apply(struct db *db, const struct mpesa_reply *r,
    struct duka_err *err)
{
	struct mpesa_attempt a;
	int rc;

	if (r->kind != MPESA_R_RESULT || r->checkout_id[0] == '\0')
		return DUKA_OK;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = attempt_read(db, sql_by_checkout, 0, r->checkout_id, &a,
	    err)) != DUKA_OK || (rc = apply_result(db, &a, r, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* ------------------------------------------------------------------ */
/* The client                                                           */

struct mpesa_client {
	struct settings cfg;
	struct http *http;
	char token[256];
	int64_t token_renew_ms;		/* fetch a new one from then on */
	int64_t hub_next_ms;
	char auth_header[300];
	const int *cancel;		/* the worker's stop flag, or NULL */
};

void
mpesa_client_set_cancel(struct mpesa_client *mc, const int *cancel)
{
	mc->cancel = cancel;
}

int
mpesa_client_new(const struct settings *cfg, struct mpesa_client **out,
    struct duka_err *err)
{
	struct mpesa_client *mc;
	int rc;

	*out = NULL;
	if ((rc = mpesa_config_check(cfg, err)) != DUKA_OK)
		return rc;
	if ((mc = calloc(1, sizeof *mc)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	mc->cfg = *cfg;
	if ((rc = http_new(&mc->http, err)) != DUKA_OK) {
		free(mc);
		return rc;
	}
	*out = mc;
	return DUKA_OK;
}

void
mpesa_client_free(struct mpesa_client *mc)
{
	if (mc == NULL)
		return;
	http_free(mc->http);
	sodium_memzero(mc, sizeof *mc);
	free(mc);
}

/* Perform one request to Daraja with the client's timeouts. */
static int
client_do(struct mpesa_client *mc, const char *method, const char *path,
    const char *body, int bearer, struct http_response *res,
    struct duka_err *err)
{
	const char *headers[3];
	struct http_request req;
	char url[700];
	int n = 0;

	snprintf(url, sizeof url, "%s%s", mc->cfg.mpesa_base_url, path);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	if (bearer) {
		snprintf(mc->auth_header, sizeof mc->auth_header,
		    "Authorization: Bearer %s", mc->token);
		headers[n++] = mc->auth_header;
	}
	if (body != NULL)
		headers[n++] = "Content-Type: application/json";
	headers[n] = NULL;
	req.headers = headers;
	req.body = body;
	req.body_len = body != NULL ? strlen(body) : 0;
	if (!bearer) {
		req.basic_user = mc->cfg.mpesa_consumer_key;
		req.basic_password = mc->cfg.mpesa_consumer_secret;
	}
	req.timeout_ms = mc->cfg.mpesa_timeout_s * 1000;
	req.connect_timeout_ms = req.timeout_ms < 5000 ? req.timeout_ms : 5000;
	req.cancel = mc->cancel;
	return http_do(mc->http, &req, res, err);
}

/* Why the token could not be had. */
enum token_trouble { TOKEN_OK, TOKEN_LATER, TOKEN_REFUSED };

/* Have a token that is good for a while; fetch one if not. */
static enum token_trouble
token_ensure(struct mpesa_client *mc, char *why, size_t n)
{
	struct http_response res;
	struct duka_err herr = { 0, "" };
	struct mpesa_reply r;
	int64_t now = now_ms(), life;

	if (mc->token[0] != '\0' && now < mc->token_renew_ms)
		return TOKEN_OK;
	mc->token[0] = '\0';
	memset(&res, 0, sizeof res);
	if (client_do(mc, "GET", "/oauth/v1/generate?grant_type="
	    "client_credentials", NULL, 0, &res, &herr) != DUKA_OK) {
		snprintf(why, n, "%.*s", (int)n - 1, herr.msg);
		http_response_clear(&res);
		return TOKEN_LATER;
	}
	mpesa_reply_parse(MPESA_CALL_TOKEN, res.status, res.body, res.len, &r);
	http_response_clear(&res);
	if (r.kind == MPESA_R_TOKEN) {
		snprintf(mc->token, sizeof mc->token, "%s", r.token);
		/* Renew well before it expires: 5 minutes early, or at 90%
		 * of a short life. */
		life = r.expires_in > 3000 ? (r.expires_in - 300) * 1000 :
		    r.expires_in * 900;
		mc->token_renew_ms = now + life;
		sodium_memzero(&r, sizeof r);
		return TOKEN_OK;
	}
	if (r.kind == MPESA_R_REFUSED && r.status >= 400 && r.status < 500) {
		snprintf(why, n, _("M-PESA refused the consumer key and secret "
		    "(HTTP %ld%s%s): check [mpesa] in duka.conf"), r.status,
		    r.message[0] ? ": " : "", r.message);
		return TOKEN_REFUSED;
	}
	snprintf(why, n, _("M-PESA's sign-in gave no usable answer (HTTP "
	    "%ld): it may be down"), r.status);
	return TOKEN_LATER;
}

/* What became of a push. */
enum push_outcome {
	PUSH_ACCEPTED, PUSH_REQUEUE, PUSH_FAILED, PUSH_TRY_LATER, PUSH_UNKNOWN
};

/* Build the STK Push body for a. */
static char *
push_body(const struct mpesa_client *mc, const struct mpesa_attempt *a)
{
	char ts[MPESA_TIMESTAMP_LEN], pw[512], desc[MPESA_DESC_MAX];
	const struct settings *c = &mc->cfg;
	int till = strcmp(c->mpesa_type, "CustomerBuyGoodsOnline") == 0;
	json_t *o;
	char *s;

	mpesa_timestamp(now_ms() / 1000, ts);
	if (mpesa_password(c->mpesa_short_code, c->mpesa_passkey, ts, pw,
	    sizeof pw) != 0)
		return NULL;
	mpesa_transaction_desc(c->shop_name, desc);
	o = json_pack("{ss ss ss ss sI ss ss ss ss ss ss}",
	    "BusinessShortCode", c->mpesa_short_code, "Password", pw,
	    "Timestamp", ts, "TransactionType", c->mpesa_type,
	    "Amount", (json_int_t)(a->amount / 100), "PartyA", a->phone,
	    "PartyB", till ? c->mpesa_till_number : c->mpesa_short_code,
	    "PhoneNumber", a->phone, "CallBackURL", c->mpesa_callback_url,
	    "AccountReference", a->account_ref, "TransactionDesc", desc);
	sodium_memzero(pw, sizeof pw);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* Send the push of a; the reply (if any) in r, what to say in why. */
static enum push_outcome
push_send(struct mpesa_client *mc, const struct mpesa_attempt *a,
    struct mpesa_reply *r, char *why, size_t n)
{
	struct http_response res;
	struct duka_err herr = { 0, "" };
	enum token_trouble tt;
	int tries, rc;
	char *body;

	memset(r, 0, sizeof *r);
	for (tries = 0; tries < 2; tries++) {
		if ((tt = token_ensure(mc, why, n)) == TOKEN_REFUSED)
			return PUSH_FAILED;
		if (tt != TOKEN_OK) {
			char cause[400];

			snprintf(cause, sizeof cause, "%s", why);
			snprintf(why, n, _("not sent yet (%s): it goes when the "
			    "network is back"), cause);
			return PUSH_REQUEUE;
		}
		if ((body = push_body(mc, a)) == NULL) {
			snprintf(why, n, "%s", _("out of memory"));
			return PUSH_REQUEUE;
		}
		memset(&res, 0, sizeof res);
		rc = client_do(mc, "POST", "/mpesa/stkpush/v1/processrequest",
		    body, 1, &res, &herr);
		/* The password in it gives the passkey away. */
		sodium_memzero(body, strlen(body));
		free(body);
		if (rc != DUKA_OK) {
			int maybe = res.maybe_sent;

			http_response_clear(&res);
			if (!maybe) {
				snprintf(why, n, _("not sent yet (%s): it goes "
				    "when the network is back"), herr.msg);
				return PUSH_REQUEUE;
			}
			snprintf(why, n, _("the prompt may have reached M-PESA "
			    "but no answer came (%s): ask the customer before "
			    "sending another"), herr.msg);
			return PUSH_UNKNOWN;
		}
		mpesa_reply_parse(MPESA_CALL_PUSH, res.status, res.body,
		    res.len, r);
		http_response_clear(&res);
		if (r->kind != MPESA_R_BAD_TOKEN)
			break;
		mc->token[0] = '\0';	/* a fresh one, once */
	}
	switch (r->kind) {
	case MPESA_R_ACCEPTED:
		why[0] = '\0';
		return PUSH_ACCEPTED;
	case MPESA_R_BUSY:
		snprintf(why, n, _("M-PESA is busy (%s): the prompt goes "
		    "again shortly"), r->message);
		return PUSH_REQUEUE;
	case MPESA_R_OUTAGE:
		snprintf(why, n, "%s", _("M-PESA's gateway refused the "
		    "request (HTTP 503): the prompt goes again shortly"));
		return PUSH_REQUEUE;
	case MPESA_R_LOCKED:
		snprintf(why, n, _("another M-PESA prompt is open on this phone "
		    "(%s): wait a minute and send again"), r->message);
		return PUSH_TRY_LATER;
	case MPESA_R_BAD_TOKEN:
		snprintf(why, n, _("M-PESA refused the app's access (%s): is "
		    "M-PESA Express enabled for these keys?"), r->message);
		return PUSH_FAILED;
	case MPESA_R_REFUSED:
		if (strcmp(r->error_code, "500.003.1001") == 0)
			break;		/* internal error: it may have gone */
		snprintf(why, n, _("M-PESA refused the prompt: %s%s%s"),
		    r->message[0] ? r->message : _("no reason given"),
		    r->error_code[0] ? " " : "", r->error_code);
		return PUSH_FAILED;
	default:
		break;
	}
	snprintf(why, n, _("M-PESA's answer to the prompt was unreadable (HTTP "
	    "%ld): it may have been sent; ask the customer before sending "
	    "another"), r->status);
	return PUSH_UNKNOWN;
}

/* Claim queued attempt id for sending; 1 if claimed. */
static int
worker_claim(struct db *db, int64_t id, struct mpesa_attempt *a,
    int64_t deadline, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc, changed;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return -1;
	st = db_stmt(db, "UPDATE mpesa_attempts SET state = 'sending', "
	    "next_at = ?2, sent_ms = ?3 WHERE id = ?1 AND state = 'queued'",
	    err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, deadline);
	sqlite3_bind_int64(st, 3, now_ms());
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, err, _("saving an M-PESA prompt"));
		goto fail;
	}
	changed = sqlite3_changes(db_sqlite(db));
	if (changed && mpesa_attempt_get(db, id, a, err) != DUKA_OK)
		goto fail;
	if (db_commit(db, err) != DUKA_OK)
		return -1;
	return changed;
fail:
	db_rollback(db);
	return -1;
}

/* Does the customer of account prompt a owe less than it asks now? */
static int
account_owes_less(struct db *db, const struct mpesa_attempt *a, char *why,
    size_t n)
{
	char key[24], owes[MONEY_MAX_TEXT];
	struct customer c;

	snprintf(key, sizeof key, "%lld", (long long)a->customer_id);
	if (customer_find(db, key, &c, NULL) != DUKA_OK ||
	    c.balance >= a->amount)
		return 0;
	money_format_ksh(c.balance, owes, sizeof owes);
	snprintf(why, n, _("not sent: %s owes only %s now"), c.name, owes);
	return 1;
}

/* Send queued attempt id and record what became of it. */
static int
worker_send(struct mpesa_client *mc, struct db *db, int64_t id,
    struct duka_err *err)
{
	const struct mpesa_timing *t = mpesa_timing();
	struct attempt_update u;
	struct mpesa_attempt a;
	struct mpesa_reply r;
	enum push_outcome o;
	char why[400];
	int rc;
	int64_t now;

	/* A crash from here on leaves "sending", found later as unknown. */
	rc = worker_claim(db, id, &a, now_ms() + mc->cfg.mpesa_timeout_s *
	    1000 + 2 * t->retry_ms, err);
	if (rc <= 0)
		return rc < 0 ? err->code : DUKA_OK;
	memset(&u, 0, sizeof u);
	u.error = why;
	u.next_at = -1;
	if (a.customer_id > 0 && account_owes_less(db, &a, why, sizeof why)) {
		/* Paid otherwise while the prompt waited for the network. */
		u.state = MPESA_NOT_SENT;
		goto record;
	}
	o = push_send(mc, &a, &r, why, sizeof why);
	now = now_ms();
	switch (o) {
	case PUSH_ACCEPTED:
		u.state = MPESA_WAITING;
		u.checkout_id = r.checkout_id;
		u.merchant_id = r.merchant_id;
		u.next_at = now + t->first_query_ms;
		u.sent_ms = now;
		break;
	case PUSH_REQUEUE:
		u.state = MPESA_QUEUED;
		u.next_at = now + t->retry_ms;
		break;
	case PUSH_FAILED:
		u.state = MPESA_FAILED;
		u.result_desc = r.message[0] ? r.message : NULL;
		break;
	case PUSH_TRY_LATER:
		u.state = MPESA_TRY_LATER;
		break;
	case PUSH_UNKNOWN:
		u.state = MPESA_UNKNOWN;
		break;
	}
record:
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = attempt_set(db, a.id, &u, err)) != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* Ask Daraja how attempt a went, and record it. */
static int
worker_query(struct mpesa_client *mc, struct db *db,
    const struct mpesa_attempt *a0, int64_t sent_ms, struct duka_err *err)
{
	const struct mpesa_timing *t = mpesa_timing();
	char ts[MPESA_TIMESTAMP_LEN], pw[512], why[400] = "";
	struct duka_err herr = { 0, "" };
	struct http_response res;
	struct attempt_update u;
	struct mpesa_attempt a;
	struct mpesa_reply r;
	int64_t every = t->query_every_ms, now;
	json_t *o;
	char *body;
	int tries, rc;

	memset(&r, 0, sizeof r);
	r.kind = MPESA_R_GARBLED;
	for (tries = 0; tries < 2; tries++) {
		if (token_ensure(mc, why, sizeof why) != TOKEN_OK)
			break;
		mpesa_timestamp(now_ms() / 1000, ts);
		if (mpesa_password(mc->cfg.mpesa_short_code,
		    mc->cfg.mpesa_passkey, ts, pw, sizeof pw) != 0)
			break;
		o = json_pack("{ss ss ss ss}", "BusinessShortCode",
		    mc->cfg.mpesa_short_code, "Password", pw, "Timestamp", ts,
		    "CheckoutRequestID", a0->checkout_id);
		sodium_memzero(pw, sizeof pw);
		body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (body == NULL)
			break;
		memset(&res, 0, sizeof res);
		rc = client_do(mc, "POST", "/mpesa/stkpushquery/v1/query", body,
		    1, &res, &herr);
		sodium_memzero(body, strlen(body));
		free(body);
		if (rc != DUKA_OK) {
			snprintf(why, sizeof why, "%.*s", (int)sizeof why - 1,
			    herr.msg);
			http_response_clear(&res);
			r.kind = MPESA_R_GARBLED;
			break;
		}
		mpesa_reply_parse(MPESA_CALL_QUERY, res.status, res.body,
		    res.len, &r);
		http_response_clear(&res);
		if (r.kind != MPESA_R_BAD_TOKEN)
			break;
		mc->token[0] = '\0';
	}
	if (r.kind == MPESA_R_BUSY)
		every *= 2;
	if (why[0] == '\0' && r.kind != MPESA_R_RESULT &&
	    r.kind != MPESA_R_PENDING)
		snprintf(why, sizeof why, _("M-PESA's answer to the query "
		    "was not usable (HTTP %ld%s%s): asking again"), r.status,
		    r.message[0] ? ": " : "", r.message);

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	if ((rc = mpesa_attempt_get(db, a0->id, &a, err)) != DUKA_OK)
		goto fail;
	if (a.state != MPESA_WAITING) {
		db_rollback(db);	/* settled meanwhile (the hub) */
		return DUKA_OK;
	}
	if (r.kind == MPESA_R_RESULT &&
	    mpesa_result_state(r.result_code) != MPESA_WAITING) {
		if ((rc = apply_result(db, &a, &r, err)) != DUKA_OK)
			goto fail;
		if ((rc = db_exec_bound_id(db, "UPDATE mpesa_attempts SET "
		    "queries = queries + 1 WHERE id = ?1", a.id, err)) !=
		    DUKA_OK)
			goto fail;
		return db_commit(db, err);
	}
	now = now_ms();
	memset(&u, 0, sizeof u);
	u.state = MPESA_WAITING;
	u.count_query = 1;
	u.error = why;
	u.next_at = now + every;
	if (now - sent_ms >= t->give_up_ms) {
		u.state = MPESA_UNKNOWN;
		u.next_at = -1;
		snprintf(why, sizeof why, _("no final answer from M-PESA after "
		    "%lld seconds: ask the customer (a late result is still "
		    "recorded)"), (long long)(t->give_up_ms / 1000));
	}
	if ((rc = attempt_set(db, a.id, &u, err)) != DUKA_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* Ids (and sent_ms) of attempts in state whose next_at is due. */
static int
worker_due(struct db *db, const char *state, int64_t now, int64_t *ids,
    int64_t *sent, int max, int *n, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	st = db_stmt(db, "SELECT id, coalesce(sent_ms, 0) FROM mpesa_attempts "
	    "WHERE state = ?1 AND next_at <= ?2 ORDER BY next_at LIMIT ?3", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		ids[*n] = sqlite3_column_int64(st, 0);
		sent[*n] = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	db_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(db, err, _("reading M-PESA prompts"));
}

/* Attempts left "sending" past their deadline (a process died while
 * sending) become unknown; sale prompts queued for too long are dropped. */
static int
worker_tidy(struct db *db, int64_t now, struct duka_err *err)
{
	sqlite3_stmt *st;
	char at[TIMESTAMP_LEN];
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	date_now_timestamp(at);
	st = db_stmt(db, "UPDATE mpesa_attempts SET state = 'unknown', "
	    "next_at = NULL, updated_at = ?2, last_error = ?3 WHERE "
	    "state = 'sending' AND next_at <= ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, _("the till stopped while the prompt was "
	    "being sent: ask the customer before sending another"), -1,
	    SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto dbfail;
	st = db_stmt(db, "UPDATE mpesa_attempts SET state = 'not_sent', "
	    "next_at = NULL, updated_at = ?2, last_error = ?3 WHERE "
	    "state = 'queued' AND payment_id IS NOT NULL AND queued_ms <= ?1",
	    err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, now - mpesa_timing()->queue_max_ms);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, _("not sent: the network was down for too "
	    "long; the customer has likely gone"), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		goto dbfail;
	return db_commit(db, err);
dbfail:
	db_fail(db, err, _("saving M-PESA prompts"));
fail:
	db_rollback(db);
	return err->code;
}

/* A Daraja callback rebuilt from the flat fields of a hub result (for a
 * hub that does not pass the callback itself on). */
static json_t *
hub_flat_callback(json_t *it)
{
	static const char *const names[] = { "Amount", "MpesaReceiptNumber",
	    "TransactionDate", "PhoneNumber" };
	json_t *items = json_array(), *v;
	size_t k;

	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		if ((v = json_object_get(it, names[k])) != NULL)
			json_array_append_new(items, json_pack("{ss sO}",
			    "Name", names[k], "Value", v));
	return json_pack("{s{s{sO sO sO sO s{so}}}}", "Body", "stkCallback",
	    "CheckoutRequestID", json_object_get(it, "CheckoutRequestID"),
	    "MerchantRequestID", json_object_get(it, "MerchantRequestID") ?
	    json_object_get(it, "MerchantRequestID") : json_null(),
	    "ResultCode", json_object_get(it, "ResultCode") ?
	    json_object_get(it, "ResultCode") : json_null(),
	    "ResultDesc", json_object_get(it, "ResultDesc") ?
	    json_object_get(it, "ResultDesc") : json_null(),
	    "CallbackMetadata", "Item", items);
}

/* One result from the hub and the attempt it belongs to. */
struct hub_result {
	int64_t attempt_id;
	struct mpesa_reply r;
};

static int
hub_result_cmp(const void *a, const void *b)
{
	const struct hub_result *x = a, *y = b;

	return (x->attempt_id > y->attempt_id) - (x->attempt_id < y->attempt_id);
}

/* Read a hub result: Daraja's callback as the hub received it, bare or
 * under "callback" (or "payload", or rebuilt from its flat fields). */
static int
hub_result_read(json_t *it, struct mpesa_reply *r)
{
	json_t *cb, *flat = NULL;
	char *text;

	cb = json_object_get(it, "Body") != NULL ? it :
	    json_object_get(it, "callback");
	if (cb == NULL)
		cb = json_object_get(it, "payload");
	if (cb == NULL && json_is_string(json_object_get(it,
	    "CheckoutRequestID")))
		cb = flat = hub_flat_callback(it);
	if (json_is_string(cb))
		text = strdup(json_string_value(cb));
	else
		text = cb != NULL ? json_dumps(cb, JSON_COMPACT) : NULL;
	json_decref(flat);
	if (text == NULL)
		return 0;
	mpesa_reply_parse(MPESA_CALL_CALLBACK, 200, text, strlen(text), r);
	free(text);
	return r->kind == MPESA_R_RESULT;
}

size_t
mpesa_hub_results_parse(const char *body, size_t len,
    struct mpesa_reply **out)
{
	json_t *root, *list, *it;
	size_t i, n = 0, cap;

	*out = NULL;
	root = body != NULL && len > 0 ? json_loadb(body, len, 0, NULL) : NULL;
	list = json_is_array(root) ? root : json_object_get(root, "results");
	cap = json_array_size(list);
	if (cap > 0 && (*out = calloc(cap, sizeof **out)) != NULL)
		json_array_foreach(list, i, it)
			if (hub_result_read(it, &(*out)[n]))
				n++;
	json_decref(root);
	if (n == 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/*
 * Apply the n results of r in the order the prompts were made, so that of
 * two paid prompts for one payment the older one settles it and the newer
 * one is the double payment. Results for no prompt of this till are left
 * alone.
 */
static int
hub_apply_all(struct db *db, const struct mpesa_reply *r, size_t n,
    struct duka_err *err)
{
	struct hub_result *res;
	struct mpesa_attempt a;
	size_t i, k = 0;
	int rc = DUKA_OK;

	if (n == 0)
		return DUKA_OK;
	if ((res = calloc(n, sizeof *res)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	for (i = 0; i < n; i++) {
		rc = attempt_read(db, sql_by_checkout, 0, r[i].checkout_id, &a,
		    err);
		if (rc == DUKA_ENOTFOUND) {
			rc = DUKA_OK;	/* another till's */
			continue;
		}
		if (rc != DUKA_OK)
			goto out;
		res[k].r = r[i];
		res[k++].attempt_id = a.id;
	}
	qsort(res, k, sizeof *res, hub_result_cmp);
	for (i = 0; i < k && rc == DUKA_OK; i++)
		rc = mpesa_result_apply(db, &res[i].r, err);
out:
	free(res);
	return rc;
}

/* Fetch the results the hub relayed for attempts that wait for one. */
static int
worker_hub(struct mpesa_client *mc, struct db *db, int64_t now,
    struct duka_err *err)
{
	const struct mpesa_timing *t = mpesa_timing();
	char url[700 + HUB_IDS_MAX * (MPESA_ID_MAX + 1)], auth[200];
	struct duka_err herr = { 0, "" };
	const char *headers[2];
	struct http_request req;
	struct http_response res;
	struct mpesa_reply *results = NULL;
	sqlite3_stmt *st;
	size_t len;
	int rc, n = 0;

	if (mc->cfg.hub_url[0] == '\0' || now < mc->hub_next_ms)
		return DUKA_OK;
	mc->hub_next_ms = now + t->hub_every_ms;
	len = (size_t)snprintf(url, sizeof url, "%s/v1/mpesa/results?ids=",
	    mc->cfg.hub_url);
	st = db_stmt(db, "SELECT checkout_request_id FROM mpesa_attempts "
	    "WHERE checkout_request_id IS NOT NULL AND (state IN ('waiting', "
	    "'confirmed') OR (state = 'unknown' AND sent_ms >= ?1)) "
	    "ORDER BY id DESC LIMIT ?2", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, now - 100 * t->give_up_ms);
	sqlite3_bind_int(st, 2, HUB_IDS_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		size_t k;

		/* Ids are letters, digits, '_' and '-'; others are skipped
		 * rather than escaped. */
		for (k = 0; id[k] != '\0'; k++)
			if (!isalnum((unsigned char)id[k]) && id[k] != '_' &&
			    id[k] != '-')
				break;
		if (id[k] != '\0' || len + k + 2 >= sizeof url)
			continue;
		len += (size_t)snprintf(url + len, sizeof url - len, "%s%s",
		    n ? "," : "", id);
		n++;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading M-PESA prompts"));
	if (n == 0)
		return DUKA_OK;
	snprintf(auth, sizeof auth, "Authorization: Bearer %s",
	    mc->cfg.hub_token);
	headers[0] = auth;
	headers[1] = NULL;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = url;
	req.headers = headers;
	req.timeout_ms = mc->cfg.hub_timeout_s * 1000;
	req.cancel = mc->cancel;
	memset(&res, 0, sizeof res);
	if (http_do(mc->http, &req, &res, &herr) != DUKA_OK ||
	    res.status != 200) {
		http_response_clear(&res);
		return DUKA_OK;		/* the hub is away: ask later */
	}
	n = (int)mpesa_hub_results_parse(res.body, res.len, &results);
	http_response_clear(&res);
	rc = hub_apply_all(db, results, (size_t)n, err);
	free(results);
	return rc;
}

int
mpesa_worker_step(struct mpesa_client *mc, struct db *db, int64_t *next_ms,
    struct duka_err *err)
{
	int64_t ids[STEP_MAX], sent[STEP_MAX], now = now_ms(), next = -1;
	sqlite3_stmt *st;
	int i, n, rc;

	*next_ms = -1;
	if ((rc = worker_tidy(db, now, err)) != DUKA_OK)
		return rc;
	if ((rc = worker_due(db, "queued", now, ids, sent, STEP_MAX, &n,
	    err)) != DUKA_OK)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = worker_send(mc, db, ids[i], err)) != DUKA_OK)
			return rc;
	if ((rc = worker_hub(mc, db, now_ms(), err)) != DUKA_OK)
		return rc;
	now = now_ms();
	if ((rc = worker_due(db, "waiting", now, ids, sent, STEP_MAX, &n,
	    err)) != DUKA_OK)
		return rc;
	for (i = 0; i < n; i++) {
		struct mpesa_attempt a;

		if ((rc = mpesa_attempt_get(db, ids[i], &a, err)) != DUKA_OK ||
		    (rc = worker_query(mc, db, &a, sent[i], err)) != DUKA_OK)
			return rc;
	}
	/* Confirmed attempts wait for their receipt from the hub alone, for
	 * a while, at the hub's rhythm; without a hub there is nothing to
	 * wait for (the attendant keys in the code). */
	st = db_stmt(db, "UPDATE mpesa_attempts SET next_at = CASE WHEN "
	    "?1 > 0 AND sent_ms >= ?2 THEN ?1 ELSE NULL END WHERE "
	    "state = 'confirmed' AND next_at IS NOT NULL", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_int64(st, 1, mc->cfg.hub_url[0] != '\0' ?
	    mc->hub_next_ms : 0);
	sqlite3_bind_int64(st, 2, now_ms() - 2 * mpesa_timing()->give_up_ms);
	rc = sqlite3_step(st);
	db_done(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving M-PESA prompts"));
	st = db_stmt(db, "SELECT min(next_at) FROM mpesa_attempts WHERE "
	    "state IN ('queued', 'sending', 'waiting', 'confirmed') AND "
	    "next_at IS NOT NULL", err);
	if (st == NULL)
		return err->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		next = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading M-PESA prompts"));
	if (next >= 0) {
		now = now_ms();
		*next_ms = next > now ? next - now : 0;
	}
	return DUKA_OK;
}

/* ------------------------------------------------------------------ */
/* Reconciliation                                                       */

int
mpesa_reconcile(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct mpesa_recon_row *r), void *ctx,
    struct duka_err *err)
{
	struct mpesa_recon_row row;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db,
	    "SELECT a.created_at, s.till_id, s.receipt_no, c.name, "
	    "a.mpesa_receipt, coalesce(a.paid_amount, a.amount), a.phone, "
	    "a.state, a.applied, a.id, a.abandoned, "
	    "(SELECT count(*) FROM mpesa_attempts b WHERE b.state = 'paid' AND "
	    "b.payment_id = a.payment_id AND b.id <> a.id) AS others, "
	    "0, 1 "
	    "FROM mpesa_attempts a LEFT JOIN payments p ON p.id = a.payment_id "
	    "LEFT JOIN sales s ON s.id = p.sale_id "
	    "LEFT JOIN customers c ON c.id = a.customer_id "
	    "WHERE coalesce(s.business_day, substr(a.created_at, 1, 10)) "
	    "BETWEEN ?1 AND ?2 "
	    "UNION ALL "
	    "SELECT p.created_at, s.till_id, s.receipt_no, NULL, p.reference, "
	    "p.amount, p.phone, 'keyed', 1, 0, 0, 0, s.business_day, "
	    "p.verified FROM payments p JOIN sales s ON s.id = p.sale_id "
	    "WHERE p.method = 'mpesa' AND p.state = 'paid' AND NOT EXISTS "
	    "(SELECT 1 FROM mpesa_attempts a WHERE a.mpesa_receipt = "
	    "p.reference AND a.applied = 1) AND s.business_day BETWEEN ?1 AND ?2 "
	    "ORDER BY 1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, from != NULL && *from ? from : "0000-00-00",
	    -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to != NULL && *to ? to : "9999-12-31", -1,
	    SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state;
		int applied = sqlite3_column_int(st, 8);
		int others = sqlite3_column_int(st, 11);

		memset(&row, 0, sizeof row);
		db_column_copy(st, 0, row.at, sizeof row.at);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			sale_receipt_text((const char *)sqlite3_column_text(st,
			    1), sqlite3_column_int64(st, 2), row.receipt);
		db_column_copy(st, 3, row.customer, sizeof row.customer);
		db_column_copy(st, 4, row.mpesa_receipt, sizeof row.mpesa_receipt);
		row.amount = sqlite3_column_int64(st, 5);
		db_column_copy(st, 6, row.phone, sizeof row.phone);
		db_column_copy(st, 7, row.state, sizeof row.state);
		row.attempt_id = sqlite3_column_int64(st, 9);
		row.verified = sqlite3_column_int(st, 13);
		state = row.state;
		if (strcmp(state, "keyed") == 0)
			row.flag = row.verified ? NULL :
			    _("keyed in, not confirmed by M-PESA");
		else if (strcmp(state, "paid") == 0 && !applied)
			row.flag = row.customer[0] ? _("paid but not applied: "
			    "refund or apply by hand") : _("double payment: "
			    "refund this one");
		else if (strcmp(state, "paid") == 0 && others > 0)
			row.flag = _("double payment: another prompt paid too");
		else if (strcmp(state, "unknown") == 0)
			row.flag = _("outcome unknown: check the M-PESA "
			    "statement");
		else if (strcmp(state, "confirmed") == 0)
			row.flag = _("paid, receipt number missing: key in the "
			    "code");
		else if (strcmp(state, "failed") == 0)
			row.flag = _("failed: needs review");
		if (fn(ctx, &row) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading M-PESA payments"));
}

/* ------------------------------------------------------------------ */
/* duka check                                                           */

int
mpesa_check(struct db *db, struct check_report *r, struct duka_err *err)
{
	static const char *const sqls[] = {
		/* A prompt that settled its sale's payment: that payment (or
		 * the one that replaced it) is paid with its receipt. */
		"SELECT a.id, a.mpesa_receipt FROM mpesa_attempts a WHERE "
		    "a.applied = 1 AND a.payment_id IS NOT NULL AND NOT EXISTS "
		    "(SELECT 1 FROM payments p JOIN payments q ON q.sale_id = "
		    "p.sale_id WHERE p.id = a.payment_id AND q.state = 'paid' "
		    "AND q.reference = a.mpesa_receipt AND q.verified = 1)",
		/* Daraja's word is the only way to "verified" by M-PESA. */
		"SELECT p.id, p.reference FROM payments p WHERE p.method = "
		    "'mpesa' AND p.state = 'paid' AND p.verified = 1 AND NOT "
		    "EXISTS (SELECT 1 FROM mpesa_attempts a WHERE "
		    "a.mpesa_receipt = p.reference AND a.state = 'paid')",
	};
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
		if ((st = db_stmt(db, sqls[i], err)) == NULL)
			return err->code;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *ref = (const char *)sqlite3_column_text(st,
			    1);
			long long id = (long long)sqlite3_column_int64(st, 0);

			if (ref == NULL)
				ref = "";
			if (i == 0)
				check_problem(r, "mpesa", _("prompt %lld is "
				    "applied but no payment is paid with its "
				    "receipt %s"), id, ref);
			else
				check_problem(r, "mpesa", _("payment %lld is "
				    "marked confirmed by M-PESA but no prompt "
				    "has its receipt %s"), id, ref);
		}
		db_done(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, _("checking M-PESA payments"));
	}
	return DUKA_OK;
}
