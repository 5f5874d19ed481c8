/*
 * check_crash.c - a till killed at any instant loses no half of a sale.
 *
 * A child process opens the database on its own connection and commits
 * sales in a loop (1 to 5 lines from 20 products with three batches each,
 * FEFO across batches, split tenders, cash, M-PESA, card, account, a
 * pending prompt now and then). The parent kills it with SIGKILL at a
 * pseudo-random moment, reopens the database and proves that every sale
 * is whole or absent: duka check (check_all) finds nothing, every sale has
 * its payments, its sale.completed event and its audit row, account
 * balances equal their payments, no stock movement of a sale is orphaned,
 * and exactly the sales the child reported (plus at most the one it was
 * committing) are there, with the receipt numbers it was given.
 *
 * The child reports its progress through a pipe, one record per step:
 * 'R' when the database is open, 'B' before sale_commit, 'T' when the
 * transaction begins (BEGIN), 'C' when SQLite starts the COMMIT (commit
 * hook) and 'E' when sale_commit returned. The last record before the kill
 * says what was interrupted. Every third kill waits for the 2nd to 5th
 * 'T' and then for 0-3 ms, so that kills land inside the transaction and
 * inside the COMMIT; one in ten of the others waits 0-3 ms from the fork,
 * to land while the child opens the database (and recovers the WAL the
 * last kill left), and the rest wait 0-30 ms from 'R', so that a slow
 * machine still sells before the kill.
 * After each kill, the sale that was being committed is committed again by
 * the parent with the same cart token, as a restarted till would: it must
 * come back as the same receipt if it had been saved, or as the next
 * receipt number if it had not.
 *
 * DUKA_CRASH_KILLS sets the number of kills (default 200; tests/crash.sh
 * runs 1000), DUKA_CRASH_SEED the seed of the pseudo-random choices (the
 * kill moments still vary from run to run with the machine's timing), and
 * DUKA_CRASH_KEEP=1 keeps the database of a run that passed. A failure
 * always keeps it and names it.
 * SIGKILL tests a crash of the program, not a power cut: what the kernel
 * was given survives.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include "cart.h"
#include "catalog.h"
#include "check.h"
#include "db.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"
#include "testutil.h"

#define NPRODUCTS 20
#define NWEIGHED 4		/* the last NWEIGHED products are sold by kg */
#define NCUSTOMERS 2
#define TILL "T1"
#define DEFAULT_KILLS 200
#define DEFAULT_SEED UINT64_C(20261125)

/* One progress record from the child; small enough to be written whole. */
struct rec {
	char tag;		/* 'R', 'B', 'T', 'C', 'E' */
	uint32_t k;		/* the attempt */
	int64_t receipt_no;	/* 'E' only */
};

static char shop_path[512];
static struct product prod[NPRODUCTS];
static int64_t customer[NCUSTOMERS];
static struct settings cfg;
static uint64_t seed = DEFAULT_SEED;
static int progress_fd = -1;	/* the child's end of the pipe */
static uint32_t progress_k;	/* the child's current attempt */
static int quiet;		/* problems are expected: do not print them */

/* splitmix64: a small, good, reproducible generator. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* An integer in [lo, hi]. */
static int64_t
rnd_in(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

static long
env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 ? n : def;
}

static void
sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The cart token of attempt k of cycle: unique per attempt. */
static void
token_of(uint32_t cycle, uint32_t k, char out[48])
{
	snprintf(out, 48, "crash-%u-%u", cycle, k);
}

/* An M-PESA code unique to the attempt: Q and nine base-36 digits. */
static void
mpesa_of(uint32_t cycle, uint32_t k, char out[PAY_REF_MAX])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint64_t v = (uint64_t)cycle * 1000000 + k;
	int i;

	out[0] = 'Q';
	for (i = 9; i >= 1; i--) {
		out[i] = digits[v % 36];
		v /= 36;
	}
	out[10] = '\0';
}

/*
 * The sale of attempt k of cycle, the same every time it is asked for:
 * the child commits it and the parent can commit it again after a kill.
 */
