/*
 * check_sync.c - unit tests for the till's side of sync (sync.c, http.c):
 * the backoff schedule, batch building (500 events, 1 MiB), the reply
 * parser (accepted, duplicate, rejected; every malformed reply changes
 * nothing), outbox marking, applying the hub's catalogue (never stock,
 * never an event back), and sync_once and the worker against a small hub
 * stand-in served from a thread of this program on loopback.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "catalog.h"
#include "db.h"
#include "http.h"
#include "outbox.h"
#include "settings.h"
#include "stock.h"
#include "sync.h"
#include "testutil.h"

#define NELEM(a) ((int)(sizeof (a) / sizeof (a)[0]))

static struct db *db;
static char dbpath[512];

static void
setup(void)
{
	db = tu_db_new(dbpath, sizeof dbpath);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	unlink(dbpath);
}

/* Queue n events of type with a data string of pad bytes each. */
static void
add_events(int n, size_t pad)
{
	struct duka_err err = { 0, "" };
	char *fill = malloc(pad + 1);
	int i;

	ck_assert_ptr_nonnull(fill);
	memset(fill, 'x', pad);
	fill[pad] = '\0';
	ck_assert(db_begin(db, &err) == DUKA_OK);
	for (i = 0; i < n; i++)
		ck_assert_msg(outbox_add(db, "shift.cash", json_pack("{si ss}",
		    "n", i, "pad", fill), &err) == DUKA_OK, "%s", err.msg);
	ck_assert(db_commit(db, &err) == DUKA_OK);
	free(fill);
}

static int64_t
count_state(const char *state)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE "
	    "state = '%s'", state);
	return tu_int(db, sql);
}

/* ---------- backoff ---------- */

START_TEST(backoff_grows_capped_jittered)
{
	int64_t lo, hi, prev_hi = 0;
	int a;

	for (a = 1; a <= 40; a++) {
		lo = sync_backoff_ms(a, 0);
		hi = sync_backoff_ms(a, UINT32_MAX);
		ck_assert_int_ge(lo, SYNC_BACKOFF_MIN_MS / 2);
		ck_assert_int_le(hi, SYNC_BACKOFF_MAX_MS);
		ck_assert_int_ge(hi, lo);
		ck_assert_int_ge(hi, prev_hi);
		/* Equal jitter: never less than half the delay. */
		ck_assert_int_ge(lo * 2, hi - 1);
		prev_hi = hi;
	}
	ck_assert_int_le(sync_backoff_ms(1, UINT32_MAX), SYNC_BACKOFF_MIN_MS);
	ck_assert_int_eq(sync_backoff_ms(2, 0), SYNC_BACKOFF_MIN_MS);
	ck_assert_int_ge(sync_backoff_ms(40, 0), SYNC_BACKOFF_MAX_MS / 2);
	ck_assert_int_le(sync_backoff_ms(1000, 12345), SYNC_BACKOFF_MAX_MS);
	/* Different random numbers give different delays. */
	ck_assert_int_ne(sync_backoff_ms(8, 1), sync_backoff_ms(8, 99999));
}
END_TEST

/* ---------- batches ---------- */

START_TEST(batch_at_most_500_events)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	json_t *root;

	add_events(1203, 10);
	ck_assert(sync_batch_build(db, "T1", SYNC_BATCH_EVENTS,
	    SYNC_BATCH_BYTES, &b, &err) == DUKA_OK);
	ck_assert_int_eq(b.n, 500);
	ck_assert(!b.oversized);
	ck_assert_uint_le(b.len, SYNC_BATCH_BYTES);
	root = json_loadb(b.body, b.len, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "till")),
	    "T1");
	ck_assert_int_eq(json_array_size(json_object_get(root, "events")), 500);
	/* Oldest first, with the fields of the protocol. */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(root, "events"), 0), "id")), b.ids[0]);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(root, "events"), 0), "data"), "n")),
	    0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(root, "events"), 499), "type")), "shift.cash");
	json_decref(root);
	sync_batch_clear(&b);
	/* Nothing was marked by building. */
	ck_assert_int_eq(count_state("pending"), 1203);
}
END_TEST

