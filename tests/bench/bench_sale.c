/*
 * bench_sale.c - the latency of a durable sale, beside plain SQLite
 * writing the same rows. Prints figures; never fails on time.
 *
 * A shop of 1000 products with three batches each (distinct expiry dates,
 * received in an order that is not FEFO order, the first to expire small
 * enough to run out during the run) sells BENCH_SALES (default 2000) sales
 * of 10 lines through cart_add and sale_commit, synchronous=FULL as duka
 * opens every database; each commit is timed.
 *
 * The baseline, in the same run: a second database built the same way
 * (same schema, same shop), opened with plain sqlite3_open_v2 and the same
 * pragmas (WAL, synchronous=FULL, foreign_keys, temp_store=MEMORY), replays
 * the rows duka wrote for each sale in one BEGIN IMMEDIATE ... COMMIT with
 * plain prepared statements: the receipt counter, the sale, its 10 lines,
 * the stock movements with their batch and product updates, the
 * allocations, the payment, the outbox row and the audit row. Each sale is
 * replayed right after duka committed it (the two alternate, so both meet
 * the same machine), its rows read from duka's database outside the
 * timing: the baseline does no lookup, no FEFO and no JSON. It is the
 * floor for writing these rows durably.
 *
 * Usage: bench_sale [DIR] (a temporary folder by default, removed after).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cart.h"
#include "catalog.h"
#include "db.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"

#define NPRODUCTS 1000
#define LINES 10
#define DEFAULT_SALES 2000
#define TILL "B1"
#define MAXROWS 64		/* rows of one table for one sale */
#define MAXCOLS 18

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_sale: %s: %s\n", what, msg);
	exit(1);
}

/* A small reproducible generator (splitmix64). */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Figures of n latencies: sorted in place; total is their sum. */
struct figures {
	int64_t p50, p99, max, total;
};

static void
figures(int64_t *ns, int n, struct figures *f)
{
	int i;

	f->total = 0;
	for (i = 0; i < n; i++)
		f->total += ns[i];
	qsort(ns, (size_t)n, sizeof *ns, cmp_i64);
	f->p50 = ns[n / 2];
	f->p99 = ns[(n * 99) / 100];
	f->max = ns[n - 1];
}

static void
print_figures(const char *what, int n, const struct figures *f)
{
	printf("%-30s n=%-5d p50=%lld.%03lld ms  p99=%lld.%03lld ms  "
	    "max=%lld.%03lld ms  %lld sales/s\n", what, n,
	    (long long)(f->p50 / 1000000), (long long)(f->p50 / 1000 % 1000),
	    (long long)(f->p99 / 1000000), (long long)(f->p99 / 1000 % 1000),
	    (long long)(f->max / 1000000), (long long)(f->max / 1000 % 1000),
	    (long long)((int64_t)n * 1000000000 / f->total));
}

/* a / b as "1.23", from integers. */
static void
ratio(const char *what, int64_t a, int64_t b)
{
	int64_t r = b > 0 ? (a * 100 + b / 2) / b : 0;

	printf(" %s %lld.%02lld", what, (long long)(r / 100),
	    (long long)(r % 100));
}

/*
 * The shop: NPRODUCTS products, three batches each, an open shift. Built
 * in one transaction; the same in both databases (same ids).
 */
static void
shop_build(struct db *db, struct product *prod)
{
	static const struct {
		const char *expiry;
		int64_t units;
	} batch[3] = {
		{ "2090-06-15", 100000 }, { "2090-01-15", 25 },
		{ "2090-03-15", 30 },
	};
	struct stock_receipt r;
	struct duka_err err;
	int64_t shift;
	int i, b;

	if (db_begin(db, &err) != DUKA_OK)
		die("begin", err.msg);
	for (i = 0; i < NPRODUCTS; i++) {
		struct product *p = &prod[i];

		product_init(p);
		snprintf(p->sku, sizeof p->sku, "BS%05d", i);
		snprintf(p->name, sizeof p->name, "Bench product %d", i);
		p->price = 100 + (int64_t)(i * 7919 % 50000);
		p->cost = p->price * 3 / 4;
		p->tax = (enum tax_class)(i % 3);
		p->tracks_expiry = 1;
		if (catalog_product_add(db, p, "bench", &err) != DUKA_OK)
			die("adding a product", err.msg);
		for (b = 0; b < 3; b++) {
			stock_receipt_init(&r);
			r.product_id = p->id;
			r.qty = batch[b].units * 1000;
			snprintf(r.batch_no, sizeof r.batch_no, "L%d-%d", i, b);
			snprintf(r.expiry, sizeof r.expiry, "%s",
			    batch[b].expiry);
			r.unit_cost = p->cost;
			r.user = "bench";
			if (stock_receive(db, &r, NULL, &err) != DUKA_OK)
				die("receiving stock", err.msg);
		}
	}
	if (db_commit(db, &err) != DUKA_OK)
		die("commit", err.msg);
	if (shift_open(db, TILL, 500000, "bench", &shift, &err) != DUKA_OK)
		die("opening the shift", err.msg);
	for (i = 0; i < NPRODUCTS; i++)
		if (catalog_product_get(db, prod[i].id, &prod[i], &err) !=
		    DUKA_OK)
			die("reading a product", err.msg);
}