static void
make_sale(uint32_t cycle, uint32_t k, struct cart *c, struct tender *t,
    int *nt, char token[48])
{
	uint64_t s = seed ^ ((uint64_t)cycle << 32 | k);
	struct duka_err err;
	int64_t total, part;
	int i, n, p;

	rnd(&s);
	cart_clear(c);
	n = (int)rnd_in(&s, 1, 5);
	for (i = 0; i < n; i++) {
		p = (int)rnd_in(&s, 0, NPRODUCTS - 1);
		if (cart_add(c, &prod[p], prod[p].unit == UNIT_PIECE ?
		    rnd_in(&s, 1, 6) * 1000 : rnd_in(&s, 250, 2500),
		    &err) != DUKA_OK) {
			fprintf(stderr, "cart_add: %s\n", err.msg);
			_exit(5);
		}
	}
	if (rnd_in(&s, 0, 7) == 0)
		(void)cart_sale_discount_percent(c, 500, &err);
	total = c->sum.total;
	memset(t, 0, 3 * sizeof *t);
	part = total > 1 ? rnd_in(&s, 1, total - 1) : 0;
	switch (rnd_in(&s, 0, 9)) {
	case 0:
	case 1:		/* exact cash */
		t[0].method = PAY_CASH;
		*nt = 1;
		break;
	case 2:
	case 3:		/* a round note, with change */
		t[0].method = PAY_CASH;
		t[0].amount = (total / 10000 + 1) * 10000;
		*nt = 1;
		break;
	case 4:		/* M-PESA for all */
		t[0].method = PAY_MPESA;
		mpesa_of(cycle, k, t[0].reference);
		*nt = 1;
		break;
	case 5:
	case 6:		/* part M-PESA, the rest cash */
		t[0].method = PAY_MPESA;
		t[0].amount = part;
		mpesa_of(cycle, k, t[0].reference);
		t[1].method = PAY_CASH;
		t[1].amount = total - part + 5000;
		*nt = part > 0 ? 2 : 1;
		if (part == 0)
			t[0] = t[1];
		break;
	case 7:		/* part card, the rest on account */
		t[0].method = PAY_CARD;
		t[0].amount = part;
		snprintf(t[0].reference, sizeof t[0].reference, "CARD-%u-%u",
		    cycle, k);
		t[1].method = PAY_ACCOUNT;
		t[1].customer_id = customer[rnd_in(&s, 0, NCUSTOMERS - 1)];
		*nt = part > 0 ? 2 : 1;
		if (part == 0)
			t[0] = t[1];
		break;
	case 8:		/* card, M-PESA and cash with change */
		if (total < 3) {
			t[0].method = PAY_CASH;
			*nt = 1;
			break;
		}
		part = rnd_in(&s, 1, total - 2);
		t[0].method = PAY_CARD;
		t[0].amount = part;
		snprintf(t[0].reference, sizeof t[0].reference, "CARD-%u-%u",
		    cycle, k);
		t[1].method = PAY_MPESA;
		t[1].amount = rnd_in(&s, 1, total - 1 - part);
		mpesa_of(cycle, k, t[1].reference);
		t[2].method = PAY_CASH;
		t[2].amount = total - part - t[1].amount + rnd_in(&s, 0, 5000);
		*nt = 3;
		break;
	default:	/* an M-PESA prompt not answered yet */
		t[0].method = PAY_MPESA;
		t[0].pending = 1;
		snprintf(t[0].phone, sizeof t[0].phone, "2547%08u", k);
		*nt = 1;
		break;
	}
	token_of(cycle, k, token);
}

/* Commit the sale of attempt k of cycle. */
static int
commit_attempt(struct db *db, uint32_t cycle, uint32_t k, struct cart *c,
    struct sale_result *res, struct duka_err *err)
{
	struct sale_request req;
	struct tender t[3];
	char token[48];
	int nt;

	make_sale(cycle, k, c, t, &nt, token);
	memset(&req, 0, sizeof req);
	req.cart = c;
	req.tenders = t;
	req.ntenders = nt;
	req.till_id = TILL;
	req.user = "crash";
	req.cart_token = token;
	return sale_commit(db, &req, &cfg, res, err);
}

/* Write one progress record; write(2) to a pipe is whole up to PIPE_BUF. */
static void
report(int fd, char tag, uint32_t k, int64_t receipt_no)
{
	struct rec r;

	memset(&r, 0, sizeof r);
	r.tag = tag;
	r.k = k;
	r.receipt_no = receipt_no;
	if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(6);
}