START_TEST(batch_at_most_1_mib)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	json_t *root;

	add_events(10, 300 * 1024);
	ck_assert(sync_batch_build(db, "T1", SYNC_BATCH_EVENTS,
	    SYNC_BATCH_BYTES, &b, &err) == DUKA_OK);
	ck_assert_int_eq(b.n, 3);
	ck_assert_uint_le(b.len, SYNC_BATCH_BYTES);
	root = json_loadb(b.body, b.len, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(json_array_size(json_object_get(root, "events")), 3);
	json_decref(root);
	sync_batch_clear(&b);
	/* A tight limit: exactly what fits. */
	ck_assert(sync_batch_build(db, "T1", 2, SYNC_BATCH_BYTES, &b, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(b.n, 2);
	sync_batch_clear(&b);
}
END_TEST

START_TEST(batch_oversized_and_empty)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;

	ck_assert(sync_batch_build(db, "T1", SYNC_BATCH_EVENTS,
	    SYNC_BATCH_BYTES, &b, &err) == DUKA_OK);
	ck_assert_int_eq(b.n, 0);
	ck_assert_ptr_null(b.body);
	sync_batch_clear(&b);
	add_events(1, SYNC_BATCH_BYTES + 10);
	ck_assert(sync_batch_build(db, "T1", SYNC_BATCH_EVENTS,
	    SYNC_BATCH_BYTES, &b, &err) == DUKA_OK);
	ck_assert_int_eq(b.n, 1);
	ck_assert(b.oversized);
	ck_assert_ptr_null(b.body);
	sync_batch_clear(&b);
}
END_TEST

START_TEST(batch_escapes_strings)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	json_t *root;

	ck_assert(sync_batch_build(db, "a\"b\\c\n", 5, SYNC_BATCH_BYTES, &b,
	    &err) == DUKA_OK);
	sync_batch_clear(&b);
	add_events(1, 3);
	ck_assert(sync_batch_build(db, "a\"b\\c\n", 5, SYNC_BATCH_BYTES, &b,
	    &err) == DUKA_OK);
	root = json_loadb(b.body, b.len, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "till")),
	    "a\"b\\c\n");
	json_decref(root);
	sync_batch_clear(&b);
}
END_TEST

/* ---------- replies and marking ---------- */

