/*
 * bench_export.c - "duka export" of a year of sales: wall time and peak
 * RSS, beside the same workbook written by Python's XlsxWriter (Debian's
 * python3-xlsxwriter, tests/bench/export_py.py) in the same run. Prints
 * figures; never fails on time.
 *
 * The shop: 2000 products (one in ten sold by the kg; three tax classes;
 * a third with dated batches, some expired or expiring, some low or out),
 * 365 business days from 2025-06-01 in Nairobi, one shift a day closed by
 * a Z report, and BENCH_EXPORT_LINES sale lines (default 1,000,000) in
 * sales of four lines, spread over the days; one payment a sale (cash with
 * change, M-PESA with a receipt number, a card) and one stock movement a
 * line. The catalogue and the stock go in through catalog_product_add and
 * stock_receive; the sales, too many to commit one by one in a benchmark,
 * go in as plain rows with the figures sale_commit would write (line
 * amounts by money_mul_qty, VAT by vat_split, totals their sums).
 *
 * Each export runs in a child process (the database is built in another
 * child), so that wait4() reports its own peak RSS: duka's export_workbook
 * as "duka export" calls it (constant-memory libxlsxwriter, progress
 * callback), then /usr/bin/python3 export_py.py. Both write every sheet
 * with the same rows, types, formats and colours.
 *
 * Usage: bench_export [DIR] (a temporary folder by default, removed after).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "date.h"
#include "db.h"
#include "export.h"
#include "money.h"
#include "sale.h"
#include "settings.h"
#include "stock.h"

#define NPRODUCTS 2000
#define LINES_PER_SALE 4
#define DAYS 365
#define DEFAULT_LINES 1000000
#define TILL "B1"
#define TZ_NAME "Africa/Nairobi"
#define FIRST_DAY "2025-06-01"
#define TODAY "2026-06-01"
#define PYTHON "/usr/bin/python3"

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_export: %s: %s\n", what, msg);
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

/* What the generator needs to know of a product. */
struct bprod {
	int64_t id;
	int64_t price, cost;
	enum product_unit unit;
	enum tax_class tax;
	char sku[SKU_MAX];
	char name[PRODUCT_NAME_MAX];
};

/* Prepare sql on the raw connection or die. */
static sqlite3_stmt *
prep(sqlite3 *sq, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(sq));
	return st;
}

/* Step a write to its end or die. */
static void
run(sqlite3 *sq, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(what, sqlite3_errmsg(sq));
	sqlite3_reset(st);
}

/* The catalogue and its stock, through the real functions. */
static void
build_catalogue(struct db *db, struct bprod *prod)
{
	static const char *const words[] = {
		"Sugar", "Rice", "Maize flour", "Milk", "Soap", "Bread",
		"Tea", "Cooking fat", "Salt", "Beans",
	};
	struct stock_receipt r;
	struct duka_err err = { 0, "" };
	struct product p;
	int64_t cat;
	char name[64], exp[DATE_LEN];
	uint64_t seed = 7;
	int i, b;

	setenv("DUKA_NOW", "2025-05-31T06:00:00Z", 1);
	if (db_begin(db, &err) != DUKA_OK)
		die("begin", err.msg);
	for (i = 0; i < NPRODUCTS; i++) {
		snprintf(name, sizeof name, "Shelf %d", i % 20);
		if (catalog_category_ensure(db, name, &cat, &err) != DUKA_OK)
			die("category", err.msg);
		product_init(&p);
		snprintf(p.sku, sizeof p.sku, "BX%05d", i);
		snprintf(p.name, sizeof p.name, "%s %d", words[i % 10], i);
		p.unit = i % 10 == 3 ? UNIT_KG : UNIT_PIECE;
		p.price = 500 + (int64_t)(rnd(&seed) % 300000);
		p.cost = p.price * 3 / 4;
		p.tax = (enum tax_class)(i % 3);
		p.category_id = cat;
		p.tracks_expiry = i % 3 == 0;
		p.reorder_level = 5000;
		if (catalog_product_add(db, &p, "bench", &err) != DUKA_OK)
			die("adding a product", err.msg);
		prod[i].id = p.id;
		prod[i].price = p.price;
		prod[i].cost = p.cost;
		prod[i].unit = p.unit;
		prod[i].tax = p.tax;
		snprintf(prod[i].sku, sizeof prod[i].sku, "%s", p.sku);
		snprintf(prod[i].name, sizeof prod[i].name, "%s", p.name);
		if (i % 17 == 0)
			continue;	/* never received: out */
		for (b = 0; b < (p.tracks_expiry ? 2 : 1); b++) {
			stock_receipt_init(&r);
			r.product_id = p.id;
			r.qty = (int64_t)(1 + rnd(&seed) % 200) * 1000;
			snprintf(r.received, sizeof r.received, "2025-05-31");
			if (p.tracks_expiry) {
				date_add_days(TODAY, (int64_t)(rnd(&seed) %
				    120) - 20, exp);
				snprintf(r.expiry, sizeof r.expiry, "%s", exp);
				snprintf(r.batch_no, sizeof r.batch_no, "L%d-%d",
				    i, b);
			}
			r.user = "bench";
			if (stock_receive(db, &r, NULL, &err) != DUKA_OK)
				die("receiving", err.msg);
		}
	}
	if (db_commit(db, &err) != DUKA_OK)
		die("commit", err.msg);
}