/* Make a database at path with the shop in it. */
static struct db *
shop_new(const char *path, struct product *prod)
{
	struct duka_err err;
	struct db *db;

	if (db_open(path, DB_OPEN_CREATE, &db, &err) != DUKA_OK)
		die(path, err.msg);
	shop_build(db, prod);
	return db;
}

/* The products and quantities of sale s: 10 distinct products. */
static void
sale_plan(uint64_t *seed, int *pi, int64_t *qty)
{
	int i, j;

	for (i = 0; i < LINES; i++) {
again:
		pi[i] = (int)(rnd(seed) % NPRODUCTS);
		for (j = 0; j < i; j++)
			if (pi[j] == pi[i])
				goto again;
		qty[i] = (int64_t)(1 + rnd(seed) % 3) * 1000;
	}
}

/* Rows of one table for one sale, copied out of duka's database. */
struct rows {
	int n, cols;
	sqlite3_value *v[MAXROWS][MAXCOLS];
};

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return st;
}

/* Run st (bound to key) and copy every row into r. */
static void
load(sqlite3_stmt *st, int64_t key, struct rows *r)
{
	int i;

	r->n = 0;
	r->cols = sqlite3_column_count(st);
	sqlite3_bind_int64(st, 1, key);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (r->n == MAXROWS)
			die("load", "too many rows for one sale");
		for (i = 0; i < r->cols; i++)
			r->v[r->n][i] = sqlite3_value_dup(
			    sqlite3_column_value(st, i));
		r->n++;
	}
	sqlite3_reset(st);
}

static void
unload(struct rows *r)
{
	int i, j;

	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->cols; j++)
			sqlite3_value_free(r->v[i][j]);
	r->n = 0;
}

/* Bind columns from..from+count-1 of row i of r to st's parameters 1.. */
static void
bind_row(sqlite3_stmt *st, const struct rows *r, int i, int from, int count)
{
	int j;

	for (j = 0; j < count; j++)
		sqlite3_bind_value(st, j + 1, r->v[i][from + j]);
}

static void
step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		die(what, sqlite3_errmsg(db));
	sqlite3_reset(st);
}

/* The plain SQLite statements of the replay. */
struct plain {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *counter, *sale, *line, *move, *batch,
	    *product, *alloc, *payment, *event, *audit;
};