/* A batch of the first n pending events. */
static void
batch_of(int n, struct sync_batch *b)
{
	struct duka_err err = { 0, "" };

	ck_assert(sync_batch_build(db, "T1", n, SYNC_BATCH_BYTES, b, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(b->n, n);
}

START_TEST(reply_accepted_duplicate_rejected)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	struct sync_reply r;
	char body[1024];
	int64_t sent;

	add_events(5, 3);
	batch_of(4, &b);
	snprintf(body, sizeof body, "{\"accepted\": [\"%s\", \"%s\"], "
	    "\"duplicate\": [\"%s\"], \"rejected\": [{\"id\": \"%s\", "
	    "\"error\": \"unknown product\"}]}", b.ids[0], b.ids[2], b.ids[1],
	    b.ids[3]);
	ck_assert_msg(sync_reply_parse(body, strlen(body), &b, &r, &err) ==
	    DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(r.n, 4);
	ck_assert_int_eq(r.verdict[0], SYNC_SENT);
	ck_assert_int_eq(r.verdict[1], SYNC_SENT);
	ck_assert_int_eq(r.verdict[2], SYNC_SENT);
	ck_assert_int_eq(r.verdict[3], SYNC_REJECTED);
	ck_assert_str_eq(r.reason[3], "unknown product");
	ck_assert(sync_mark(db, &b, &r, &sent, &err) == DUKA_OK);
	ck_assert_int_eq(sent, 3);
	ck_assert_int_eq(count_state("sent"), 3);
	ck_assert_int_eq(count_state("rejected"), 1);
	ck_assert_int_eq(count_state("pending"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "state = 'rejected' AND last_error = 'unknown product'"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "state = 'sent' AND sent_at IS NOT NULL AND attempts = 1"), 3);
	/* Marking again changes nothing: only pending rows move. */
	ck_assert(sync_mark(db, &b, &r, &sent, &err) == DUKA_OK);
	ck_assert_int_eq(sent, 0);
	ck_assert_int_eq(count_state("rejected"), 1);
	sync_reply_clear(&r);
	sync_batch_clear(&b);
}
END_TEST

START_TEST(reply_partial_leaves_pending)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	struct sync_reply r;
	char body[256];
	int64_t sent;

	add_events(3, 3);
	batch_of(3, &b);
	snprintf(body, sizeof body, "{\"accepted\": [\"%s\"]}", b.ids[1]);
	ck_assert(sync_reply_parse(body, strlen(body), &b, &r, &err) ==
	    DUKA_OK);
	ck_assert_int_eq(r.verdict[0], SYNC_NONE);
	ck_assert(sync_mark(db, &b, &r, &sent, &err) == DUKA_OK);
	ck_assert_int_eq(sent, 1);
	ck_assert_int_eq(count_state("pending"), 2);
	sync_reply_clear(&r);
	sync_batch_clear(&b);
}
END_TEST

/* Malformed replies: each refused whole. %1$s and %2$s are batch ids. */
static const char *const bad_replies[] = {
	"",
	"not json",
	"[]",
	"42",
	"{}",
	"{\"accepted\": \"%1$s\"}",
	"{\"accepted\": [42]}",
	"{\"accepted\": [\"00000000-0000-7000-8000-000000000000\"]}",
	"{\"accepted\": [\"%1$s\", \"%1$s\"]}",
	"{\"accepted\": [\"%1$s\"], \"duplicate\": [\"%1$s\"]}",
	"{\"rejected\": [\"%1$s\"]}",
	"{\"rejected\": [{\"id\": \"%1$s\"}]}",
	"{\"rejected\": [{\"id\": \"%1$s\", \"error\": \"\"}]}",
	"{\"rejected\": [{\"id\": \"%1$s\", \"error\": 5}]}",
	"{\"accepted\": [\"%1$s\"], \"rejected\": {}}",
	"{\"accepted\": [\"%1$s\"], \"accepted\": [\"%2$s\"]}",
	"{\"accepted\": [\"%1$s\"]",
	"{\"accepted\": [\"%1$s\", \"%2$s\"]} trailing",
};

START_TEST(reply_malformed_changes_nothing)
{
	struct duka_err err = { 0, "" };
	struct sync_batch b;
	struct sync_reply r;
	char body[512];

	add_events(2, 3);
	batch_of(2, &b);
	/* The table's entries are literals chosen above. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(body, sizeof body, bad_replies[_i], b.ids[0], b.ids[1]);
#pragma GCC diagnostic pop
	memset(&r, 0x5a, sizeof r);
	ck_assert_msg(sync_reply_parse(body, strlen(body), &b, &r, &err) ==
	    DUKA_EINPUT, "accepted: %s", body);
	ck_assert_msg(err.msg[0] != '\0', "no message for %s", body);
	ck_assert_int_eq(r.n, 0);
	ck_assert_ptr_null(r.verdict);
	ck_assert_int_eq(count_state("pending"), 2);
	sync_batch_clear(&b);
	ck_assert(sync_reply_parse(NULL, 0, &b, &r, &err) == DUKA_EINPUT);
}
END_TEST

/* ---------- the catalogue ---------- */

static int64_t
add_product(const char *sku, const char *name, int64_t price)
{
	struct duka_err err = { 0, "" };
	struct product p;

	product_init(&p);
	snprintf(p.sku, sizeof p.sku, "%s", sku);
	snprintf(p.name, sizeof p.name, "%s", name);
	p.price = price;
	p.cost = price / 2;
	ck_assert_msg(catalog_product_add(db, &p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	return p.id;
}

static void
receive(int64_t id, int64_t qty)
{
	struct duka_err err = { 0, "" };
	struct stock_receipt r;

	stock_receipt_init(&r);
	r.product_id = id;
	r.qty = qty;
	r.user = "test";
	ck_assert_msg(stock_receive(db, &r, NULL, &err) == DUKA_OK, "%s",
	    err.msg);
}

START_TEST(catalog_apply_prices_not_stock)
{
	static const char page[] = "{\"products\": ["
	    "{\"sku\": \"SUG1\", \"name\": \"Sugar 2kg\", \"price\": 31000, "
	    "\"tax_class\": \"zero\", \"barcodes\": [\"5901234123457\"]},"
	    "{\"sku\": \"NEW1\", \"name\": \"Tea leaves\", \"price\": 25000, "
	    "\"tax_class\": \"standard\", \"unit\": \"piece\", "
	    "\"category\": \"Drinks\", \"barcodes\": []}], "
	    "\"cursor\": \"17\", \"more\": true}";
	struct duka_err err = { 0, "" };
	struct product p;
	int64_t sugar, events, applied;
	int more;

	sugar = add_product("SUG1", "Sugar 1kg", 15000);
	receive(sugar, 12000);
	events = tu_int(db, "SELECT count(*) FROM outbox");
	ck_assert_msg(sync_catalog_apply(db, page, strlen(page), &more,
	    &applied, &err) == DUKA_OK, "%s", err.msg);
	ck_assert_int_eq(more, 1);
	ck_assert_int_eq(applied, 2);
	ck_assert(catalog_product_get(db, sugar, &p, &err) == DUKA_OK);
	ck_assert_str_eq(p.name, "Sugar 2kg");
	ck_assert_int_eq(p.price, 31000);
	ck_assert_int_eq(p.tax, TAX_ZERO);
	ck_assert_int_eq(p.stock_qty, 12000);
	ck_assert(catalog_product_find(db, "5901234123457", &p, &err) ==
	    DUKA_OK);
	ck_assert_str_eq(p.sku, "SUG1");
	ck_assert(catalog_product_find(db, "NEW1", &p, &err) == DUKA_OK);
	ck_assert_int_eq(p.price, 25000);
	ck_assert_int_eq(p.stock_qty, 0);
	/* The hub is not told back what it said. */
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"), events);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM stock_movements"),
	    1);
	ck_assert_int_eq(tu_int(db, "SELECT value FROM sync_state WHERE "
	    "key = 'catalog_cursor'"), 17);
	/* A change made at the till still writes its event. */
	p.price = 26000;
	ck_assert(catalog_product_update(db, &p, "test", &err) == DUKA_OK);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox"),
	    events + 1);
}
END_TEST

/* Pages that must change nothing at all. */
static const char *const bad_pages[] = {
	"",
	"[]",
	"{\"cursor\": \"5\"}",
	"{\"products\": [], \"cursor\": {}}",
	"{\"products\": [], \"cursor\": \"5\", \"more\": 1}",
	"{\"products\": [{\"name\": \"x\"}], \"cursor\": \"5\"}",
	"{\"products\": [{\"sku\": \"SUG1\", \"price\": \"12\"}], \"cursor\": 5}",
	"{\"products\": [{\"sku\": \"SUG1\", \"price\": -5}], \"cursor\": 5}",
	"{\"products\": [{\"sku\": \"SUG1\", \"tax_class\": \"lots\"}], "
	    "\"cursor\": 5}",
	"{\"products\": [{\"sku\": \"SUG1\", \"barcodes\": [\"5901234123458\"]}], "
	    "\"cursor\": 5}",
	"{\"products\": [{\"sku\": \"SUG1\", \"barcodes\": [7]}], \"cursor\": 5}",
	/* The second product is bad: the first is not applied either. */
	"{\"products\": [{\"sku\": \"SUG1\", \"price\": 99}, {\"sku\": \"X\", "
	    "\"name\": \"\"}], \"cursor\": 5}",
};

START_TEST(catalog_malformed_changes_nothing)
{
	struct duka_err err = { 0, "" };
	struct product p;
	int64_t sugar, applied;
	int more = 7;

	sugar = add_product("SUG1", "Sugar 1kg", 15000);
	ck_assert_msg(sync_catalog_apply(db, bad_pages[_i],
	    strlen(bad_pages[_i]), &more, &applied, &err) != DUKA_OK,
	    "accepted: %s", bad_pages[_i]);
	ck_assert(err.msg[0] != '\0');
	ck_assert_int_eq(more, 0);
	ck_assert(catalog_product_get(db, sugar, &p, &err) == DUKA_OK);
	ck_assert_int_eq(p.price, 15000);
	ck_assert_str_eq(p.name, "Sugar 1kg");
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM products"), 1);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM sync_state"), 0);
}
END_TEST