/*
 * A year of sales as plain rows: shifts, sales, lines, payments and one
 * stock movement a line, with sale_commit's figures.
 */
static void
build_sales(struct db *db, const struct bprod *prod, int64_t nlines)
{
	sqlite3 *sq = db_sqlite(db);
	sqlite3_stmt *shift, *close, *sale, *line, *pay, *move;
	struct duka_err err = { 0, "" };
	int64_t nsales = nlines / LINES_PER_SALE, s, per_day, t0, t;
	int64_t receipt = 0, sale_id, qty, amount, vat, net, total, tvat;
	int64_t cash_taken, expected, tendered;
	char day[DATE_LEN], at[TIMESTAMP_LEN], open_at[TIMESTAMP_LEN];
	char close_at[TIMESTAMP_LEN], rtext[RECEIPT_TEXT_MAX], token[32];
	char ref[PAY_REF_MAX];
	uint64_t seed = 42;
	int d, l, k, m;
	const struct bprod *p;
	struct {
		const struct bprod *p;
		int64_t qty, amount, vat;
	} ln[LINES_PER_SALE];

	if (sqlite3_exec(sq, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL,
	    NULL) != SQLITE_OK)
		die("begin", sqlite3_errmsg(sq));
	shift = prep(sq, "INSERT INTO shifts(id, till_id, state, opened_by, "
	    "opened_at, float_cash) VALUES (?1, '" TILL "', 'open', 'amina', "
	    "?2, 500000)");
	close = prep(sq, "UPDATE shifts SET state = 'closed', closed_by = "
	    "'amina', closed_at = ?2, z_number = ?1, expected_cash = ?3, "
	    "counted_cash = ?4 WHERE id = ?1");
	sale = prep(sq, "INSERT INTO sales(id, till_id, receipt_no, kind, "
	    "state, shift_id, cart_token, user_name, shelf_gross, gross, "
	    "discount, total, vat, at, business_day) VALUES (?1, '" TILL "', "
	    "?2, 'sale', 'completed', ?3, ?4, 'amina', ?5, ?5, 0, ?5, ?6, ?7, "
	    "?8)");
	line = prep(sq, "INSERT INTO sale_lines(sale_id, line_no, product_id, "
	    "sku, name, unit, tax_class, qty, shelf_price, unit_price, "
	    "line_discount, sale_discount, amount, vat) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?9, 0, 0, ?10, ?11)");
	pay = prep(sq, "INSERT INTO payments(sale_id, method, state, amount, "
	    "tendered, change_due, reference, verified, created_at, "
	    "updated_at) VALUES (?1, ?2, 'paid', ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
	move = prep(sq, "INSERT INTO stock_movements(product_id, qty, reason, "
	    "unit_cost, unit_price, reference, user_name, at) VALUES (?1, ?2, "
	    "'sale', ?3, ?4, ?5, 'amina', ?6)");

	per_day = (nsales + DAYS - 1) / DAYS;
	sale_id = 0;
	for (d = 0; d < DAYS && sale_id < nsales; d++) {
		date_add_days(FIRST_DAY, d, day);
		/* 08:00 to 21:00 in Nairobi: 05:00 to 18:00 UTC. */
		t0 = date_diff_days("1970-01-01", day) * 86400 + 5 * 3600;
		date_timestamp(t0, open_at);
		date_timestamp(t0 + 13 * 3600, close_at);
		cash_taken = 0;
		sqlite3_bind_int64(shift, 1, d + 1);
		sqlite3_bind_text(shift, 2, open_at, -1, SQLITE_STATIC);
		run(sq, shift, "shift");
		for (s = 0; s < per_day && sale_id < nsales; s++) {
			sale_id++;
			receipt++;
			t = t0 + s * (13 * 3600) / per_day;
			date_timestamp(t, at);
			total = tvat = 0;
			for (l = 0; l < LINES_PER_SALE; l++) {
				p = &prod[rnd(&seed) % NPRODUCTS];
				/* Four distinct products a sale. */
				for (k = 0; k < l; k++)
					if (ln[k].p == p)
						break;
				if (k < l) {
					l--;
					continue;
				}
				qty = p->unit == UNIT_KG ?
				    250 + (int64_t)(rnd(&seed) % 1750) :
				    (int64_t)(1 + rnd(&seed) % 3) * 1000;
				if (money_mul_qty(p->price, qty, &amount,
				    &err) != DUKA_OK ||
				    vat_split(amount, p->tax, &net, &vat,
				    &err) != DUKA_OK)
					die("line", err.msg);
				ln[l].p = p;
				ln[l].qty = qty;
				ln[l].amount = amount;
				ln[l].vat = vat;
				total += amount;
				tvat += vat;
			}
			snprintf(token, sizeof token, "bench-%lld",
			    (long long)sale_id);
			sqlite3_bind_int64(sale, 1, sale_id);
			sqlite3_bind_int64(sale, 2, receipt);
			sqlite3_bind_int64(sale, 3, d + 1);
			sqlite3_bind_text(sale, 4, token, -1, SQLITE_STATIC);
			sqlite3_bind_int64(sale, 5, total);
			sqlite3_bind_int64(sale, 6, tvat);
			sqlite3_bind_text(sale, 7, at, -1, SQLITE_STATIC);
			sqlite3_bind_text(sale, 8, day, -1, SQLITE_STATIC);
			run(sq, sale, "sale");
			sale_receipt_text(TILL, receipt, rtext);
			for (l = 0; l < LINES_PER_SALE; l++) {
				p = ln[l].p;
				sqlite3_bind_int64(line, 1, sale_id);
				sqlite3_bind_int(line, 2, l + 1);
				sqlite3_bind_int64(line, 3, p->id);
				sqlite3_bind_text(line, 4, p->sku, -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(line, 5, p->name, -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(line, 6,
				    product_unit_name(p->unit), -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(line, 7,
				    tax_class_name(p->tax), -1, SQLITE_STATIC);
				sqlite3_bind_int64(line, 8, ln[l].qty);
				sqlite3_bind_int64(line, 9, p->price);
				sqlite3_bind_int64(line, 10, ln[l].amount);
				sqlite3_bind_int64(line, 11, ln[l].vat);
				run(sq, line, "line");
				sqlite3_bind_int64(move, 1, p->id);
				sqlite3_bind_int64(move, 2, -ln[l].qty);
				sqlite3_bind_int64(move, 3, p->cost);
				sqlite3_bind_int64(move, 4, p->price);
				sqlite3_bind_text(move, 5, rtext, -1,
				    SQLITE_STATIC);
				sqlite3_bind_text(move, 6, at, -1,
				    SQLITE_STATIC);
				run(sq, move, "movement");
			}
			/* 65 % cash with change, 30 % M-PESA, 5 % card. */
			m = (int)(rnd(&seed) % 100);
			sqlite3_bind_int64(pay, 1, sale_id);
			sqlite3_bind_int64(pay, 3, total);
			sqlite3_bind_text(pay, 8, at, -1, SQLITE_STATIC);
			if (m < 65) {
				tendered = (total + 9999) / 10000 * 10000;
				sqlite3_bind_text(pay, 2, "cash", -1,
				    SQLITE_STATIC);
				sqlite3_bind_int64(pay, 4, tendered);
				sqlite3_bind_int64(pay, 5, tendered - total);
				sqlite3_bind_null(pay, 6);
				sqlite3_bind_int(pay, 7, 0);
				cash_taken += total;
			} else {
				if (m < 95)
					snprintf(ref, sizeof ref, "Q%09llX",
					    (unsigned long long)sale_id);
				else
					snprintf(ref, sizeof ref, "CARD-%lld",
					    (long long)sale_id);
				sqlite3_bind_text(pay, 2, m < 95 ? "mpesa" :
				    "card", -1, SQLITE_STATIC);
				sqlite3_bind_null(pay, 4);
				sqlite3_bind_null(pay, 5);
				sqlite3_bind_text(pay, 6, ref, -1,
				    SQLITE_STATIC);
				sqlite3_bind_int(pay, 7, m % 2);
			}
			run(sq, pay, "payment");
		}
		/* The Z: every seventh day the drawer is 50.00 short. */
		expected = 500000 + cash_taken;
		sqlite3_bind_int64(close, 1, d + 1);
		sqlite3_bind_text(close, 2, close_at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(close, 3, expected);
		sqlite3_bind_int64(close, 4, expected - (d % 7 == 0 ? 5000 : 0));
		run(sq, close, "closing the shift");
	}
	sqlite3_finalize(shift);
	sqlite3_finalize(close);
	sqlite3_finalize(sale);
	sqlite3_finalize(line);
	sqlite3_finalize(pay);
	sqlite3_finalize(move);
	if (sqlite3_exec(sq, "INSERT INTO receipt_counters VALUES ('" TILL
	    "', (SELECT max(receipt_no) FROM sales)); COMMIT; "
	    "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", sqlite3_errmsg(sq));
}

/* Build the shop in a child process, so that its memory is not ours. */
static void
build(const char *path, int64_t nlines)
{
	struct duka_err err = { 0, "" };
	struct bprod *prod;
	struct db *db;
	int status;
	pid_t pid;

	if ((pid = fork()) == 0) {
		if ((prod = calloc(NPRODUCTS, sizeof *prod)) == NULL)
			die("memory", strerror(errno));
		if (db_open(path, DB_OPEN_CREATE, &db, &err) != DUKA_OK)
			die(path, err.msg);
		build_catalogue(db, prod);
		build_sales(db, prod, nlines);
		db_close(db);
		free(prod);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("building the shop", "failed");
}

/* Count the rows the progress callback saw, as duka export shows them. */
static int
progress(void *ctx, const char *stage, int64_t done, int64_t total)
{
	(void)stage;
	(void)done;
	(void)total;
	++*(int64_t *)ctx;
	return 0;
}

/* What one measured run took. */
struct run {
	int64_t wall_ns;
	long peak_kib;
	int status;
	long long bytes;
};

/* Wait for pid and fill r with its wall time (from start) and peak RSS. */
static void
measure(pid_t pid, int64_t start, const char *out, struct run *r)
{
	struct rusage ru;
	struct stat sb;
	int status;

	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4", strerror(errno));
	r->wall_ns = now_ns() - start;
	r->peak_kib = ru.ru_maxrss;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	r->bytes = stat(out, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* duka's export, in a child. */
static void
run_duka(const char *dbpath, const char *out, struct run *r)
{
	struct duka_err err = { 0, "" };
	struct settings cfg;
	struct db *db;
	int64_t calls = 0, start = now_ns();
	pid_t pid;

	if ((pid = fork()) == 0) {
		settings_defaults(&cfg);
		if (date_set_timezone(TZ_NAME, &err) != DUKA_OK ||
		    db_open(dbpath, DB_OPEN_EXISTING, &db, &err) != DUKA_OK ||
		    export_workbook(db, &cfg, NULL, NULL, out, progress, &calls,
		    &err) != DUKA_OK) {
			fprintf(stderr, "bench_export: duka: %s\n", err.msg);
			_exit(1);
		}
		db_close(db);
		_exit(0);
	}
	if (pid < 0)
		die("fork", strerror(errno));
	measure(pid, start, out, r);
}

/* Python's XlsxWriter, in a child. */
static void
run_python(const char *script, const char *dbpath, const char *out,
    struct run *r)
{
	int64_t start = now_ns();
	pid_t pid;

	if ((pid = fork()) == 0) {
		execl(PYTHON, PYTHON, script, dbpath, out, TZ_NAME, TODAY,
		    (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		die("fork", strerror(errno));
	measure(pid, start, out, r);
}

static void
print_run(const char *what, const struct run *r)
{
	printf("%-34s wall_ms=%lld peak_rss_kib=%ld size=%lld status=%d\n",
	    what, (long long)(r->wall_ns / 1000000), r->peak_kib, r->bytes,
	    r->status);
}

int
main(int argc, char **argv)
{
	const char *lines_env = getenv("BENCH_EXPORT_LINES");
	const char *srcdir = getenv("top_srcdir");
	char dir[512], dbpath[600], out_c[600], out_py[600], script[1024];
	char cmd[2048];
	struct run c, py;
	int64_t nlines = DEFAULT_LINES, start, ratio;
	int own_dir = argc < 2;

	if (lines_env != NULL && atoll(lines_env) > 0)
		nlines = atoll(lines_env);
	if (own_dir) {
		snprintf(dir, sizeof dir, "%s/duka-bench-export-XXXXXX",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (mkdtemp(dir) == NULL)
			die("mkdtemp", strerror(errno));
	} else {
		snprintf(dir, sizeof dir, "%s", argv[1]);
		mkdir(dir, 0700);
	}
	snprintf(script, sizeof script, "%s/tests/bench/export_py.py",
	    srcdir != NULL && *srcdir != '\0' ? srcdir : ".");
	snprintf(dbpath, sizeof dbpath, "%s/shop.db", dir);
	snprintf(out_c, sizeof out_c, "%s/duka.xlsx", dir);
	snprintf(out_py, sizeof out_py, "%s/python.xlsx", dir);
	unlink(dbpath);

	printf("== export of %lld sale lines (%lld sales over %d days, one "
	    "movement a line)\n", (long long)nlines,
	    (long long)(nlines / LINES_PER_SALE), DAYS);
	fflush(stdout);
	start = now_ns();
	build(dbpath, nlines);
	printf("shop built in %lld ms\n",
	    (long long)((now_ns() - start) / 1000000));
	fflush(stdout);

	setenv("DUKA_NOW", TODAY "T09:00:00Z", 1);
	run_duka(dbpath, out_c, &c);
	print_run("duka export (libxlsxwriter)", &c);
	fflush(stdout);
	if (access(PYTHON, X_OK) == 0) {
		run_python(script, dbpath, out_py, &py);
		print_run("python3-xlsxwriter (export_py.py)", &py);
		if (c.wall_ns > 0 && py.status == 0) {
			ratio = py.wall_ns * 100 / c.wall_ns;
			printf("ratio python/duka wall time: %lld.%02lld\n",
			    (long long)(ratio / 100), (long long)(ratio % 100));
		}
	} else
		printf("python3-xlsxwriter: %s is missing\n", PYTHON);

	if (own_dir) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_export: could not remove %s\n",
			    dir);
	}
	return 0;
}
