/*
 * check_hub_check.c - unit tests for duka-hub's checks of a till's batch
 * (src/hub/hub_check.c) and its bounded JSON parser (hub_json.c), without
 * a database: bodies refused as a whole, events rejected one by one with
 * their reason, and good events of every type the till sends.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))
#define ID1 "0190a000-0000-7000-8000-000000000001"
#define AT "\"at\":\"2026-11-25T10:00:00.000Z\""

/* Bodies refused whole, and a word of the reason. */
static const struct {
	const char *body;
	const char *want;
} bad_bodies[] = {
	{ "", "empty body" },
	{ "{", "malformed JSON" },
	{ "[]", "must be a JSON object" },
	{ "{}", "\"events\" is missing" },
	{ "{\"events\":{}}", "\"events\" is missing or not an array" },
	{ "{\"events\":\"x\"}", "not an array" },
	{ "{\"till\":[],\"events\":[]}", "\"till\" must be" },
	{ "{\"till\":1.5,\"events\":[]}", "\"till\" must be" },
	{ "{\"events\":[],\"events\":[]}", "malformed JSON" },
	{ "{\"events\":[]} x", "malformed JSON" },
	{ "{\"events\":[],\"x\":\"\xff\"}", "malformed JSON" },
	{ "{\"events\":[],\"x\":\"\\u0000\"}", "malformed JSON" },
	{ "{\"events\":[{\"n\":99999999999999999999}]}", "malformed JSON" },
};

/* Events rejected, and a word of the reason. */
static const struct {
	const char *event;
	const char *want;
} bad_events[] = {
	{ "17", "must be an object" },
	{ "[]", "must be an object" },
	{ "{}", "id is missing" },
	{ "{\"id\":5}", "id is missing or not a string" },
	{ "{\"id\":\"x\"}", "not a UUID" },
	{ "{\"id\":\"0190a000-0000-7000-8000-00000000000g\"}", "not a UUID" },
	{ "{\"id\":\"0190a000_0000-7000-8000-000000000001\"}", "not a UUID" },
	{ "{\"id\":\"" ID1 "\"}", "type is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"sale.voided\"," AT ",\"data\":{}}",
	    "unknown event type \"sale.voided\"" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"customer.changed\",\"data\":{}}",
	    "at is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"customer.changed\",\"at\":\"now\","
	    "\"data\":{}}", "RFC 3339" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"customer.changed\"," AT "}",
	    "data is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"customer.changed\"," AT
	    ",\"data\":[]}", "data is missing or not an object" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"stock.moved\"," AT ",\"data\":{"
	    "\"movement_id\":1,\"sku\":\"A\",\"qty\":1.5,\"reason\":\"r\"}}",
	    "data.qty has the wrong type (integer expected)" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"stock.moved\"," AT ",\"data\":{"
	    "\"movement_id\":1,\"sku\":\"\",\"qty\":1,\"reason\":\"r\"}}",
	    "data.sku must be 1 to 100 bytes" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"stock.moved\"," AT ",\"data\":{"
	    "\"movement_id\":1,\"sku\":\"A\",\"qty\":null,\"reason\":\"r\"}}",
	    "data.qty is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"stock.moved\"," AT ",\"data\":{"
	    "\"movement_id\":1,\"sku\":\"A\",\"qty\":1,\"reason\":\"r\","
	    "\"at\":\"yesterday\"}}", "data.at is not an RFC 3339 time" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"product.changed\"," AT ",\"data\":{"
	    "\"sku\":\"A\",\"price\":5}}", "data.name is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"product.changed\"," AT ",\"data\":{"
	    "\"sku\":\"A\",\"name\":\"N\",\"price\":-5}}",
	    "data.price must not be negative" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"product.changed\"," AT ",\"data\":{"
	    "\"sku\":\"A\",\"name\":\"N\",\"price\":5,\"barcodes\":[1]}}",
	    "data.barcodes[0] must be a string" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"sale.completed\"," AT ",\"data\":{"
	    "\"sale_id\":1,\"at\":\"2026-11-25T10:00:00Z\",\"gross\":1,"
	    "\"discount\":0,\"total\":1,\"vat\":0,\"lines\":[{\"sku\":\"A\","
	    "\"qty\":1,\"unit_price\":1,\"amount\":\"1\",\"vat\":0}],"
	    "\"payments\":[]}}", "data.lines[0].amount has the wrong type" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"sale.completed\"," AT ",\"data\":{"
	    "\"sale_id\":1,\"at\":\"2026-11-25T10:00:00Z\",\"gross\":1,"
	    "\"discount\":0,\"total\":1,\"vat\":0,\"lines\":[],"
	    "\"payments\":[{\"method\":\"cash\",\"state\":\"paid\"}]}}",
	    "data.payments[0].amount is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"sale.refunded\"," AT ",\"data\":{"
	    "\"sale_id\":1,\"at\":\"2026-11-25T10:00:00Z\",\"gross\":1,"
	    "\"discount\":0,\"total\":1,\"vat\":0,\"lines\":[],"
	    "\"payments\":[]}}", "data.refund_of is missing" },
	{ "{\"id\":\"" ID1 "\",\"type\":\"payment.updated\"," AT ",\"data\":{"
	    "\"payment_id\":1}}", "data.state is missing" },
};