/* ---------- a hub stand-in on loopback ---------- */

enum mock_mode {
	MOCK_ACCEPT,		/* accept every event; empty catalogue */
	MOCK_STATUS,		/* answer every request with status/body */
	MOCK_HANG,		/* read the request, never answer */
};

struct mock {
	int fd, port;
	pthread_t th;
	enum mock_mode mode;
	int status;
	const char *body;
	int stop;
	int requests;
	int events;
	int conns;
};

/*
 * Read one request from c into buf: headers and Content-Length body.
 * Gives up when the stand-in is stopped (a client may keep the connection
 * open).
 */
static int
mock_read(struct mock *m, int c, char *buf, size_t cap, char **body,
    size_t *blen)
{
	struct pollfd pf;
	size_t len = 0, want;
	char *end, *cl;
	ssize_t r;

	for (;;) {
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			cl = strcasestr(buf, "Content-Length:");
			want = cl != NULL && cl < end ?
			    (size_t)strtoul(cl + 15, NULL, 10) : 0;
			*body = end + 4;
			if ((size_t)(buf + len - *body) >= want) {
				*blen = want;
				return 0;
			}
		}
		if (len + 1 >= cap)
			return -1;
		pf.fd = c;
		pf.events = POLLIN;
		while (poll(&pf, 1, 20) == 0)
			if (__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE))
				return -1;
		r = read(c, buf + len, cap - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
	}
}

static void
mock_reply(int c, int status, const char *body)
{
	char head[256];
	ssize_t r;

	snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\n\r\n", status,
	    strlen(body));
	/* The client may hang up first (a reply too large): no SIGPIPE. */
	r = send(c, head, strlen(head), MSG_NOSIGNAL);
	r = send(c, body, strlen(body), MSG_NOSIGNAL);
	(void)r;
}

/* {"accepted": [every id of the batch]}. */
static char *
mock_accept_all(struct mock *m, const char *body, size_t len)
{
	json_t *root = json_loadb(body, len, 0, NULL), *root2, *ids, *ev;
	size_t i;
	char *out;

	ids = json_array();
	json_array_foreach(json_object_get(root, "events"), i, ev) {
		json_array_append(ids, json_object_get(ev, "id"));
		m->events++;
	}
	root2 = json_pack("{so}", "accepted", ids);
	out = json_dumps(root2, 0);
	json_decref(root2);
	json_decref(root);
	return out;
}

static void *
mock_main(void *arg)
{
	struct mock *m = arg;
	static char buf[2 * 1024 * 1024];
	struct pollfd pf;
	char *body, *out;
	size_t blen;
	int c;

	while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
		pf.fd = m->fd;
		pf.events = POLLIN;
		if (poll(&pf, 1, 20) <= 0)
			continue;
		if ((c = accept(m->fd, NULL, NULL)) < 0)
			continue;
		__atomic_add_fetch(&m->conns, 1, __ATOMIC_RELEASE);
		while (mock_read(m, c, buf, sizeof buf, &body, &blen) == 0) {
			__atomic_add_fetch(&m->requests, 1, __ATOMIC_RELEASE);
			if (m->mode == MOCK_HANG) {
				while (!__atomic_load_n(&m->stop,
				    __ATOMIC_ACQUIRE))
					usleep(10000);
				break;
			}
			if (m->mode == MOCK_STATUS)
				mock_reply(c, m->status, m->body);
			else if (strncmp(buf, "POST /v1/events", 15) == 0) {
				out = mock_accept_all(m, body, blen);
				mock_reply(c, 200, out);
				free(out);
			} else if (strncmp(buf, "GET /v1/catalog", 15) == 0)
				mock_reply(c, 200, "{\"products\": [], "
				    "\"cursor\": \"0\", \"more\": false}");
			else
				mock_reply(c, 200, "{\"ok\": true}");
		}
		close(c);
	}
	return NULL;
}

