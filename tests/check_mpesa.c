/*
 * check_mpesa.c - unit tests for mpesa.c and payment.c: Daraja's password
 * and time stamp, phone numbers good and bad, ResultCode mapping,
 * expires_in as a number or a string, rounding to whole shillings,
 * AccountReference and TransactionDesc limits, every kind of reply
 * (error bodies, HTML, cut-short JSON, callbacks), and through the
 * database: queueing prompts, results applied once, never "paid" without a
 * receipt, switching tender, double payments in the reconciliation and
 * prompts towards a customer's account.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "catalog.h"
#include "customer.h"
#include "date.h"
#include "db.h"
#include "mpesa.h"
#include "payment.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "testutil.h"
#include "user.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define TILL "T1"
#define PASSKEY "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1e" \
	"d2c919"

/* ---------------------------------------------------------------- */

START_TEST(test_timestamp_nairobi)
{
	char ts[MPESA_TIMESTAMP_LEN];

	/* 06:24:08 UTC is 09:24:08 in Nairobi (the portal's example). */
	mpesa_timestamp(1624861448, ts);
	ck_assert_str_eq(ts, "20210628092408");
	/* 22:30 UTC on the 31st is the next day, and year, in Nairobi. */
	mpesa_timestamp(1767220200, ts);
	ck_assert_str_eq(ts, "20260101013000");
	ck_assert_int_eq((int)strlen(ts), 14);
}
END_TEST

START_TEST(test_password)
{
	char pw[256];

	ck_assert_int_eq(mpesa_password("174379", PASSKEY, "20210628092408",
	    pw, sizeof pw), 0);
	ck_assert_str_eq(pw, "MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3"
	    "Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGExZWQyYzkxOTIwMjEwNjI4MDkyNDA4");
	/* A buffer too small is refused, not overrun. */
	ck_assert_int_eq(mpesa_password("174379", PASSKEY, "20210628092408",
	    pw, 20), -1);
}
END_TEST

static const struct {
	const char *in, *out;
} phones_good[] = {
	{ "0712345678", "254712345678" },
	{ "0112345678", "254112345678" },
	{ "+254712345678", "254712345678" },
	{ "254712345678", "254712345678" },
	{ "254112345678", "254112345678" },
	{ " 0712 345 678", "254712345678" },
	{ "+254 712-345-678", "254712345678" },
};

static const char *const phones_bad[] = {
	"", "0812345678", "071234567", "07123456789", "+0712345678",
	"255712345678", "2547123456789", "712345678", "07123A5678",
	"++254712345678", "0712345678x", "254812345678", "0012345678",
};

START_TEST(test_phone_good)
{
	char out[MPESA_PHONE_LEN];
	struct duka_err err = { 0, "" };

	ck_assert_msg(mpesa_phone_normalise(phones_good[_i].in, out, &err) ==
	    DUKA_OK, "%s: %s", phones_good[_i].in, err.msg);
	ck_assert_str_eq(out, phones_good[_i].out);
}
END_TEST

START_TEST(test_phone_bad)
{
	char out[MPESA_PHONE_LEN] = "unchanged";
	struct duka_err err = { 0, "" };

	ck_assert_int_eq(mpesa_phone_normalise(phones_bad[_i], out, &err),
	    DUKA_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "0712345678"));
	ck_assert_str_eq(out, "unchanged");
}
END_TEST

START_TEST(test_result_codes)
{
	static const struct {
		const char *code;
		enum mpesa_state s;
	} map[] = {
		{ "0", MPESA_PAID }, { "1032", MPESA_CANCELLED },
		{ "1037", MPESA_TIMED_OUT }, { "1019", MPESA_TIMED_OUT },
		{ "1", MPESA_INSUFFICIENT }, { "2001", MPESA_WRONG_PIN },
		{ "17", MPESA_TRY_LATER }, { "1001", MPESA_TRY_LATER },
		{ "4999", MPESA_WAITING }, { "2028", MPESA_FAILED },
		{ "SFC_IC0003", MPESA_FAILED }, { "E3008", MPESA_FAILED },
		{ "00", MPESA_FAILED }, { "", MPESA_FAILED },
		{ " 0", MPESA_FAILED }, { "1032 ", MPESA_FAILED },
	};
	int i;

	for (i = 0; i < NELEM(map); i++)
		ck_assert_msg(mpesa_result_state(map[i].code) == map[i].s,
		    "code \"%s\"", map[i].code);
	ck_assert_int_eq(mpesa_result_state(NULL), MPESA_FAILED);
	for (i = 0; i < MPESA_STATES; i++) {
		ck_assert_int_eq(mpesa_state_parse(mpesa_state_name(
		    (enum mpesa_state)i)), i);
		ck_assert_ptr_nonnull(mpesa_state_label((enum mpesa_state)i));
	}
	ck_assert_int_eq(mpesa_state_parse("bogus"), -1);
	ck_assert(!mpesa_state_final(MPESA_WAITING));
	ck_assert(!mpesa_state_final(MPESA_CONFIRMED));
	ck_assert(mpesa_state_final(MPESA_UNKNOWN));
	ck_assert(mpesa_state_final(MPESA_PAID));
}
END_TEST

