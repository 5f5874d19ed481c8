/*
 * hub.h - duka-hub, the central server: what its modules share.
 *
 * hub.c        main and the command line (init-db, serve, shop, till,
 *              product)
 * hub_db.c     libpq: one connection per thread, migrations, results
 * hub_http.c   libmicrohttpd: routing, limits, token check, logging
 * hub_json.c   bounded JSON parsing (size and nesting depth)
 * hub_events.c POST /v1/events: validation of the till's events (pure C,
 *              fuzzed) and their ingest and projection in one statement
 * hub_catalog.c GET /v1/catalog and duka-hub product set
 * hub_import.c the product fields' checks; product import from CSV
 * hub_mpesa.c  Daraja's STK callback and GET /v1/mpesa/results
 *
 * The process keeps no state of its own between requests: everything lives
 * in PostgreSQL, so several can run behind one load balancer.
 */
#ifndef DUKA_HUB_H
#define DUKA_HUB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "migrations.h"
#include "status.h"

extern const struct migration hub_migrations[];
extern const int hub_migrations_count;

/* Limits of what a request may carry. */
#define HUB_MAX_BODY		(1024 * 1024 + 64 * 1024)
#define HUB_MAX_CALLBACK_BODY	(64 * 1024)
#define HUB_MAX_DEPTH		32
#define HUB_MAX_EVENTS		500
#define HUB_MAX_RESULT_IDS	100
#define HUB_CATALOG_LIMIT	500	/* default page */
#define HUB_CATALOG_MAX		5000

/* ---- hub_db.c ---- */

/* Set the libpq conninfo of every connection (NULL: libpq defaults). */
void hub_db_configure(const char *conninfo);

/*
 * The calling thread's connection, opened on first use and reopened when it
 * broke; closed when the thread exits. NULL (and err filled) if PostgreSQL
 * cannot be reached.
 */
PGconn *hub_db(struct duka_err *err);

/* Close the calling thread's connection (main thread at exit). */
void hub_db_close(void);

/*
 * Run sql with text parameters; returns the result (caller PQclear()s) or
 * NULL with err filled. A result that is neither COMMAND_OK nor TUPLES_OK
 * counts as failure; its SQLSTATE is copied to sqlstate (6 bytes) if given.
 */
PGresult *hub_db_exec(PGconn *c, const char *sql, int nparams,
    const char *const *params, char sqlstate[6], struct duka_err *err);

/*
 * A statement worth preparing once per connection (a big one run often):
 * name must be unique and the struct static.
 */
struct hub_stmt {
	const char *name;
	const char *sql;
};

/* hub_db_exec of stmt, prepared on first use; sql is ignored. */
PGresult *hub_db_exec_stmt(PGconn *c, const struct hub_stmt *stmt,
    const char *sql, int nparams, const char *const *params,
    char sqlstate[6], struct duka_err *err);

/* hub_db_exec for statements whose result is not needed. */
int hub_db_run(PGconn *c, const char *sql, int nparams,
    const char *const *params, struct duka_err *err);

/* Create or upgrade the schema to the newest embedded migration. */
int hub_db_migrate(PGconn *c, int *from, int *to, struct duka_err *err);

/* The schema version the database is at (0: none). */
int hub_db_version(PGconn *c, int *version, struct duka_err *err);

/* ---- hub_json.c ---- */

/*
 * Parse buf (len bytes) as one JSON value nested at most max_depth deep,
 * rejecting duplicate keys. NULL with a message in err on failure.
 */
json_t *hub_json_parse(const char *buf, size_t len, int max_depth,
    struct duka_err *err);

/* ---- hub_http.c ---- */

/* Who is calling: filled by the token check. */
struct hub_caller {
	int64_t shop_id;
	int64_t till_id;
	char shop_code[48];
};

/*
 * A reply: an HTTP status, a JSON body (owned), or instead JSON text made
 * elsewhere (owned, malloc'd; sent as is), and counts for the log.
 */