/* Start the stand-in on port (0: any free one). */
static void
mock_start_on(struct mock *m, int port, enum mock_mode mode, int status,
    const char *body)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	int one = 1;

	memset(m, 0, sizeof *m);
	m->mode = mode;
	m->status = status;
	m->body = body;
	m->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(m->fd, 0);
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(m->fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(m->fd, 8), 0);
	ck_assert_int_eq(getsockname(m->fd, (struct sockaddr *)&a, &alen), 0);
	m->port = ntohs(a.sin_port);
	ck_assert_int_eq(pthread_create(&m->th, NULL, mock_main, m), 0);
}

static void
mock_start(struct mock *m, enum mock_mode mode, int status, const char *body)
{
	mock_start_on(m, 0, mode, status, body);
}

static void
mock_stop(struct mock *m)
{
	__atomic_store_n(&m->stop, 1, __ATOMIC_RELEASE);
	pthread_join(m->th, NULL);
	close(m->fd);
}

static void
cfg_for(struct settings *cfg, int port)
{
	settings_defaults(cfg);
	snprintf(cfg->hub_url, sizeof cfg->hub_url, "http://127.0.0.1:%d/",
	    port);
	snprintf(cfg->hub_token, sizeof cfg->hub_token, "dk1.1.secret");
	cfg->hub_timeout_s = 5;
}

START_TEST(once_sends_everything)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct sync_status st;
	struct mock m;

	add_events(1234, 20);
	mock_start(&m, MOCK_ACCEPT, 0, NULL);
	cfg_for(&cfg, m.port);
	ck_assert_msg(sync_once(db, &cfg, &st, &err) == DUKA_OK, "%s",
	    err.msg);
	mock_stop(&m);
	ck_assert_int_eq(st.sent, 1234);
	ck_assert_int_eq(st.unsent, 0);
	ck_assert_int_eq(m.events, 1234);
	/* Three batches of events and one catalogue page. */
	ck_assert_int_eq(m.requests, 4);
	ck_assert_int_eq(count_state("sent"), 1234);
	ck_assert(st.online);
	ck_assert_str_eq(st.last_error, "");
	ck_assert(sync_status_read(db, &cfg, &st, &err) == DUKA_OK);
	ck_assert(st.online);
	ck_assert_int_gt(st.last_ok_at_ms, 0);
}
END_TEST

START_TEST(once_unreachable_fails_changes_nothing)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct sync_status st;
	struct mock m;
	int port;

	add_events(3, 20);
	/* A port that was just free: nobody listens there. */
	mock_start(&m, MOCK_STATUS, 200, "{}");
	port = m.port;
	mock_stop(&m);
	cfg_for(&cfg, port);
	ck_assert_int_eq(sync_once(db, &cfg, &st, &err), DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "cannot be reached") != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(count_state("pending"), 3);
	ck_assert(!st.online);
	ck_assert(st.last_error[0] != '\0');
	ck_assert(sync_status_read(db, &cfg, &st, &err) == DUKA_OK);
	ck_assert(!st.online);
	ck_assert_int_eq(st.unsent, 3);
}
END_TEST

/* Replies that must leave every event pending. */
static const struct {
	int status;
	const char *body;
	int code;
	const char *says;
} hub_failures[] = {
	{ 500, "{\"error\": \"database down\"}", DUKA_EFAIL, "database down" },
	{ 503, "", DUKA_EFAIL, "503" },
	{ 401, "{\"error\": \"bad token\"}", DUKA_ECONFIG, "token" },
	{ 403, "", DUKA_ECONFIG, "token" },
	{ 200, "{\"accepted\": 1}", DUKA_EFAIL, "reply" },
	{ 200, "<html>", DUKA_EFAIL, "reply" },
	{ 200, "{\"accepted\": []}", DUKA_EFAIL, "without" },
	{ 302, "", DUKA_EFAIL, "302" },
	/* Not a hub at that URL: no event is to blame. */
	{ 404, "<html>not found</html>", DUKA_EFAIL, "404" },
	{ 405, "", DUKA_EFAIL, "405" },
};

START_TEST(once_hub_failure_changes_nothing)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct sync_status st;
	struct mock m;

	add_events(3, 20);
	mock_start(&m, MOCK_STATUS, hub_failures[_i].status,
	    hub_failures[_i].body);
	cfg_for(&cfg, m.port);
	ck_assert_int_eq(sync_once(db, &cfg, &st, &err),
	    hub_failures[_i].code);
	mock_stop(&m);
	ck_assert_msg(strstr(err.msg, hub_failures[_i].says) != NULL, "%s",
	    err.msg);
	ck_assert_int_eq(count_state("pending"), 3);
	ck_assert_int_eq(m.requests, 1);
	ck_assert_int_eq(st.auth_failed, hub_failures[_i].code ==
	    DUKA_ECONFIG);
}
END_TEST