static void
plain_open(const char *path, struct plain *p)
{
	if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		die(path, sqlite3_errmsg(p->db));
	if (sqlite3_exec(p->db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		die("pragmas", sqlite3_errmsg(p->db));
	p->begin = prep(p->db, "BEGIN IMMEDIATE");
	p->commit = prep(p->db, "COMMIT");
	p->counter = prep(p->db, "INSERT INTO receipt_counters(till_id, "
	    "last_no) VALUES (?1, 1) ON CONFLICT(till_id) DO UPDATE SET "
	    "last_no = last_no + 1 RETURNING last_no");
	p->sale = prep(p->db, "INSERT INTO sales(id, till_id, receipt_no, "
	    "kind, refund_of, state, shift_id, cart_token, customer_id, "
	    "user_name, approved_by, shelf_gross, gross, discount, total, vat, "
	    "at, business_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
	p->line = prep(p->db, "INSERT INTO sale_lines(sale_id, line_no, "
	    "product_id, sku, name, unit, tax_class, qty, shelf_price, "
	    "unit_price, line_discount, sale_discount, amount, vat, "
	    "refund_of_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15)");
	p->move = prep(p->db, "INSERT INTO stock_movements(id, product_id, "
	    "batch_id, qty, reason, unit_cost, unit_price, reference, "
	    "user_name, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11)");
	p->batch = prep(p->db, "UPDATE batches SET qty_remaining = "
	    "qty_remaining + ?2 WHERE id = ?1 AND product_id = ?3");
	p->product = prep(p->db, "UPDATE products SET stock_qty = stock_qty + "
	    "?2 WHERE id = ?1");
	p->alloc = prep(p->db, "INSERT INTO sale_allocations(sale_id, "
	    "line_no, movement_id, batch_id, qty, unit_cost) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6)");
	p->payment = prep(p->db, "INSERT INTO payments(id, sale_id, method, "
	    "state, amount, tendered, change_due, reference, verified, "
	    "customer_id, phone, created_at, updated_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
	p->event = prep(p->db, "INSERT INTO outbox(seq, id, type, at, data) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)");
	p->audit = prep(p->db, "INSERT INTO audit_log(id, at, user_name, "
	    "action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7)");
}

static void
plain_close(struct plain *p)
{
	sqlite3_stmt *all[] = { p->begin, p->commit, p->counter, p->sale,
	    p->line, p->move, p->batch, p->product, p->alloc, p->payment,
	    p->event, p->audit };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		sqlite3_finalize(all[i]);
	sqlite3_close(p->db);
}

/* What one sale wrote, read from duka's database. */
struct sale_rows {
	struct rows sale, lines, moves, pays, event, audit;
};

/* Movement columns 1..11 of the moves query, allocation 12..17. */
#define MOVE_LINE 0
#define MOVE_FROM 1
#define MOVE_COLS 11
#define ALLOC_FROM 12
#define ALLOC_COLS 6

/* The queries that read one sale's rows out of duka's database. */
struct source {
	sqlite3 *db;
	sqlite3_stmt *sale, *lines, *moves, *pays, *event, *audit;
};

static void
source_open(const char *path, struct source *q)
{
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die(path, sqlite3_errmsg(q->db));
	q->sale = prep(q->db, "SELECT id, till_id, receipt_no, kind, "
	    "refund_of, state, shift_id, cart_token, customer_id, user_name, "
	    "approved_by, shelf_gross, gross, discount, total, vat, at, "
	    "business_day FROM sales WHERE id = ?1");
	q->lines = prep(q->db, "SELECT sale_id, line_no, product_id, sku, "
	    "name, unit, tax_class, qty, shelf_price, unit_price, "
	    "line_discount, sale_discount, amount, vat, refund_of_line FROM "
	    "sale_lines WHERE sale_id = ?1 ORDER BY line_no");
	q->moves = prep(q->db, "SELECT a.line_no, m.id, m.product_id, "
	    "m.batch_id, m.qty, m.reason, m.unit_cost, m.unit_price, "
	    "m.reference, m.user_name, m.note, m.at, a.sale_id, a.line_no, "
	    "a.movement_id, a.batch_id, a.qty, a.unit_cost FROM "
	    "sale_allocations a JOIN stock_movements m ON m.id = "
	    "a.movement_id WHERE a.sale_id = ?1 ORDER BY a.line_no, m.id");
	q->pays = prep(q->db, "SELECT id, sale_id, method, state, amount, "
	    "tendered, change_due, reference, verified, customer_id, phone, "
	    "created_at, updated_at FROM payments WHERE sale_id = ?1 ORDER BY "
	    "id");
	/* The sale was the last thing committed: its event and audit row
	 * are the last of their kind (the last column checks it). */
	q->event = prep(q->db, "SELECT seq, id, type, at, data, "
	    "json_extract(data, '$.sale_id') = ?1 FROM outbox WHERE type = "
	    "'sale.completed' ORDER BY seq DESC LIMIT 1");
	q->audit = prep(q->db, "SELECT id, at, user_name, action, entity, "
	    "entity_id, detail, entity_id = ?1 FROM audit_log WHERE action = "
	    "'sale.commit' ORDER BY id DESC LIMIT 1");
}

static void
source_close(struct source *q)
{
	sqlite3_finalize(q->sale);
	sqlite3_finalize(q->lines);
	sqlite3_finalize(q->moves);
	sqlite3_finalize(q->pays);
	sqlite3_finalize(q->event);
	sqlite3_finalize(q->audit);
	sqlite3_close(q->db);
}

/* Read everything sale_id wrote. */
static void
source_load(struct source *q, int64_t sale_id, struct sale_rows *r)
{
	load(q->sale, sale_id, &r->sale);
	load(q->lines, sale_id, &r->lines);
	load(q->moves, sale_id, &r->moves);
	load(q->pays, sale_id, &r->pays);
	load(q->event, sale_id, &r->event);
	load(q->audit, sale_id, &r->audit);
	if (r->sale.n != 1 || r->event.n != 1 || r->audit.n != 1 ||
	    !sqlite3_value_int(r->event.v[0][5]) ||
	    !sqlite3_value_int(r->audit.v[0][7]))
		die("baseline", "a sale's rows are missing");
}

static void
source_unload(struct sale_rows *r)
{
	unload(&r->sale);
	unload(&r->lines);
	unload(&r->moves);
	unload(&r->pays);
	unload(&r->event);
	unload(&r->audit);
}

/* Write the rows r in one transaction with plain statements. */
static void
replay(struct plain *p, const struct sale_rows *r)
{
	int i, j, k;

	step_done(p->db, p->begin, "BEGIN");
	sqlite3_bind_text(p->counter, 1, TILL, -1, SQLITE_STATIC);
	step_done(p->db, p->counter, "receipt counter");
	bind_row(p->sale, &r->sale, 0, 0, r->sale.cols);
	step_done(p->db, p->sale, "sale");
	for (i = 0, k = 0; i < r->lines.n; i++) {
		int64_t line = sqlite3_value_int64(r->lines.v[i][1]);
		int first = k;

		bind_row(p->line, &r->lines, i, 0, r->lines.cols);
		step_done(p->db, p->line, "line");
		for (; k < r->moves.n && sqlite3_value_int64(
		    r->moves.v[k][MOVE_LINE]) == line; k++) {
			bind_row(p->move, &r->moves, k, MOVE_FROM, MOVE_COLS);
			step_done(p->db, p->move, "movement");
			if (sqlite3_value_type(r->moves.v[k][3]) !=
			    SQLITE_NULL) {
				sqlite3_bind_value(p->batch, 1,
				    r->moves.v[k][3]);
				sqlite3_bind_value(p->batch, 2,
				    r->moves.v[k][4]);
				sqlite3_bind_value(p->batch, 3,
				    r->moves.v[k][2]);
				step_done(p->db, p->batch, "batch");
			}
			sqlite3_bind_value(p->product, 1, r->moves.v[k][2]);
			sqlite3_bind_value(p->product, 2, r->moves.v[k][4]);
			step_done(p->db, p->product, "product");
		}
		for (j = first; j < k; j++) {
			bind_row(p->alloc, &r->moves, j, ALLOC_FROM,
			    ALLOC_COLS);
			step_done(p->db, p->alloc, "allocation");
		}
	}
	for (i = 0; i < r->pays.n; i++) {
		bind_row(p->payment, &r->pays, i, 0, r->pays.cols);
		step_done(p->db, p->payment, "payment");
	}
	bind_row(p->event, &r->event, 0, 0, 5);
	step_done(p->db, p->event, "event");
	bind_row(p->audit, &r->audit, 0, 0, 7);
	step_done(p->db, p->audit, "audit");
	step_done(p->db, p->commit, "COMMIT");
}

/*
 * Sell n sales through duka and replay each one at once in the baseline,
 * so that both see the same machine at the same moment. lat_duka[i] and
 * lat_plain[i] are the i-th commit's latencies; busy_* the sums of the
 * loop's own work (the carts for duka).
 */
static void
run(struct db *db, const struct product *prod, struct source *src,
    struct plain *p, int n, int64_t *lat_duka, int64_t *lat_plain)
{
	static struct sale_rows rows;
	struct settings cfg;
	struct sale_request req;
	struct sale_result res;
	struct duka_err err;
	struct tender t;
	struct cart *c;
	char token[32];
	uint64_t seed = 42;
	int64_t qty[LINES], t0;
	int pi[LINES], s, i;

	settings_defaults(&cfg);
	if ((c = cart_new()) == NULL)
		die("cart", "out of memory");
	for (s = 0; s < n; s++) {
		sale_plan(&seed, pi, qty);
		cart_clear(c);
		for (i = 0; i < LINES; i++)
			if (cart_add(c, &prod[pi[i]], qty[i], &err) != DUKA_OK)
				die("cart_add", err.msg);
		memset(&t, 0, sizeof t);
		t.method = PAY_CASH;
		t.amount = (c->sum.total / 100000 + 1) * 100000;
		snprintf(token, sizeof token, "bench-%d", s);
		memset(&req, 0, sizeof req);
		req.cart = c;
		req.tenders = &t;
		req.ntenders = 1;
		req.till_id = TILL;
		req.user = "bench";
		req.cart_token = token;
		t0 = now_ns();
		if (sale_commit(db, &req, &cfg, &res, &err) != DUKA_OK)
			die("sale_commit", err.msg);
		lat_duka[s] = now_ns() - t0;

		source_load(src, res.sale_id, &rows);
		t0 = now_ns();
		replay(p, &rows);
		lat_plain[s] = now_ns() - t0;
		source_unload(&rows);
	}
	cart_free(c);
}

/* The same figures from both databases, or 0 and a message. */
static int
same_rows(sqlite3 *a, sqlite3 *b)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM sales",
		"SELECT count(*) FROM sale_lines",
		"SELECT count(*) FROM sale_allocations",
		"SELECT count(*) FROM stock_movements",
		"SELECT count(*) FROM payments",
		"SELECT count(*) FROM outbox",
		"SELECT count(*) FROM audit_log",
		"SELECT sum(qty_remaining) FROM batches",
		"SELECT sum(stock_qty) FROM products",
		"SELECT last_no FROM receipt_counters",
	};
	sqlite3_stmt *sa, *sb;
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sa = prep(a, sql[i]);
		sb = prep(b, sql[i]);
		if (sqlite3_step(sa) != SQLITE_ROW ||
		    sqlite3_step(sb) != SQLITE_ROW ||
		    sqlite3_column_int64(sa, 0) != sqlite3_column_int64(sb, 0)) {
			fprintf(stderr, "bench_sale: the baseline differs: %s\n",
			    sql[i]);
			ok = 0;
		}
		sqlite3_finalize(sa);
		sqlite3_finalize(sb);
	}
	return ok;
}

static int64_t
one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = prep(db, sql);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ?
	    sqlite3_column_int64(st, 0) : -1;

	sqlite3_finalize(st);
	return v;
}