START_TEST(test_amount_round)
{
	struct duka_err err = { 0, "" };
	int64_t out = -7;

	ck_assert_int_eq(mpesa_amount_round(9950, &out, &err), DUKA_OK);
	ck_assert_int_eq(out, 10000);
	ck_assert_int_eq(mpesa_amount_round(10000, &out, &err), DUKA_OK);
	ck_assert_int_eq(out, 10000);
	ck_assert_int_eq(mpesa_amount_round(10001, &out, &err), DUKA_OK);
	ck_assert_int_eq(out, 10100);
	ck_assert_int_eq(mpesa_amount_round(1, &out, &err), DUKA_OK);
	ck_assert_int_eq(out, 100);
	ck_assert_int_eq(mpesa_amount_round(MPESA_AMOUNT_MAX, &out, &err),
	    DUKA_OK);
	ck_assert_int_eq(out, MPESA_AMOUNT_MAX);
	out = -7;
	ck_assert_int_eq(mpesa_amount_round(MPESA_AMOUNT_MAX + 1, &out, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(mpesa_amount_round(INT64_MAX, &out, &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(mpesa_amount_round(0, &out, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_amount_round(-100, &out, &err), DUKA_EINPUT);
	ck_assert_int_eq(out, -7);
}
END_TEST

START_TEST(test_reference_and_desc)
{
	char ref[MPESA_REF_MAX], desc[MPESA_DESC_MAX];

	mpesa_account_ref("T1-000123", ref);
	ck_assert_str_eq(ref, "T1000123");
	mpesa_account_ref("shop-till-2-000123", ref);
	ck_assert_str_eq(ref, "PTILL2000123");
	ck_assert_int_le((int)strlen(ref), 12);
	mpesa_account_ref("--", ref);
	ck_assert_str_eq(ref, "DUKA");
	mpesa_transaction_desc("Duka la Mama Njeri", desc);
	ck_assert_str_eq(desc, "Duka la Mama");
	mpesa_transaction_desc("Caf\xc3\xa9   Tamu!", desc);
	ck_assert_str_eq(desc, "Caf Tamu");
	mpesa_transaction_desc("", desc);
	ck_assert_str_eq(desc, "Payment");
	mpesa_transaction_desc("ABCDEFGHIJKLMNOPQRSTUVWXYZ", desc);
	ck_assert_str_eq(desc, "ABCDEFGHIJKLM");
}
END_TEST

/* Parse a literal reply. */
static void
parse(enum mpesa_call call, long status, const char *body,
    struct mpesa_reply *r)
{
	mpesa_reply_parse(call, status, body, body != NULL ? strlen(body) : 0,
	    r);
}

START_TEST(test_token_replies)
{
	struct mpesa_reply r;

	parse(MPESA_CALL_TOKEN, 200, "{\"access_token\": \"abcdefghij"
	    "klmnopqrstuvwxyz12\", \"expires_in\": \"3599\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_TOKEN);
	ck_assert_int_eq(r.expires_in, 3599);
	ck_assert_str_eq(r.token, "abcdefghijklmnopqrstuvwxyz12");
	parse(MPESA_CALL_TOKEN, 200, "{\"access_token\": \"x\", "
	    "\"expires_in\": 3599}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_TOKEN);
	ck_assert_int_eq(r.expires_in, 3599);
	parse(MPESA_CALL_TOKEN, 200, "{\"access_token\": \"x\", "
	    "\"expires_in\": \"soon\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_TOKEN, 200, "{\"access_token\": \"x\", "
	    "\"expires_in\": -5}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_TOKEN, 200, "{\"expires_in\": \"3599\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_TOKEN, 400, "", &r);
	ck_assert_int_eq(r.kind, MPESA_R_REFUSED);
	parse(MPESA_CALL_TOKEN, 400, "{\"requestId\": \"1\", \"errorCode\": "
	    "\"400.008.02\", \"errorMessage\": \"Invalid grant type passed\"}",
	    &r);
	ck_assert_int_eq(r.kind, MPESA_R_REFUSED);
	ck_assert_str_eq(r.error_code, "400.008.02");
	parse(MPESA_CALL_TOKEN, 200, "<!DOCTYPE html><html><head><title>Apigee "
	    "SPA Proxy</title>", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
}
END_TEST

START_TEST(test_push_replies)
{
	static const struct {
		long status;
		const char *body;
		enum mpesa_reply_kind kind;
	} cases[] = {
		{ 200, "{\"MerchantRequestID\": \"29115-34620561-1\", "
		    "\"CheckoutRequestID\": \"ws_CO_191220191020363925\", "
		    "\"ResponseCode\": \"0\", \"ResponseDescription\": "
		    "\"Success. Request accepted for processing\", "
		    "\"CustomerMessage\": \"Success\"}", MPESA_R_ACCEPTED },
		{ 200, "{\"ResponseCode\": \"1\", \"ResponseDescription\": "
		    "\"Rejected\"}", MPESA_R_REFUSED },
		{ 200, "{\"ResponseCode\": \"0\"}", MPESA_R_GARBLED },
		{ 400, "{\"requestId\": \"1\", \"errorCode\": \"400.002.02\", "
		    "\"errorMessage\": \"Bad Request - Invalid PhoneNumber\"}",
		    MPESA_R_REFUSED },
		{ 404, "{\"requestId\": \"1\", \"errorCode\": \"404.001.03\", "
		    "\"errorMessage\": \"Invalid Access Token\"}",
		    MPESA_R_BAD_TOKEN },
		{ 401, "{\"requestId\": \"1\", \"errorCode\": \"401.002.01\", "
		    "\"errorMessage\": \"Error Occurred - Invalid Access Token - "
		    "XXX\"}", MPESA_R_BAD_TOKEN },
		{ 500, "{\"requestId\": \"1\", \"errorCode\": \"500.001.1001\", "
		    "\"errorMessage\": \"Wrong credentials\"}", MPESA_R_REFUSED },
		{ 500, "{\"requestId\": \"1\", \"errorCode\": \"500.001.1001\", "
		    "\"errorMessage\": \"Merchant does not exist\"}",
		    MPESA_R_REFUSED },
		{ 500, "{\"requestId\": \"1\", \"errorCode\": \"500.001.1001\", "
		    "\"errorMessage\": \"Unable to lock subscriber, a transaction "
		    "is already in process for the current subscriber\"}",
		    MPESA_R_LOCKED },
		{ 500, "{\"requestId\": \"1\", \"errorCode\": \"500.003.02\", "
		    "\"errorMessage\": \"Error Occurred: Spike Arrest "
		    "Violation\"}", MPESA_R_BUSY },
		{ 500, "{\"requestId\": \"1\", \"errorCode\": \"500.003.03\", "
		    "\"errorMessage\": \"Quota Violation\"}", MPESA_R_BUSY },
		{ 503, "<html><head><title>Request unsuccessful</title></head>"
		    "<body>Request unsuccessful. Incapsula incident ID: 1-2"
		    "</body></html>", MPESA_R_OUTAGE },
		{ 200, "<html><body>Apigee SPA Proxy</body></html>",
		    MPESA_R_GARBLED },
		{ 200, "{\"MerchantRequestID\": \"29115-34620561-1\", "
		    "\"CheckoutRequestID\": \"ws_CO_1912", MPESA_R_GARBLED },
		{ 200, "", MPESA_R_GARBLED },
		{ 502, NULL, MPESA_R_GARBLED },
		{ 200, "[1, 2]", MPESA_R_GARBLED },
		{ 200, "{\"ResponseCode\": \"0\", \"ResponseCode\": \"0\", "
		    "\"CheckoutRequestID\": \"x\"}", MPESA_R_GARBLED },
	};
	struct mpesa_reply r;
	int i;

	for (i = 0; i < NELEM(cases); i++) {
		parse(MPESA_CALL_PUSH, cases[i].status, cases[i].body, &r);
		ck_assert_msg(r.kind == cases[i].kind, "case %d: kind %d", i,
		    r.kind);
	}
	parse(MPESA_CALL_PUSH, 200, cases[0].body, &r);
	ck_assert_str_eq(r.checkout_id, "ws_CO_191220191020363925");
	ck_assert_str_eq(r.merchant_id, "29115-34620561-1");
	parse(MPESA_CALL_PUSH, 400, cases[3].body, &r);
	ck_assert_str_eq(r.message, "Bad Request - Invalid PhoneNumber");
}
END_TEST

START_TEST(test_query_replies)
{
	struct mpesa_reply r;

	parse(MPESA_CALL_QUERY, 500, "{\"requestId\": \"ws_CO_1\", "
	    "\"errorCode\": \"500.001.1001\", \"errorMessage\": \"The "
	    "transaction is being processed\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_PENDING);
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": \"4999\", \"ResultDesc\": "
	    "\"The transaction is still under processing\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_PENDING);
	parse(MPESA_CALL_QUERY, 500, "{\"requestId\": \"x\", \"errorCode\": "
	    "\"500.001.1001\", \"errorMessage\": \"The transaction does not "
	    "Exist\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_PENDING);
	parse(MPESA_CALL_QUERY, 200, "{\"ResponseCode\": \"0\", "
	    "\"ResponseDescription\": \"The service request has been accepted "
	    "successsfully\", \"MerchantRequestID\": \"22205-34066-1\", "
	    "\"CheckoutRequestID\": \"ws_CO_13012021093521236557\", "
	    "\"ResultCode\": \"1032\", \"ResultDesc\": \"Request cancelled by "
	    "user\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_str_eq(r.result_code, "1032");
	ck_assert_str_eq(r.checkout_id, "ws_CO_13012021093521236557");
	/* A number where a string was expected is read the same. */
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": 0, \"ResultDesc\": "
	    "\"ok\", \"CheckoutRequestID\": \"ws_CO_1\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_str_eq(r.result_code, "0");
	ck_assert_str_eq(r.receipt, "");	/* the query gives none */
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": \"SFC_IC0003\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_str_eq(r.result_code, "SFC_IC0003");
	parse(MPESA_CALL_QUERY, 500, "{\"requestId\": \"x\", \"errorCode\": "
	    "\"500.003.02\", \"errorMessage\": \"System is busy. Please try "
	    "again in few minutes.\"}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_BUSY);
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": \"0\", \"Resu", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": true}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_QUERY, 200, "{\"ResultCode\": "
	    "\"12345678901234567890\"}", &r);
	ck_assert_int_ne(r.kind, MPESA_R_RESULT);
}
END_TEST

static const char callback_paid[] =
    "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"29115-34620561-1\","
    " \"CheckoutRequestID\": \"ws_CO_191220191020363925\", \"ResultCode\": 0,"
    " \"ResultDesc\": \"The service request is processed successfully.\","
    " \"CallbackMetadata\": {\"Item\": ["
    "{\"Name\": \"PhoneNumber\", \"Value\": 254708374149},"
    "{\"Name\": \"Balance\"},"
    "{\"Name\": \"Amount\", \"Value\": 1.00},"
    "{\"Name\": \"TransactionDate\", \"Value\": 20191219102115},"
    "{\"Name\": \"MpesaReceiptNumber\", \"Value\": \"NLJ7RT61SV\"}]}}}}";

START_TEST(test_callbacks)
{
	struct mpesa_reply r;

	parse(MPESA_CALL_CALLBACK, 200, callback_paid, &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_str_eq(r.result_code, "0");
	ck_assert_str_eq(r.receipt, "NLJ7RT61SV");
	ck_assert_int_eq(r.amount, 100);
	ck_assert_str_eq(r.phone, "254708374149");
	ck_assert_str_eq(r.tx_date, "20191219102115");
	ck_assert_str_eq(r.checkout_id, "ws_CO_191220191020363925");

	parse(MPESA_CALL_CALLBACK, 200, "{\"Body\": {\"stkCallback\": {"
	    "\"MerchantRequestID\": \"1\", \"CheckoutRequestID\": \"ws_CO_2\", "
	    "\"ResultCode\": 1032, \"ResultDesc\": \"Request cancelled by "
	    "user\"}}}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_str_eq(r.result_code, "1032");
	ck_assert_str_eq(r.receipt, "");
	ck_assert_int_eq(r.amount, -1);

	/* Amount as a string, a receipt that is not one. */
	parse(MPESA_CALL_CALLBACK, 200, "{\"Body\": {\"stkCallback\": {"
	    "\"CheckoutRequestID\": \"ws_CO_3\", \"ResultCode\": 0, "
	    "\"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", "
	    "\"Value\": \"05\"}, {\"Name\": \"MpesaReceiptNumber\", "
	    "\"Value\": \"not a code!\"}]}}}}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	ck_assert_int_eq(r.amount, 500);
	ck_assert_str_eq(r.receipt, "");

	parse(MPESA_CALL_CALLBACK, 200, "{\"Body\": {\"stkCallback\": {"
	    "\"ResultCode\": 0}}}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_CALLBACK, 200, "{\"Body\": {}}", &r);
	ck_assert_int_eq(r.kind, MPESA_R_GARBLED);
	parse(MPESA_CALL_CALLBACK, 200, "{\"Body\": {\"stkCallback\": {"
	    "\"CheckoutRequestID\": \"ws_CO_4\", \"ResultCode\": 0, "
	    "\"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", "
	    "\"Value\": -4}]}}}}", &r);
	ck_assert_int_eq(r.amount, -1);
}
END_TEST

START_TEST(test_hub_results)
{
	/* As duka-hub(8) answers: the callback as an object or as text, or
	 * only the flat fields; results of other shapes are skipped. */
	static const char body[] = "{\"results\": ["
	    "{\"CheckoutRequestID\": \"ws_CO_1\", \"ResultCode\": \"0\", "
	    "\"callback\": {\"Body\": {\"stkCallback\": {"
	    "\"CheckoutRequestID\": \"ws_CO_1\", \"ResultCode\": 0, "
	    "\"CallbackMetadata\": {\"Item\": [{\"Name\": "
	    "\"MpesaReceiptNumber\", \"Value\": \"NLJ7RT61SV\"}]}}}}},"
	    "{\"CheckoutRequestID\": \"ws_CO_2\", \"callback\": "
	    "\"{\\\"Body\\\": {\\\"stkCallback\\\": {"
	    "\\\"CheckoutRequestID\\\": \\\"ws_CO_2\\\", "
	    "\\\"ResultCode\\\": 1032}}}\"},"
	    "{\"CheckoutRequestID\": \"ws_CO_3\", \"ResultCode\": \"0\", "
	    "\"MpesaReceiptNumber\": \"NLJ7RT61SW\", \"Amount\": \"1.00\"},"
	    "{\"nothing\": 1}, 7, \"x\"]}";
	struct mpesa_reply *r = NULL;
	size_t n;

	n = mpesa_hub_results_parse(body, strlen(body), &r);
	ck_assert_int_eq((int)n, 3);
	ck_assert_str_eq(r[0].checkout_id, "ws_CO_1");
	ck_assert_str_eq(r[0].receipt, "NLJ7RT61SV");
	ck_assert_str_eq(r[1].checkout_id, "ws_CO_2");
	ck_assert_str_eq(r[1].result_code, "1032");
	ck_assert_str_eq(r[2].receipt, "NLJ7RT61SW");
	ck_assert_int_eq(r[2].amount, 100);
	free(r);
	ck_assert_int_eq((int)mpesa_hub_results_parse("{\"results\": []}", 15,
	    &r), 0);
	ck_assert_ptr_null(r);
	ck_assert_int_eq((int)mpesa_hub_results_parse("<html>", 6, &r), 0);
	ck_assert_int_eq((int)mpesa_hub_results_parse(NULL, 0, &r), 0);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Through the database                                               */

static struct db *db;
static char dbpath[512];
static struct settings cfg;
static int64_t item;		/* KSh 99.50 */
static int sales;

static void
setup(void)
{
	struct duka_err err = { 0, "" };
	struct product p;

	db = tu_db_new(dbpath, sizeof dbpath);
	settings_defaults(&cfg);
	cfg.allow_negative_stock = 1;
	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "UNGA");
	snprintf(p.name, sizeof p.name, "Unga");
	p.price = 9950;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	item = p.id;
	ck_assert_msg(shift_open(db, TILL, 0, "amina", NULL, &err) == DUKA_OK,
	    "%s", err.msg);
	sales = 0;
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Sell one bag paid by t; returns the sale id. */
static int64_t
sell(const struct tender *t)
{
	struct duka_err err = { 0, "" };
	struct sale_request req;
	struct sale_result res;
	struct product p;
	struct cart *c;
	char token[32];

	c = cart_new();
	ck_assert_int_eq(catalog_product_get(db, item, &p, &err), DUKA_OK);
	ck_assert_int_eq(cart_add(c, &p, 1000, &err), DUKA_OK);
	snprintf(token, sizeof token, "tok-%d", ++sales);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = t;
	req.ntenders = 1;
	req.till_id = TILL;
	req.user = "amina";
	req.cart_token = token;
	ck_assert_msg(sale_commit(db, &req, &cfg, &res, &err) == DUKA_OK, "%s",
	    err.msg);
	cart_free(c);
	return res.sale_id;
}

/* A sale awaiting an M-PESA prompt to phone. */
static int64_t
sell_pending(const char *phone)
{
	struct tender t;

	memset(&t, 0, sizeof t);
	t.method = PAY_MPESA;
	t.pending = 1;
	snprintf(t.phone, sizeof t.phone, "%s", phone);
	return sell(&t);
}

static int64_t
q1(const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Pretend the worker sent attempt id and Daraja accepted it. */
static void
accepted(int64_t id, const char *checkout)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE mpesa_attempts SET state = 'waiting', "
	    "checkout_request_id = '%s', sent_ms = 1 WHERE id = %lld", checkout,
	    (long long)id);
	tu_exec(db, sql);
}

/* Apply a callback for checkout with code and receipt ("" for none). */
static int
callback(const char *checkout, const char *code, const char *receipt,
    struct duka_err *err)
{
	char body[1024];
	struct mpesa_reply r;

	snprintf(body, sizeof body, "{\"Body\": {\"stkCallback\": {"
	    "\"CheckoutRequestID\": \"%s\", \"ResultCode\": %s, \"ResultDesc\": "
	    "\"x\"%s%s%s}}}", checkout, code, receipt[0] ?
	    ", \"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", "
	    "\"Value\": 100}, {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" :
	    "", receipt, receipt[0] ? "\"}]}" : "");
	parse(MPESA_CALL_CALLBACK, 200, body, &r);
	ck_assert_int_eq(r.kind, MPESA_R_RESULT);
	return mpesa_result_apply(db, &r, err);
}

START_TEST(test_queue_prompt)
{
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	int64_t sale, id = 0, id2 = 0;

	sale = sell_pending("254712345678");
	ck_assert_msg(mpesa_prompt_queue(db, sale, NULL, "amina", &id, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_QUEUED);
	ck_assert_int_eq(a.amount, 10000);
	ck_assert_int_eq(a.due, 9950);
	ck_assert_str_eq(a.phone, "254712345678");
	ck_assert_str_eq(a.account_ref, "T1000001");
	ck_assert_str_eq(a.receipt, "T1-000001");
	ck_assert_int_eq(q1("SELECT count(*) FROM audit_log WHERE action = "
	    "'mpesa.queue' AND entity_id = ?1", id), 1);
	/* One in flight at a time. */
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, "0722000000", "amina",
	    &id2, &err), DUKA_EINPUT);
	ck_assert_int_eq(q1("SELECT count(*) FROM mpesa_attempts WHERE ?1",
	    1), 1);
	/* Stopped before it was sent: never sent; a new one may go. */
	ck_assert_int_eq(mpesa_attempt_abandon(db, id, "amina", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_NOT_SENT);
	ck_assert_int_eq(mpesa_attempt_abandon(db, id, "amina", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, "0722000000", "amina",
	    &id2, &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id2, &a, &err), DUKA_OK);
	ck_assert_str_eq(a.phone, "254722000000");
	/* Bad input changes nothing. */
	id = 0;
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, "0812", "amina", &id,
	    &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_prompt_queue(db, 999, NULL, "amina", &id, &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(mpesa_attempt_get(db, 999, &a, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(q1("SELECT count(*) FROM mpesa_attempts WHERE ?1",
	    1), 2);
}
END_TEST

START_TEST(test_paid_completes_sale)
{
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	struct check_report rep = { 0, NULL, NULL };
	int64_t sale, id = 0;

	sale = sell_pending("254712345678");
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, NULL, "amina", &id, &err),
	    DUKA_OK);
	accepted(id, "ws_CO_1");
	ck_assert_int_eq(callback("ws_CO_1", "0", "NLJ7RT61SV", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_PAID);
	ck_assert_int_eq(a.applied, 1);
	ck_assert_str_eq(a.mpesa_receipt, "NLJ7RT61SV");
	ck_assert_int_eq(a.paid_amount, 10000);
	ck_assert_int_eq(q1("SELECT count(*) FROM sales WHERE id = ?1 AND "
	    "state = 'completed'", sale), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE sale_id = ?1 "
	    "AND state = 'paid' AND reference = 'NLJ7RT61SV' AND verified = 1 "
	    "AND amount = 9950", sale), 1);
	ck_assert_int_eq(q1("SELECT count(*) FROM outbox WHERE type = "
	    "'payment.updated' AND ?1", 1), 1);
	/* A repeated callback, or a late failure, changes nothing. */
	ck_assert_int_eq(callback("ws_CO_1", "0", "NLJ7RT61SV", &err), DUKA_OK);
	ck_assert_int_eq(callback("ws_CO_1", "1032", "", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_PAID);
	ck_assert_int_eq(q1("SELECT count(*) FROM outbox WHERE type = "
	    "'payment.updated' AND ?1", 1), 1);
	/* A receipt number already recorded on another prompt is not taken
	 * twice, and does not stop the worker. */
	ck_assert_int_eq(mpesa_prompt_queue(db, sell_pending("254712345678"),
	    NULL, "amina", &id, &err), DUKA_OK);
	accepted(id, "ws_CO_1b");
	ck_assert_int_eq(callback("ws_CO_1b", "0", "NLJ7RT61SV", &err),
	    DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_WAITING);
	/* A callback for nobody's checkout id. */
	ck_assert_int_eq(callback("ws_CO_nobody", "0", "NLJ7RT61SX", &err),
	    DUKA_ENOTFOUND);
	ck_assert_int_eq(sale_check(db, &rep, &err), DUKA_OK);
	ck_assert_int_eq(mpesa_check(db, &rep, &err), DUKA_OK);
	ck_assert_int_eq(rep.problems, 0);
	/* Damage that duka check finds: a confirmed payment without its
	 * prompt, a prompt whose payment lost its receipt. */
	tu_exec(db, "UPDATE mpesa_attempts SET mpesa_receipt = 'XXXXXXXXX1' "
	    "WHERE mpesa_receipt = 'NLJ7RT61SV'");
	ck_assert_int_eq(mpesa_check(db, &rep, &err), DUKA_OK);
	ck_assert_int_eq(rep.problems, 2);
}
END_TEST

START_TEST(test_never_paid_without_receipt)
{
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	int64_t sale, id = 0;

	sale = sell_pending("254712345678");
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, NULL, "amina", &id, &err),
	    DUKA_OK);
	accepted(id, "ws_CO_2");
	/* Paid with no receipt (as the query says it): confirmed. */
	ck_assert_int_eq(callback("ws_CO_2", "0", "", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_CONFIRMED);
	ck_assert_int_eq(q1("SELECT count(*) FROM sales WHERE id = ?1 AND "
	    "state = 'awaiting_payment'", sale), 1);
	/* A failure does not undo it; the receipt completes it. */
	ck_assert_int_eq(callback("ws_CO_2", "1037", "", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_CONFIRMED);
	ck_assert_int_eq(callback("ws_CO_2", "0", "NLJ7RT61SW", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_PAID);
	/* The schema refuses "paid" without a receipt number. */
	ck_assert_int_ne(sqlite3_exec(db_sqlite(db), "UPDATE mpesa_attempts SET "
	    "mpesa_receipt = NULL", NULL, NULL, NULL), SQLITE_OK);
}
END_TEST

START_TEST(test_failures_keep_pending)
{
	static const char *const codes[] = { "1032", "1037", "1", "2001", "17",
	    "\"SFC_IC0003\"" };
	static const enum mpesa_state want[] = { MPESA_CANCELLED,
	    MPESA_TIMED_OUT, MPESA_INSUFFICIENT, MPESA_WRONG_PIN,
	    MPESA_TRY_LATER, MPESA_FAILED };
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	char cid[32];
	int64_t sale, id;
	int i;

	sale = sell_pending("254712345678");
	for (i = 0; i < NELEM(codes); i++) {
		ck_assert_int_eq(mpesa_prompt_queue(db, sale, NULL, "amina", &id,
		    &err), DUKA_OK);
		snprintf(cid, sizeof cid, "ws_CO_f%d", i);
		accepted(id, cid);
		ck_assert_int_eq(callback(cid, codes[i], "", &err), DUKA_OK);
		ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
		ck_assert_msg(a.state == want[i], "%s: %d", codes[i], a.state);
		ck_assert_int_eq(q1("SELECT count(*) FROM payments WHERE "
		    "sale_id = ?1 AND state = 'pending'", sale), 1);
	}
	ck_assert_int_eq(mpesa_attempt_latest(db, a.payment_id, &a, &err),
	    DUKA_OK);
	ck_assert_int_eq(a.id, id);
}
END_TEST

/* Count flagged reconciliation lines. */
static int
count_flags(void *ctx, const struct mpesa_recon_row *r)
{
	if (r->flag != NULL && strstr(r->flag, "double") != NULL)
		(*(int *)ctx)++;
	return 0;
}

START_TEST(test_switch_then_late_paid)
{
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	struct payment_info p;
	struct check_report rep = { 0, NULL, NULL };
	int64_t sale, id, change = -1;
	int flags = 0;

	sale = sell_pending("254712345678");
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, NULL, "amina", &id, &err),
	    DUKA_OK);
	accepted(id, "ws_CO_3");
	ck_assert_int_eq(payment_pending_mpesa(db, sale, &p, &err), DUKA_OK);
	ck_assert_int_eq(mpesa_switch_tender(db, p.id, PAY_CASH, 5000, NULL,
	    "amina", &change, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_switch_tender(db, p.id, PAY_CARD, 0, NULL,
	    "amina", &change, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_switch_tender(db, p.id, PAY_CASH, 10000, NULL,
	    "amina", &change, &err), DUKA_OK);
	ck_assert_int_eq(change, 50);
	ck_assert_int_eq(q1("SELECT count(*) FROM sales WHERE id = ?1 AND "
	    "state = 'completed'", sale), 1);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.abandoned, 1);
	ck_assert_int_eq(mpesa_switch_tender(db, p.id, PAY_CASH, 10000, NULL,
	    "amina", &change, &err), DUKA_EINPUT);
	/* The customer paid on the phone after all: kept, flagged. */
	ck_assert_int_eq(callback("ws_CO_3", "0", "NLJ7RT61SY", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.state, MPESA_PAID);
	ck_assert_int_eq(a.applied, 0);
	ck_assert_int_eq(mpesa_reconcile(db, "", "", count_flags, &flags, &err),
	    DUKA_OK);
	ck_assert_int_eq(flags, 1);
	ck_assert_int_eq(sale_check(db, &rep, &err), DUKA_OK);
	ck_assert_int_eq(mpesa_check(db, &rep, &err), DUKA_OK);
	ck_assert_int_eq(rep.problems, 0);
}
END_TEST

START_TEST(test_keyed_code_then_verified)
{
	struct duka_err err = { 0, "" };
	struct mpesa_attempt a;
	int64_t sale, id;

	sale = sell_pending("254712345678");
	ck_assert_int_eq(mpesa_prompt_queue(db, sale, NULL, "amina", &id, &err),
	    DUKA_OK);
	accepted(id, "ws_CO_4");
	ck_assert_int_eq(mpesa_attempt_key_code(db, id, "bad", "amina", &err),
	    DUKA_EINPUT);
	ck_assert_int_eq(mpesa_attempt_key_code(db, id, "nlj7rt61sz", "amina",
	    &err), DUKA_OK);
	ck_assert_int_eq(q1("SELECT verified FROM payments WHERE sale_id = ?1 "
	    "AND reference = 'NLJ7RT61SZ'", sale), 0);
	/* Daraja's result with the same code confirms it: no double. */
	ck_assert_int_eq(callback("ws_CO_4", "0", "NLJ7RT61SZ", &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_int_eq(a.applied, 1);
	ck_assert_int_eq(q1("SELECT verified FROM payments WHERE sale_id = ?1 "
	    "AND reference = 'NLJ7RT61SZ'", sale), 1);
}
END_TEST

START_TEST(test_account_prompt)
{
	struct duka_err err = { 0, "" };
	struct tender t;
	struct mpesa_attempt a;
	int64_t cid = 0, id = 0, id2 = 0;

	ck_assert_int_eq(customer_add(db, "Mama Njeri", "0711222333", 100000,
	    &cid, &err), DUKA_OK);
	memset(&t, 0, sizeof t);
	t.method = PAY_ACCOUNT;
	t.customer_id = cid;
	(void)sell(&t);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, cid, 5050, NULL,
	    "amina", &id, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, cid, 10000, NULL,
	    "amina", &id, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, cid, 5000, "0812",
	    "amina", &id, &err), DUKA_EINPUT);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, 999, 5000, NULL,
	    "amina", &id, &err), DUKA_ENOTFOUND);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, cid, 5000, NULL,
	    "amina", &id, &err), DUKA_OK);
	ck_assert_int_eq(mpesa_attempt_get(db, id, &a, &err), DUKA_OK);
	ck_assert_str_eq(a.phone, "254711222333");
	accepted(id, "ws_CO_5");
	/* The shop gets users; nobody is logged in where the worker runs,
	 * and the money is taken all the same. */
	setenv("DUKA_TEST_CHEAP_PIN_HASH", "1", 1);
	ck_assert_msg(user_add(db, "wanjiru", ROLE_OWNER, "4321", &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(mpesa_prompt_queue_account(db, cid, 1000, NULL,
	    "amina", &id2, &err), DUKA_EPERM);
	ck_assert_int_eq(callback("ws_CO_5", "0", "NLJ7RT61S1", &err), DUKA_OK);
	ck_assert_int_eq(q1("SELECT balance FROM customers WHERE id = ?1", cid),
	    4950);
	ck_assert_int_eq(q1("SELECT count(*) FROM customer_payments WHERE "
	    "customer_id = ?1 AND reference = 'NLJ7RT61S1'", cid), 1);
}
END_TEST

static Suite *
mpesa_suite(void)
{
	Suite *s = suite_create("mpesa");
	TCase *tc;

	tc = tcase_create("pieces");
	tcase_add_test(tc, test_timestamp_nairobi);
	tcase_add_test(tc, test_password);
	tcase_add_loop_test(tc, test_phone_good, 0, NELEM(phones_good));
	tcase_add_loop_test(tc, test_phone_bad, 0, NELEM(phones_bad));
	tcase_add_test(tc, test_result_codes);
	tcase_add_test(tc, test_amount_round);
	tcase_add_test(tc, test_reference_and_desc);
	tcase_add_test(tc, test_token_replies);
	tcase_add_test(tc, test_push_replies);
	tcase_add_test(tc, test_query_replies);
	tcase_add_test(tc, test_callbacks);
	tcase_add_test(tc, test_hub_results);
	suite_add_tcase(s, tc);

	tc = tcase_create("database");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_queue_prompt);
	tcase_add_test(tc, test_paid_completes_sale);
	tcase_add_test(tc, test_never_paid_without_receipt);
	tcase_add_test(tc, test_failures_keep_pending);
	tcase_add_test(tc, test_switch_then_late_paid);
	tcase_add_test(tc, test_keyed_code_then_verified);
	tcase_add_test(tc, test_account_prompt);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(mpesa_suite());
}