START_TEST(once_4xx_rejects_one_by_one)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct sync_status st;
	struct mock m;

	add_events(3, 20);
	mock_start(&m, MOCK_STATUS, 422, "{\"error\": \"bad event\"}");
	cfg_for(&cfg, m.port);
	/* Each alone is refused: all three are rejected, none dropped. */
	ck_assert_msg(sync_once(db, &cfg, &st, &err) == DUKA_EFAIL, "%s",
	    err.msg);
	mock_stop(&m);
	ck_assert_int_eq(count_state("rejected"), 3);
	ck_assert_int_eq(tu_int(db, "SELECT count(*) FROM outbox WHERE "
	    "last_error = 'HTTP 422: bad event'"), 3);
	ck_assert_int_eq(m.requests, 1 + 3 + 1);
	ck_assert_int_eq(st.rejected, 3);
}
END_TEST

START_TEST(once_demo_and_unconfigured)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct sync_status st;

	add_events(2, 3);
	settings_defaults(&cfg);
	ck_assert_int_eq(sync_once(db, &cfg, &st, &err), DUKA_ECONFIG);
	ck_assert(!st.configured);
	cfg_for(&cfg, 9);
	tu_exec(db, "INSERT INTO shop_meta(key, value) VALUES ('demo', '1')");
	ck_assert_int_eq(sync_once(db, &cfg, &st, &err), DUKA_EINPUT);
	ck_assert_msg(strstr(err.msg, "demo") != NULL, "%s", err.msg);
	ck_assert(st.demo);
	ck_assert_int_eq(count_state("pending"), 2);
}
END_TEST

/* ---------- the worker ---------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

START_TEST(worker_drains_and_wakes)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct sync_status st;
	struct settings cfg;
	struct mock m;
	int64_t t0;
	int p[2];
	char c;

	add_events(700, 20);
	mock_start(&m, MOCK_ACCEPT, 0, NULL);
	cfg_for(&cfg, m.port);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert(sync_worker_start(dbpath, &cfg, p[1], &w, &err) == DUKA_OK);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while ((st.unsent != 0 || !st.online) && now_ms() - t0 < 10000);
	ck_assert_int_eq(st.unsent, 0);
	ck_assert(st.online);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	/* Something new, then a kick: sent at once. */
	add_events(5, 20);
	sync_worker_kick(w);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while (count_state("pending") != 0 && now_ms() - t0 < 5000);
	ck_assert_int_eq(count_state("pending"), 0);
	ck_assert_int_lt(now_ms() - t0, 2000);
	sync_worker_stop(w);
	mock_stop(&m);
	ck_assert_int_eq(m.events, 705);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(worker_stops_promptly_mid_request)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct settings cfg;
	struct mock m;
	int64_t t0;

	add_events(3, 20);
	mock_start(&m, MOCK_HANG, 0, NULL);
	cfg_for(&cfg, m.port);
	cfg.hub_timeout_s = 60;
	ck_assert(sync_worker_start(dbpath, &cfg, -1, &w, &err) == DUKA_OK);
	t0 = now_ms();
	while (__atomic_load_n(&m.requests, __ATOMIC_ACQUIRE) == 0 &&
	    now_ms() - t0 < 5000)
		usleep(10000);
	ck_assert_int_eq(m.requests, 1);
	t0 = now_ms();
	sync_worker_stop(w);
	ck_assert_int_lt(now_ms() - t0, 1000);
	mock_stop(&m);
	ck_assert_int_eq(count_state("pending"), 3);
}
END_TEST

START_TEST(worker_demo_never_syncs)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct sync_status st;
	struct settings cfg;
	struct mock m;
	int64_t t0;

	add_events(3, 20);
	tu_exec(db, "INSERT INTO shop_meta(key, value) VALUES ('demo', '1')");
	mock_start(&m, MOCK_ACCEPT, 0, NULL);
	cfg_for(&cfg, m.port);
	ck_assert(sync_worker_start(dbpath, &cfg, -1, &w, &err) == DUKA_OK);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while (!st.demo && now_ms() - t0 < 5000);
	usleep(200000);
	sync_worker_status(w, &st);
	sync_worker_stop(w);
	mock_stop(&m);
	ck_assert(st.demo);
	ck_assert_int_eq(st.unsent, 3);
	ck_assert_msg(strstr(st.last_error, "demo") != NULL, "%s",
	    st.last_error);
	ck_assert_int_eq(m.requests, 0);
}
END_TEST