/* SQLite is about to COMMIT: say so (return 0 lets it go on). */
static int
on_commit(void *ctx)
{
	(void)ctx;
	report(progress_fd, 'C', progress_k, 0);
	return 0;
}

/* A statement starts: report the BEGIN of a transaction. */
static int
on_trace(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_sql((sqlite3_stmt *)p);

	(void)type;
	(void)ctx;
	(void)x;
	if (sql != NULL && strncmp(sql, "BEGIN", 5) == 0)
		report(progress_fd, 'T', progress_k, 0);
	return 0;
}

/* The child: sell until killed. Never returns. */
static void
child_run(int fd, uint32_t cycle)
{
	struct sale_result res;
	struct duka_err err;
	struct cart *c;
	struct db *db;
	uint32_t k;

	progress_fd = fd;
	if (db_open(shop_path, DB_OPEN_EXISTING, &db, &err) != DUKA_OK) {
		fprintf(stderr, "child db_open: %s\n", err.msg);
		_exit(2);
	}
	sqlite3_commit_hook(db_sqlite(db), on_commit, NULL);
	sqlite3_trace_v2(db_sqlite(db), SQLITE_TRACE_STMT, on_trace, NULL);
	if ((c = cart_new()) == NULL)
		_exit(2);
	report(fd, 'R', 0, 0);
	for (k = 0;; k++) {
		progress_k = k;
		report(fd, 'B', k, 0);
		if (commit_attempt(db, cycle, k, c, &res, &err) != DUKA_OK) {
			fprintf(stderr, "child sale_commit %u/%u: %s\n", cycle,
			    k, err.msg);
			_exit(3);
		}
		if (res.duplicate)
			_exit(4);
		report(fd, 'E', k, res.receipt_no);
	}
}

/* Print a problem duka check found. */
static void
emit(void *ctx, const char *check, const char *text)
{
	(void)ctx;
	if (!quiet)
		fprintf(stderr, "check: %s: %s\n", check, text);
}

/* Run a one-integer query, failing the test on an error. */
static int64_t
q(struct db *db, const char *sql)
{
	return tu_int(db, sql);
}

/* Checks beyond duka check, each a query that must count 0. */
static const struct {
	const char *what;
	const char *sql;
} extra[] = {
	{ "sales without a payment", "SELECT count(*) FROM sales s WHERE "
	    "NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id)" },
	{ "sales without lines", "SELECT count(*) FROM sales s WHERE NOT "
	    "EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)" },
	{ "sales without their sale.completed event", "SELECT count(*) - "
	    "(SELECT count(DISTINCT s.id) FROM outbox o JOIN sales s ON "
	    "s.id = json_extract(o.data, '$.sale_id') AND s.receipt_no = "
	    "json_extract(o.data, '$.receipt_no') WHERE o.type = "
	    "'sale.completed') FROM sales" },
	{ "sale.completed events without their sale", "SELECT (SELECT "
	    "count(*) FROM outbox WHERE type = 'sale.completed') - "
	    "(SELECT count(*) FROM sales)" },
	{ "sales without their audit row", "SELECT count(*) - (SELECT "
	    "count(DISTINCT a.entity_id) FROM audit_log a JOIN sales s ON "
	    "s.id = a.entity_id WHERE a.action = 'sale.commit' AND "
	    "a.entity = 'sale') FROM sales" },
	{ "audit rows of sales that do not exist", "SELECT (SELECT count(*) "
	    "FROM audit_log WHERE action = 'sale.commit') - (SELECT count(*) "
	    "FROM sales)" },
	{ "sale movements without an allocation", "SELECT count(*) FROM "
	    "stock_movements m WHERE m.reason = 'sale' AND NOT EXISTS "
	    "(SELECT 1 FROM sale_allocations a WHERE a.movement_id = m.id)" },
	{ "sale movements of another receipt", "SELECT count(*) FROM "
	    "sale_allocations a JOIN stock_movements m ON m.id = "
	    "a.movement_id JOIN sales s ON s.id = a.sale_id WHERE "
	    "m.reference <> s.till_id || '-' || printf('%06d', s.receipt_no) "
	    "OR m.qty <> a.qty OR coalesce(m.batch_id, 0) <> "
	    "coalesce(a.batch_id, 0)" },
	{ "account balances that differ from their payments", "SELECT "
	    "count(*) FROM customers c WHERE c.balance <> coalesce((SELECT "
	    "sum(p.amount) FROM payments p WHERE p.method = 'account' AND "
	    "p.customer_id = c.id), 0)" },
	{ "sales awaiting payment without a pending payment", "SELECT "
	    "count(*) FROM sales s WHERE s.state = 'awaiting_payment' AND NOT "
	    "EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id AND "
	    "p.state = 'pending')" },
	{ "receipt counter ahead of the sales", "SELECT coalesce((SELECT "
	    "last_no FROM receipt_counters WHERE till_id = 'T1'), 0) - "
	    "(SELECT count(*) FROM sales WHERE till_id = 'T1')" },
};