int
main(int argc, char **argv)
{
	static struct product prod[NPRODUCTS];
	char dir[256], duka_path[300], plain_path[300], path[320];
	struct figures fd, fp;
	struct source src;
	struct plain p;
	struct db *db;
	int64_t *lat_duka, *lat_plain, allocs;
	const char *env = getenv("BENCH_SALES");
	int n = env != NULL && atoi(env) > 0 ? atoi(env) : DEFAULT_SALES;
	int tmp = argc < 2;
	size_t i;

	if (argc > 2) {
		fprintf(stderr, "usage: bench_sale [DIR]\n");
		return 2;
	}
	if (tmp) {
		snprintf(dir, sizeof dir, "%s/duka-bench-sale-XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			die("mkdtemp", dir);
	} else
		snprintf(dir, sizeof dir, "%s", argv[1]);
	snprintf(duka_path, sizeof duka_path, "%s/sale.db", dir);
	snprintf(plain_path, sizeof plain_path, "%s/plain.db", dir);
	lat_duka = calloc((size_t)n, sizeof *lat_duka);
	lat_plain = calloc((size_t)n, sizeof *lat_plain);
	if (lat_duka == NULL || lat_plain == NULL)
		die("memory", "out of memory");

	printf("== durable sale: %d products x 3 batches, %d sales of %d "
	    "lines (FEFO), synchronous=FULL\n", NPRODUCTS, n, LINES);
	/* Both shops are built by duka; the baseline's is then reopened
	 * with plain SQLite. */
	db = shop_new(plain_path, prod);
	db_close(db);
	db = shop_new(duka_path, prod);
	plain_open(plain_path, &p);
	source_open(duka_path, &src);
	run(db, prod, &src, &p, n, lat_duka, lat_plain);
	if (!same_rows(src.db, p.db))
		return 1;
	allocs = one(src.db, "SELECT count(*) FROM sale_allocations");
	source_close(&src);
	plain_close(&p);
	db_close(db);

	figures(lat_duka, n, &fd);
	figures(lat_plain, n, &fp);
	print_figures("duka sale_commit", n, &fd);
	print_figures("plain SQLite, same rows", n, &fp);
	printf("ratio duka/plain:");
	ratio("p50", fd.p50, fp.p50);
	ratio("p99", fd.p99, fp.p99);
	ratio("time per sale", fd.total, fp.total);
	printf("\n");
	printf("per sale: 1 sale, %d lines, %lld.%02lld stock movements and "
	    "allocations, 1 payment, 1 event, 1 audit row\n", LINES,
	    (long long)(allocs / n), (long long)(allocs * 100 / n % 100));

	if (tmp) {
		static const char *const suffix[] = { "", "-wal", "-shm" };

		for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
			snprintf(path, sizeof path, "%s%s", duka_path,
			    suffix[i]);
			unlink(path);
			snprintf(path, sizeof path, "%s%s", plain_path,
			    suffix[i]);
			unlink(path);
		}
		rmdir(dir);
	}
	free(lat_duka);
	free(lat_plain);
	return 0;
}