START_TEST(worker_resumes_when_the_hub_comes_back)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct sync_status st;
	struct settings cfg;
	struct mock m;
	int64_t t0;
	int port;

	add_events(600, 20);
	mock_start(&m, MOCK_STATUS, 200, "{}");
	port = m.port;
	mock_stop(&m);
	cfg_for(&cfg, port);
	ck_assert(sync_worker_start(dbpath, &cfg, -1, &w, &err) == DUKA_OK);
	/* Away long enough for a few failures and backoff to grow. */
	usleep(3500000);
	sync_worker_status(w, &st);
	ck_assert(!st.online);
	ck_assert_int_eq(st.unsent, 600);
	ck_assert(st.last_error[0] != '\0');
	mock_start_on(&m, port, MOCK_ACCEPT, 0, NULL);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while ((st.unsent != 0 || !st.online) && now_ms() - t0 < 10000);
	ck_assert_int_eq(st.unsent, 0);
	/* A health probe every SYNC_PROBE_MS: back within seconds. */
	ck_assert_int_lt(now_ms() - t0, SYNC_PROBE_MS + 1500);
	sync_worker_stop(w);
	mock_stop(&m);
	ck_assert_int_eq(m.events, 600);
}
END_TEST

START_TEST(worker_idle_notices_the_hub_gone)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct sync_status st;
	struct settings cfg;
	struct mock m;
	int64_t t0;

	mock_start(&m, MOCK_ACCEPT, 0, NULL);
	cfg_for(&cfg, m.port);
	ck_assert(sync_worker_start(dbpath, &cfg, -1, &w, &err) == DUKA_OK);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while (!st.online && now_ms() - t0 < 5000);
	ck_assert(st.online);
	/* Nothing to send; the hub goes away: the idle health check tells. */
	mock_stop(&m);
	t0 = now_ms();
	do {
		usleep(50000);
		sync_worker_status(w, &st);
	} while (st.online && now_ms() - t0 < 15000);
	sync_worker_stop(w);
	ck_assert(!st.online);
	ck_assert(st.last_error[0] != '\0');
}
END_TEST

START_TEST(worker_stops_pushing_on_401)
{
	struct duka_err err = { 0, "" };
	struct sync_worker *w;
	struct sync_status st;
	struct settings cfg;
	struct mock m;
	int64_t t0;

	add_events(3, 20);
	mock_start(&m, MOCK_STATUS, 401, "{\"error\": \"unknown token\"}");
	cfg_for(&cfg, m.port);
	ck_assert(sync_worker_start(dbpath, &cfg, -1, &w, &err) == DUKA_OK);
	t0 = now_ms();
	do {
		usleep(20000);
		sync_worker_status(w, &st);
	} while (!st.auth_failed && now_ms() - t0 < 5000);
	ck_assert(st.auth_failed);
	ck_assert_msg(strstr(st.last_error, "token") != NULL, "%s",
	    st.last_error);
	sync_worker_kick(w);
	usleep(300000);
	sync_worker_stop(w);
	mock_stop(&m);
	ck_assert_int_eq(m.requests, 1);
	ck_assert_int_eq(count_state("pending"), 3);
}
END_TEST

/* ---------- http.c ---------- */

/* One GET of path on port with timeout_ms, cancel may be NULL. */
static int
http_get(struct http *h, int port, const char *path, long timeout_ms,
    const int *cancel, struct http_response *res, struct duka_err *err)
{
	struct http_request req = { 0 };
	char url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	req.method = "GET";
	req.url = url;
	req.timeout_ms = timeout_ms;
	req.cancel = cancel;
	return http_do(h, &req, res, err);
}

START_TEST(http_refused_was_not_sent)
{
	struct duka_err err = { 0, "" };
	struct http_response res;
	struct http *h;
	struct mock m;
	int port;

	mock_start(&m, MOCK_STATUS, 200, "{}");
	port = m.port;
	mock_stop(&m);
	ck_assert(http_new(&h, &err) == DUKA_OK);
	ck_assert_int_eq(http_get(h, port, "/", 2000, NULL, &res, &err),
	    DUKA_EFAIL);
	ck_assert_int_eq(res.status, 0);
	ck_assert_int_eq(res.maybe_sent, 0);
	ck_assert_int_eq(res.timed_out, 0);
	ck_assert_msg(strstr(err.msg, "127.0.0.1") != NULL, "%s", err.msg);
	http_response_clear(&res);
	http_free(h);
}
END_TEST

START_TEST(http_timeout_may_have_been_sent)
{
	struct duka_err err = { 0, "" };
	struct http_response res;
	struct http *h;
	struct mock m;
	int64_t t0;

	mock_start(&m, MOCK_HANG, 0, NULL);
	ck_assert(http_new(&h, &err) == DUKA_OK);
	t0 = now_ms();
	ck_assert_int_eq(http_get(h, m.port, "/", 300, NULL, &res, &err),
	    DUKA_EFAIL);
	ck_assert_int_lt(now_ms() - t0, 1500);
	ck_assert_int_eq(res.timed_out, 1);
	ck_assert_int_eq(res.maybe_sent, 1);
	ck_assert_msg(strstr(err.msg, "in time") != NULL, "%s", err.msg);
	http_response_clear(&res);
	http_free(h);
	mock_stop(&m);
}
END_TEST