/*
 * Everything the crash test proves about a database, as a count of
 * problems (each printed): duka check and the extra queries.
 */
static long
verify(struct db *db, const char *when)
{
	struct check_report r = { 0, emit, NULL };
	struct duka_err err;
	int64_t v;
	size_t i;

	if (check_all(db, &r, &err) != DUKA_OK) {
		fprintf(stderr, "%s: check_all could not run: %s\n", when,
		    err.msg);
		return 1;
	}
	for (i = 0; i < sizeof extra / sizeof extra[0]; i++)
		if ((v = q(db, extra[i].sql)) != 0) {
			if (!quiet)
				fprintf(stderr, "%s: %s: %lld\n", when,
				    extra[i].what, (long long)v);
			r.problems++;
		}
	if (r.problems != 0 && !quiet)
		fprintf(stderr, "%s: %ld problems in %s\n", when, r.problems,
		    shop_path);
	return r.problems;
}

/* Add one product with three batches whose expiry order is not their id
 * order, so that FEFO has to choose. */
static void
add_product(struct db *db, int i)
{
	static const struct {
		const char *expiry;
		int64_t units;
	} batch[3] = {
		{ "2090-06-10", 100000 }, { "2090-01-10", 40 },
		{ "2090-03-10", 120 },
	};
	struct stock_receipt r;
	struct duka_err err;
	struct product *p = &prod[i];
	int b;

	product_init(p);
	snprintf(p->sku, sizeof p->sku, "CR%03d", i);
	snprintf(p->name, sizeof p->name, "Crash product %d", i);
	p->tracks_expiry = 1;
	if (i >= NPRODUCTS - NWEIGHED) {
		p->unit = UNIT_KG;
		p->price = 20000 + i * 1011;
	} else
		p->price = 150 + i * 2371;
	p->cost = p->price * 3 / 4;
	p->tax = (enum tax_class)(i % 3);
	ck_assert_msg(catalog_product_add(db, p, "test", &err) == DUKA_OK,
	    "%s", err.msg);
	for (b = 0; b < 3; b++) {
		stock_receipt_init(&r);
		r.product_id = p->id;
		r.qty = batch[b].units * 1000;
		snprintf(r.batch_no, sizeof r.batch_no, "B%d-%d", i, b);
		snprintf(r.expiry, sizeof r.expiry, "%s", batch[b].expiry);
		r.unit_cost = p->cost + b;
		r.user = "test";
		ck_assert_msg(stock_receive(db, &r, NULL, &err) == DUKA_OK,
		    "%s", err.msg);
	}
	ck_assert_msg(catalog_product_get(db, p->id, p, &err) == DUKA_OK, "%s",
	    err.msg);
}