/* Good events, one of each type as the till writes them. */
static const char *const good_events[] = {
	"{\"id\":\"" ID1 "\",\"type\":\"sale.completed\"," AT ",\"data\":{"
	    "\"sale_id\":1,\"till\":\"1\",\"receipt_no\":1,\"receipt\":\"1-1\","
	    "\"state\":\"completed\",\"at\":\"2026-11-25T10:00:00.000Z\","
	    "\"business_day\":\"2026-11-25\",\"user\":null,\"customer_id\":null,"
	    "\"gross\":100,\"discount\":0,\"total\":100,\"vat\":14,\"lines\":[{"
	    "\"line_no\":1,\"product_id\":1,\"sku\":\"A\",\"name\":\"A\","
	    "\"qty\":1000,\"shelf_price\":100,\"unit_price\":100,\"discount\":0,"
	    "\"amount\":100,\"vat\":14,\"tax_class\":\"standard\","
	    "\"allocations\":[{\"batch_id\":null,\"qty\":1000}]}],\"payments\":"
	    "[{\"payment_id\":1,\"method\":\"cash\",\"state\":\"paid\","
	    "\"amount\":100,\"change\":0,\"reference\":null}],\"new\":1}}",
	"{\"id\":\"" ID1 "\",\"type\":\"sale.refunded\"," AT ",\"data\":{"
	    "\"sale_id\":2,\"refund_of\":1,\"at\":\"2026-11-25T10:00:00Z\","
	    "\"gross\":-100,\"discount\":0,\"total\":-100,\"vat\":-14,"
	    "\"damaged\":false,\"reason\":null,\"lines\":[],\"payments\":[{"
	    "\"method\":\"cash\",\"state\":\"paid\",\"amount\":-100,"
	    "\"verified\":false}]}}",
	"{\"id\":\"" ID1 "\",\"type\":\"stock.moved\"," AT ",\"data\":{"
	    "\"movement_id\":1,\"product_id\":1,\"sku\":\"A\",\"batch_id\":null,"
	    "\"qty\":-250,\"reason\":\"damage\",\"unit_cost\":1,\"unit_price\":2,"
	    "\"reference\":null,\"user\":null,\"note\":null,"
	    "\"at\":\"2026-11-25T10:00:00+03:00\"}}",
	"{\"id\":\"" ID1 "\",\"type\":\"product.changed\"," AT ",\"data\":{"
	    "\"product_id\":1,\"sku\":\"A\",\"deleted\":true}}",
	"{\"id\":\"" ID1 "\",\"type\":\"product.changed\"," AT ",\"data\":{"
	    "\"product_id\":1,\"sku\":\"A\",\"name\":\"A\",\"price\":0,"
	    "\"barcodes\":[\"6001234567890\"],\"active\":true}}",
	"{\"id\":\"" ID1 "\",\"type\":\"payment.updated\"," AT ",\"data\":{"
	    "\"payment_id\":1,\"sale_id\":1,\"state\":\"paid\","
	    "\"reference\":\"QKT5ABC1XY\",\"verified\":false,"
	    "\"sale_state\":\"completed\"}}",
	"{\"id\":\"" ID1 "\",\"type\":\"shift.opened\"," AT ",\"data\":{}}",
	"{\"id\":\"" ID1 "\",\"type\":\"shift.cash\"," AT ",\"data\":{}}",
	"{\"id\":\"" ID1 "\",\"type\":\"shift.closed\"," AT ",\"data\":{}}",
	"{\"id\":\"" ID1 "\",\"type\":\"customer.changed\"," AT ",\"data\":{}}",
	"{\"id\":\"" ID1 "\",\"type\":\"customer.paid\"," AT ",\"data\":{}}",
	"{\"id\":\"" ID1 "\",\"type\":\"order.changed\"," AT ",\"data\":{}}",
};