static int cancel_flag;

static void *
cancel_later(void *arg)
{
	(void)arg;
	usleep(150000);
	__atomic_store_n(&cancel_flag, 1, __ATOMIC_RELEASE);
	return NULL;
}

START_TEST(http_cancel_is_prompt)
{
	struct duka_err err = { 0, "" };
	struct http_response res;
	struct http *h;
	struct mock m;
	pthread_t th;
	int64_t t0;

	mock_start(&m, MOCK_HANG, 0, NULL);
	ck_assert(http_new(&h, &err) == DUKA_OK);
	cancel_flag = 0;
	pthread_create(&th, NULL, cancel_later, NULL);
	t0 = now_ms();
	ck_assert_int_eq(http_get(h, m.port, "/", 20000, &cancel_flag, &res,
	    &err), DUKA_EFAIL);
	ck_assert_int_lt(now_ms() - t0, 600);
	ck_assert_msg(strstr(err.msg, "cancelled") != NULL, "%s", err.msg);
	pthread_join(th, NULL);
	http_response_clear(&res);
	http_free(h);
	mock_stop(&m);
}
END_TEST

START_TEST(http_body_capped_and_connection_reused)
{
	struct duka_err err = { 0, "" };
	struct http_response res;
	struct http *h;
	struct mock m;
	char *big;

	big = malloc(HTTP_BODY_MAX + 2);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', HTTP_BODY_MAX + 1);
	big[HTTP_BODY_MAX + 1] = '\0';
	mock_start(&m, MOCK_STATUS, 200, big);
	ck_assert(http_new(&h, &err) == DUKA_OK);
	ck_assert_int_eq(http_get(h, m.port, "/", 5000, NULL, &res, &err),
	    DUKA_EFAIL);
	ck_assert_msg(strstr(err.msg, "too large") != NULL, "%s", err.msg);
	ck_assert_ptr_null(res.body);
	http_response_clear(&res);
	mock_stop(&m);
	big[HTTP_BODY_MAX] = '\0';	/* exactly the cap: accepted */
	mock_start(&m, MOCK_STATUS, 503, big);
	ck_assert(http_get(h, m.port, "/", 5000, NULL, &res, &err) == DUKA_OK);
	ck_assert_int_eq(res.status, 503);
	ck_assert_uint_eq(res.len, HTTP_BODY_MAX);
	ck_assert_int_eq(res.body[res.len], '\0');
	http_response_clear(&res);
	ck_assert(http_get(h, m.port, "/", 5000, NULL, &res, &err) == DUKA_OK);
	http_response_clear(&res);
	ck_assert(http_get(h, m.port, "/", 5000, NULL, &res, &err) == DUKA_OK);
	http_response_clear(&res);
	http_free(h);
	mock_stop(&m);
	/* Three requests, one connection (keep-alive). */
	ck_assert_int_eq(m.requests, 3);
	ck_assert_int_eq(m.conns, 1);
	free(big);
}
END_TEST

static Suite *
sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tc;

	tc = tcase_create("pieces");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, backoff_grows_capped_jittered);
	tcase_add_test(tc, batch_at_most_500_events);
	tcase_add_test(tc, batch_at_most_1_mib);
	tcase_add_test(tc, batch_oversized_and_empty);
	tcase_add_test(tc, batch_escapes_strings);
	tcase_add_test(tc, reply_accepted_duplicate_rejected);
	tcase_add_test(tc, reply_partial_leaves_pending);
	tcase_add_loop_test(tc, reply_malformed_changes_nothing, 0,
	    NELEM(bad_replies));
	tcase_add_test(tc, catalog_apply_prices_not_stock);
	tcase_add_loop_test(tc, catalog_malformed_changes_nothing, 0,
	    NELEM(bad_pages));
	suite_add_tcase(s, tc);

	tc = tcase_create("network");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, once_sends_everything);
	tcase_add_test(tc, once_unreachable_fails_changes_nothing);
	tcase_add_loop_test(tc, once_hub_failure_changes_nothing, 0,
	    NELEM(hub_failures));
	tcase_add_test(tc, once_4xx_rejects_one_by_one);
	tcase_add_test(tc, once_demo_and_unconfigured);
	tcase_add_test(tc, worker_drains_and_wakes);
	tcase_add_test(tc, worker_stops_promptly_mid_request);
	tcase_add_test(tc, worker_demo_never_syncs);
	tcase_add_test(tc, worker_resumes_when_the_hub_comes_back);
	tcase_add_test(tc, worker_stops_pushing_on_401);
	tcase_add_test(tc, worker_idle_notices_the_hub_gone);
	suite_add_tcase(s, tc);

	tc = tcase_create("http");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, http_refused_was_not_sent);
	tcase_add_test(tc, http_timeout_may_have_been_sent);
	tcase_add_test(tc, http_cancel_is_prompt);
	tcase_add_test(tc, http_body_capped_and_connection_reused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(sync_suite());
}