/* A shop: products, customers, an open shift. */
static struct db *
shop_new(void)
{
	struct duka_err err;
	sqlite3_stmt *st;
	struct db *db;
	int64_t shift;
	char dir[256];
	int i;

	settings_defaults(&cfg);
	/* A folder of its own: a long run must not lose it to someone
	 * tidying the other tests' duka-test-* folders. */
	snprintf(dir, sizeof dir, "%s/duka-crash-XXXXXX", getenv("TMPDIR") &&
	    *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(shop_path, sizeof shop_path, "%s/duka.db", dir);
	if (db_open(shop_path, DB_OPEN_CREATE, &db, &err) != DUKA_OK)
		ck_abort_msg("db_open: %s", err.msg);
	for (i = 0; i < NPRODUCTS; i++)
		add_product(db, i);
	for (i = 0; i < NCUSTOMERS; i++) {
		ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "INSERT INTO "
		    "customers(name, credit_limit, created_at) VALUES (?1, "
		    "100000000000, '2026-01-01T00:00:00.000Z')", -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, i ? "Mama Njeri" : "Otieno Hardware",
		    -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		customer[i] = sqlite3_last_insert_rowid(db_sqlite(db));
	}
	ck_assert_msg(shift_open(db, TILL, 500000, "test", &shift, &err) ==
	    DUKA_OK, "%s", err.msg);
	return db;
}

/* Remove the shop's files and folder (kept when a test fails). */
static void
shop_remove(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char path[sizeof shop_path + 8], *slash;
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(path, sizeof path, "%s%s", shop_path, suffix[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s", shop_path);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		rmdir(path);
	}
}

/* Reopen the database in the parent (never across a fork). */
static struct db *
reopen(void)
{
	struct duka_err err;
	struct db *db;

	if (db_open(shop_path, DB_OPEN_EXISTING, &db, &err) != DUKA_OK)
		ck_abort_msg("reopening after a kill: %s", err.msg);
	return db;
}

/* The receipt number of the sale with token, or 0 if there is none. */
static int64_t
receipt_of(struct db *db, const char *token)
{
	sqlite3_stmt *st;
	int64_t no = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db_sqlite(db), "SELECT receipt_no "
	    "FROM sales WHERE cart_token = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		no = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return no;
}

/* What the kills interrupted. */
struct stats {
	long kills, aimed, with_new;
	long opening;		/* no record: while opening the database */
	long before_first;	/* 'R': open, before the first sale */
	long between;		/* last record 'E': between two sales */
	long in_plan;		/* 'B': in sale_commit, before BEGIN */
	long in_txn;		/* 'T': inside the transaction */
	long in_commit;		/* 'C': inside COMMIT or just after it */
	long aimed_inside;	/* aimed kills that landed on 'T' or 'C' */
	long flight_saved, flight_lost;	/* the sale being committed */
	long retry_dup, retry_new;
	long commits;		/* sales the child reported done */
};

START_TEST(test_crash_kills)
{
	static struct rec recs[8192];
	long kills = env_long("DUKA_CRASH_KILLS", DEFAULT_KILLS);
	struct stats st;
	struct sale_result res;
	struct duka_err err;
	struct cart *cart;
	struct db *db;
	char token[48], when[64];
	int64_t before, after, t0, want, no, expect;
	uint64_t s;
	uint32_t cycle;
	long n, i, nt, nrec;
	int fds[2], status;
	ssize_t got;
	pid_t pid;
	char last;

	seed = (uint64_t)env_long("DUKA_CRASH_SEED", (long)DEFAULT_SEED);
	s = seed;
	memset(&st, 0, sizeof st);
	t0 = now_ms();
	db = shop_new();
	ck_assert_int_eq(verify(db, "before the first kill"), 0);
	cart = cart_new();
	ck_assert_ptr_nonnull(cart);
	before = 0;
	db_close(db);

	for (cycle = 0; cycle < (uint32_t)kills; cycle++) {
		int aimed = cycle % 3 == 2;

		ck_assert_int_eq(pipe(fds), 0);
		fflush(NULL);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(fds[0]);
			child_run(fds[1], cycle);
		}
		close(fds[1]);
		nrec = 0;
		if (aimed) {
			/* Wait for the want-th BEGIN, then a moment. */
			want = rnd_in(&s, 2, 5);
			for (nt = 0; nt < want && nrec < 8192;) {
				got = read(fds[0], &recs[nrec], sizeof recs[0]);
				if (got != (ssize_t)sizeof recs[0])
					break;
				if (recs[nrec++].tag == 'T')
					nt++;
			}
			sleep_us((long)rnd_in(&s, 0, 3000));
		} else if (rnd_in(&s, 0, 9) == 0) {
			/* Early: while the child opens the database. */
			sleep_us((long)rnd_in(&s, 0, 3000));
		} else {
			if (read(fds[0], &recs[nrec], sizeof recs[0]) ==
			    (ssize_t)sizeof recs[0])
				nrec++;
			sleep_us((long)rnd_in(&s, 0, 30000));
		}
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		while (nrec < 8192 && (got = read(fds[0], &recs[nrec],
		    sizeof recs[0])) == (ssize_t)sizeof recs[0])
			nrec++;
		close(fds[0]);
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		    "cycle %u: the child stopped by itself (status %d); see "
		    "its message above", cycle, status);
		ck_assert_msg(nrec < 8192, "cycle %u: too many records", cycle);

		st.kills++;
		st.aimed += aimed;
		last = nrec > 0 ? recs[nrec - 1].tag : 0;
		switch (last) {
		case 0:
			st.opening++;
			break;
		case 'R':
			st.before_first++;
			break;
		case 'E':
			st.between++;
			break;
		case 'B':
			st.in_plan++;
			break;
		case 'T':
			st.in_txn++;
			break;
		case 'C':
			st.in_commit++;
			break;
		}
		if (aimed && (last == 'T' || last == 'C'))
			st.aimed_inside++;

		db = reopen();
		snprintf(when, sizeof when, "after kill %u (seed %llu)", cycle,
		    (unsigned long long)seed);
		ck_assert_msg(verify(db, when) == 0, "%s: the database is not "
		    "whole; see the problems above", when);

		/* Every sale the child finished is there, as it was told. */
		for (i = 0, n = 0; i < nrec; i++) {
			if (recs[i].tag != 'E')
				continue;
			n++;
			token_of(cycle, recs[i].k, token);
			ck_assert_msg(receipt_of(db, token) == recs[i].receipt_no,
			    "%s: sale %s (receipt %lld) was lost", when, token,
			    (long long)recs[i].receipt_no);
		}
		st.commits += n;
		after = q(db, "SELECT count(*) FROM sales");
		if (after > before)
			st.with_new++;

		/* The sale being committed is whole or absent; commit it
		 * again as a restarted till would. */
		if (last == 'B' || last == 'T' || last == 'C') {
			uint32_t k = recs[nrec - 1].k;

			token_of(cycle, k, token);
			no = receipt_of(db, token);
			ck_assert_msg(after == before + n + (no > 0),
			    "%s: %lld sales, expected %lld", when,
			    (long long)after, (long long)(before + n + (no > 0)));
			if (no > 0)
				st.flight_saved++;
			else
				st.flight_lost++;
			/* The commit hook runs before COMMIT: before 'C'
			 * nothing can have been saved. */
			ck_assert_msg(no == 0 || last == 'C',
			    "%s: sale %s saved before its COMMIT began",
			    when, token);
			expect = no > 0 ? no : q(db, "SELECT coalesce(max("
			    "receipt_no), 0) + 1 FROM sales WHERE till_id = "
			    "'T1'");
			ck_assert_msg(commit_attempt(db, cycle, k, cart, &res,
			    &err) == DUKA_OK, "%s: retry: %s", when, err.msg);
			ck_assert_int_eq(res.duplicate, no > 0);
			ck_assert_int_eq(res.receipt_no, expect);
			if (no > 0)
				st.retry_dup++;
			else
				st.retry_new++;
			after = q(db, "SELECT count(*) FROM sales");
		} else
			ck_assert_msg(after == before + n, "%s: %lld sales, "
			    "expected %lld", when, (long long)after,
			    (long long)(before + n));
		before = after;
		db_close(db);
	}

	db = reopen();
	ck_assert_int_eq(verify(db, "at the end"), 0);
	after = q(db, "SELECT count(*) FROM sales");
	printf("crash: %ld kills in %.1f s (seed %llu): %lld sales "
	    "(%ld reported by the child), %lld lines, %lld allocations, "
	    "%lld payments\n", st.kills, (double)(now_ms() - t0) / 1000.0,
	    (unsigned long long)seed, (long long)after, st.commits,
	    (long long)q(db, "SELECT count(*) FROM sale_lines"),
	    (long long)q(db, "SELECT count(*) FROM sale_allocations"),
	    (long long)q(db, "SELECT count(*) FROM payments"));
	printf("crash: kills that found new sales %ld; while opening the "
	    "database %ld; before the first sale %ld; between sales %ld; in "
	    "sale_commit before BEGIN %ld; inside the transaction %ld; inside "
	    "COMMIT %ld\n", st.with_new, st.opening, st.before_first,
	    st.between, st.in_plan, st.in_txn, st.in_commit);
	printf("crash: aimed kills %ld, of which inside the transaction or "
	    "COMMIT %ld; interrupted sale found saved %ld, absent %ld; "
	    "retried: same receipt %ld, next receipt %ld\n", st.aimed,
	    st.aimed_inside, st.flight_saved, st.flight_lost, st.retry_dup,
	    st.retry_new);
	db_close(db);
	cart_free(cart);

	/* The kills did land, and sales were being committed between them. */
	ck_assert_msg(st.with_new * 2 >= st.kills, "only %ld of %ld kills "
	    "found new sales", st.with_new, st.kills);
	ck_assert_msg(st.in_txn + st.in_commit > 0,
	    "no kill landed inside a transaction");

	/* And the real binary agrees. */
	if (getenv("DUKA") != NULL && *getenv("DUKA") != '\0') {
		char cmd[1200];

		snprintf(cmd, sizeof cmd, "\"%s\" --db \"%s\" check >/dev/null",
		    getenv("DUKA"), shop_path);
		ck_assert_int_eq(system(cmd), 0);
	}
	if (getenv("DUKA_CRASH_KEEP") != NULL)
		printf("crash: the database is kept in %s\n", shop_path);
	else
		shop_remove();
}
END_TEST