struct hub_reply {
	unsigned status;
	json_t *body;
	char log[160];		/* e.g. "accepted=3 duplicate=0 rejected=1" */
	char *text;
};

/* Fill r with status and {"error": msg}; returns status. */
unsigned hub_reply_error(struct hub_reply *r, unsigned status,
    const char *msg);

/*
 * Serve on addr ("HOST:PORT", port 0 = any free one, printed on stderr)
 * with threads worker threads until SIGINT or SIGTERM.
 */
int hub_http_serve(const char *addr, int threads, struct duka_err *err);

/* ---- hub_events.c ---- */

/* One event of a batch after validation. */
struct hub_event {
	const char *id;		/* as sent (points into the parsed JSON) */
	char uuid[37];		/* lower-case form */
	const char *type;
	json_t *obj;		/* the event object (borrowed) */
	const char *error;	/* NULL: valid; else why it is rejected */
	int duplicate;		/* repeated inside this batch */
};

struct hub_batch {
	json_t *root;		/* owned */
	struct hub_event *ev;	/* owned */
	size_t n;
	int has_products;
};

/*
 * Parse and validate a POST /v1/events body. Returns DUKA_OK with b filled
 * (events that fail validation carry their error); DUKA_EINPUT with err
 * filled when the body as a whole is wrong. hub_batch_free() either way.
 */
int hub_batch_parse(const char *body, size_t len, struct hub_batch *b,
    struct duka_err *err);
void hub_batch_free(struct hub_batch *b);

/* Check one event object; NULL if valid, else the reason. */
const char *hub_event_check(json_t *ev, const char **id, const char **type);

/* POST /v1/events for caller. */
void hub_events_post(const struct hub_caller *who, const char *body,
    size_t len, struct hub_reply *r);

/* ---- hub_catalog.c ---- */

/* GET /v1/catalog?since=&limit= for caller (NULL = absent). */
void hub_catalog_get(const struct hub_caller *who, const char *since,
    const char *limit, struct hub_reply *r);

/* A product as set on the hub (duka-hub product set). */
struct hub_product {
	const char *sku;
	const char *name;
	const char *category;	/* NULL: keep / default */
	const char *unit;
	int64_t price;
	int64_t cost;		/* -1: keep / none */
	const char *tax_class;
	const char **barcodes;	/* NULL: keep */
	int nbarcodes;
	int active;		/* -1: keep / default true */
};

/* Set one product of shop (a code) in its own transaction. */
int hub_catalog_set(PGconn *c, const char *shop, const struct hub_product *p,
    int64_t *seq, struct duka_err *err);

/*
 * Several products in one transaction: begin (takes the shop's catalogue
 * lock, fills shop_id), put each, end (commit when ok, else roll back).
 */
int hub_catalog_begin(PGconn *c, const char *shop, char shop_id[24],
    struct duka_err *err);
int hub_catalog_put(PGconn *c, const char *shop_id,
    const struct hub_product *p, int64_t *seq, struct duka_err *err);
int hub_catalog_end(PGconn *c, int ok, struct duka_err *err);

/* ---- hub_import.c ---- */

/*
 * Check the product fields (texts as on the command line or in a CSV
 * file) and fill p, which points into the arguments. NULL means absent.
 */
struct hub_product_text {
	const char *sku, *name, *price, *cost, *tax_class, *category, *unit;
	const char **barcodes;
	int nbarcodes;
	int inactive;
};
int hub_product_check(const struct hub_product_text *t,
    struct hub_product *p, struct duka_err *err);

/* duka-hub product import --shop CODE FILE.csv ("-": standard input). */
int hub_product_import(PGconn *c, const char *shop, const char *path,
    struct duka_err *err);

/* ---- hub_mpesa.c ---- */

/* POST /v1/mpesa/callback/KEY. */
void hub_mpesa_callback(const char *key, const char *body, size_t len,
    struct hub_reply *r);

/* GET /v1/mpesa/results?ids=. */
void hub_mpesa_results(const struct hub_caller *who, const char *ids,
    struct hub_reply *r);

#endif