/* Parse {"events":[event]} and return the one event's error (or NULL). */
static const char *
one_event(const char *event, struct hub_batch *b)
{
	struct duka_err err = { 0, "" };
	char body[4096];

	snprintf(body, sizeof body, "{\"till\":\"1\",\"events\":[%s]}", event);
	ck_assert_msg(hub_batch_parse(body, strlen(body), b, &err) == DUKA_OK,
	    "%s: %s", event, err.msg);
	ck_assert_int_eq((int)b->n, 1);
	return b->ev[0].error;
}

START_TEST(test_bad_bodies)
{
	struct duka_err err = { 0, "" };
	struct hub_batch b;
	const char *body = bad_bodies[_i].body;

	ck_assert_int_eq(hub_batch_parse(body, strlen(body), &b, &err),
	    DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, bad_bodies[_i].want) != NULL,
	    "\"%s\": \"%s\" lacks \"%s\"", body, err.msg, bad_bodies[_i].want);
	hub_batch_free(&b);
}
END_TEST

START_TEST(test_bad_events)
{
	struct hub_batch b;
	const char *why = one_event(bad_events[_i].event, &b);

	ck_assert_msg(why != NULL, "%s: accepted", bad_events[_i].event);
	ck_assert_msg(strstr(why, bad_events[_i].want) != NULL,
	    "%s: \"%s\" lacks \"%s\"", bad_events[_i].event, why,
	    bad_events[_i].want);
	hub_batch_free(&b);
}
END_TEST

START_TEST(test_good_events)
{
	struct hub_batch b;
	const char *why = one_event(good_events[_i], &b);

	ck_assert_msg(why == NULL, "%s: %s", good_events[_i], why);
	ck_assert_str_eq(b.ev[0].uuid, ID1);
	hub_batch_free(&b);
}
END_TEST

/* Depth: 32 levels pass, 33 do not, and strings do not count. */
START_TEST(test_depth)
{
	struct duka_err err = { 0, "" };
	char body[256];
	json_t *v;
	int i, o = 0;

	for (i = 0; i < 32; i++)
		body[o++] = '[';
	for (i = 0; i < 32; i++)
		body[o++] = ']';
	v = hub_json_parse(body, (size_t)o, 32, &err);
	ck_assert_ptr_nonnull(v);
	json_decref(v);
	v = hub_json_parse(body, (size_t)o, 31, &err);
	ck_assert_ptr_null(v);
	ck_assert_msg(strstr(err.msg, "deeper than 31") != NULL, "%s",
	    err.msg);
	v = hub_json_parse("[\"[[[[[[\\\"[[[[\"]", 16, 2, &err);
	ck_assert_ptr_nonnull(v);
	json_decref(v);
}
END_TEST

/* Capitals, repeats within a batch, the product flag, and 500 at most. */
START_TEST(test_batch)
{
	struct duka_err err = { 0, "" };
	struct hub_batch b;
	char *body;
	size_t o;
	int i;
	const char *ev = "{\"id\":\"0190A000-0000-7000-8000-00000000000F\","
	    "\"type\":\"product.changed\"," AT ",\"data\":{\"sku\":\"A\","
	    "\"name\":\"A\",\"price\":1}}";

	body = malloc(600 * 220 + 64);
	ck_assert_ptr_nonnull(body);
	o = (size_t)sprintf(body, "{\"events\":[%s,%s,17]}", ev, ev);
	ck_assert_int_eq(hub_batch_parse(body, o, &b, &err), DUKA_OK);
	ck_assert_int_eq((int)b.n, 3);
	ck_assert_str_eq(b.ev[0].uuid, "0190a000-0000-7000-8000-00000000000f");
	ck_assert_str_eq(b.ev[0].id, "0190A000-0000-7000-8000-00000000000F");
	ck_assert_int_eq(b.ev[0].duplicate, 0);
	ck_assert_int_eq(b.ev[1].duplicate, 1);
	ck_assert_ptr_nonnull(b.ev[2].error);
	ck_assert_int_eq(b.has_products, 1);
	hub_batch_free(&b);

	for (int n = 500; n <= 501; n++) {
		o = (size_t)sprintf(body, "{\"events\":[");
		for (i = 0; i < n; i++)
			o += (size_t)sprintf(body + o, "%s{}", i ? "," : "");
		o += (size_t)sprintf(body + o, "]}");
		ck_assert_int_eq(hub_batch_parse(body, o, &b, &err),
		    n == 500 ? DUKA_OK : DUKA_EINPUT);
		hub_batch_free(&b);
	}
	free(body);
}
END_TEST

static Suite *
hub_check_suite(void)
{
	Suite *s = suite_create("hub_check");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_bad_bodies, 0, NELEM(bad_bodies));
	tcase_add_loop_test(tc, test_bad_events, 0, NELEM(bad_events));
	tcase_add_loop_test(tc, test_good_events, 0, NELEM(good_events));
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_batch);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hub_check_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