/* A corruption the verifier must see, on a shop with one sale. */
static const struct {
	const char *name;
	const char *sql;
} corrupt[] = {
	{ "a sale without lines, payments, event or audit",
	    "INSERT INTO sales(till_id, receipt_no, kind, state, shift_id, "
	    "cart_token, shelf_gross, gross, discount, total, vat, at, "
	    "business_day) SELECT 'T1', 2, 'sale', 'completed', id, 'x', 100, "
	    "100, 0, 100, 0, '2026-01-01T00:00:00.000Z', '2026-01-01' FROM "
	    "shifts; UPDATE receipt_counters SET last_no = 2" },
	{ "a receipt number skipped",
	    "UPDATE receipt_counters SET last_no = last_no + 1" },
	{ "an event without its sale",
	    "INSERT INTO outbox(id, type, at, data) VALUES ('e-1', "
	    "'sale.completed', '2026-01-01T00:00:00.000Z', '{\"sale_id\":99}')" },
	{ "a sale's stock movement without its allocation",
	    "INSERT INTO stock_movements(product_id, qty, reason, unit_cost, "
	    "unit_price, reference, at) SELECT id, -1000, 'sale', 0, 0, "
	    "'T1-000009', '2026-01-01T00:00:00.000Z' FROM products LIMIT 1; "
	    "UPDATE products SET stock_qty = stock_qty - 1000 WHERE id = "
	    "(SELECT min(id) FROM products)" },
	{ "an account balance without its payment",
	    "UPDATE customers SET balance = balance + 1" },
	{ "a sale awaiting payment without any payment",
	    "INSERT INTO sales(till_id, receipt_no, kind, state, shift_id, "
	    "cart_token, shelf_gross, gross, discount, total, vat, at, "
	    "business_day) SELECT 'T1', 2, 'sale', 'awaiting_payment', id, "
	    "'y', 0, 0, 0, 0, 0, '2026-01-01T00:00:00.000Z', '2026-01-01' FROM "
	    "shifts; UPDATE receipt_counters SET last_no = 2" },
};

START_TEST(test_verifier_sees)
{
	struct sale_result res;
	struct duka_err err;
	struct cart *cart;
	struct db *db;

	db = shop_new();
	cart = cart_new();
	ck_assert_msg(commit_attempt(db, 0, 0, cart, &res, &err) == DUKA_OK,
	    "%s", err.msg);
	ck_assert_int_eq(res.receipt_no, 1);
	ck_assert_int_eq(verify(db, "one sale"), 0);
	tu_exec(db, corrupt[_i].sql);
	quiet = 1;
	ck_assert_msg(verify(db, corrupt[_i].name) > 0, "not seen: %s",
	    corrupt[_i].name);
	quiet = 0;
	cart_free(cart);
	db_close(db);
	shop_remove();
}
END_TEST

static Suite *
crash_suite(void)
{
	long kills = env_long("DUKA_CRASH_KILLS", DEFAULT_KILLS);
	Suite *s = suite_create("crash");
	TCase *tc;

	tc = tcase_create("verifier");
	tcase_add_loop_test(tc, test_verifier_sees, 0,
	    (int)(sizeof corrupt / sizeof corrupt[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("kills");
	/* About 0.1 s a kill on a slow machine; generous on purpose. */
	tcase_set_timeout(tc, 60.0 + (double)kills);
	tcase_add_test(tc, test_crash_kills);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(crash_suite());
}
