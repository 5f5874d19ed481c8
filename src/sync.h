/*
 * sync.h - the till's side of the sync protocol with duka-hub.
 *
 * Owns the table sync_state and the delivery state of outbox rows (pending
 * -> sent, pending -> rejected; nothing else ever changes a row's state and
 * nothing is deleted). Pushes outbox events to POST /v1/events in batches,
 * pulls GET /v1/catalog into the local catalogue (names, prices, barcodes,
 * tax classes; never stock), and keeps a status that the till screen and
 * `duka sync --status` show.
 *
 * Two ways in: sync_once() on the caller's connection (the command line),
 * and a worker thread (sync_worker_*) with its own connection and its own
 * struct http, which also drives the M-PESA client. The protocol itself is
 * in DESIGN.md; the events' JSON is in duka-events(5).
 */
#ifndef DUKA_SYNC_H
#define DUKA_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "settings.h"
#include "status.h"

/* A batch carries at most this many events and this many bytes of body. */
#define SYNC_BATCH_EVENTS 500
#define SYNC_BATCH_BYTES (1024 * 1024)
/* Retry delays grow from SYNC_BACKOFF_MIN_MS up to SYNC_BACKOFF_MAX_MS. */
#define SYNC_BACKOFF_MIN_MS 1000
#define SYNC_BACKOFF_MAX_MS (5 * 60 * 1000)
/* While the hub is unreachable, /v1/health is asked this often. */
#define SYNC_PROBE_MS 2000

struct sync_status {
	int configured;		/* [hub] url and token are set */
	int demo;		/* the demo shop: never syncs */
	int online;		/* the last attempt reached the hub */
	int auth_failed;	/* the hub refused the token (401/403):
				   pushing stopped until the config changes */
	int64_t unsent;		/* events waiting (state pending) */
	int64_t oldest_age_s;	/* age of the oldest of them, 0 if none */
	int64_t rejected;	/* events the hub refused, kept */
	char last_error[256];	/* "" when the last attempt went well */
	int64_t last_ok_at_ms;	/* last successful exchange, 0 = never */
	int64_t last_attempt_at_ms;	/* 0 = never */
	int64_t sent;		/* events marked sent by this run */
	int64_t pulled;		/* catalogue products applied by this run */
	char mpesa_error[256];	/* the worker's M-PESA trouble, or "" */
};

/*
 * One rejected event for `duka sync --status`: fn is called for each, the
 * oldest first.
 */
struct sync_rejected {
	const char *id;
	const char *type;
	const char *at;
	const char *error;
};
int sync_rejected_list(struct db *db,
    void (*fn)(void *ctx, const struct sync_rejected *r), void *ctx,
    struct duka_err *err);

/*
 * Fill st from the database alone (counts, and what the last attempt
 * recorded in sync_state) and from cfg (configured). For --status.
 */
int sync_status_read(struct db *db, const struct settings *cfg,
    struct sync_status *st, struct duka_err *err);

/*
 * What `duka sync --once` does, on the caller's connection: push every
 * pending event, then pull the whole catalogue. Fails (DUKA_EFAIL) with a
 * message naming the hub when it cannot be reached, DUKA_ECONFIG when no
 * hub is configured or the token is refused, DUKA_EINPUT for the demo
 * shop. st (may be NULL) is filled in every case.
 */
int sync_once(struct db *db, const struct settings *cfg,
    struct sync_status *st, struct duka_err *err);

struct sync_worker;

/*
 * Start the worker thread: it opens its own connection to db_path, uses cfg
 * (copied), and writes one byte to wake_fd (may be -1; the caller owns it,
 * best made non-blocking) whenever the status changes. *out is freed by
 * sync_worker_stop().
 */
int sync_worker_start(const char *db_path, const struct settings *cfg,
    int wake_fd, struct sync_worker **out, struct duka_err *err);
/* Copy the status, under the worker's mutex. */
void sync_worker_status(struct sync_worker *w, struct sync_status *out);
/* Something new to send: try now (unless backing off after hub errors). */
void sync_worker_kick(struct sync_worker *w);
/* Stop, join and free; returns within about a second even mid-request. */
void sync_worker_stop(struct sync_worker *w);

/*
 * The pieces, exposed for the tests.
 */

/* One batch of events read from the outbox, as a request body. */
struct sync_batch {
	char *body;		/* {"till": ..., "events": [...]} */
	size_t len;
	int n;			/* events in it */
	char (*ids)[40];	/* their ids, in order */
	int oversized;		/* the first pending event alone exceeds
				   SYNC_BATCH_BYTES (then n == 1, no body) */
};

/*
 * Read up to max_events (<= SYNC_BATCH_EVENTS) pending events, oldest
 * first, whose body fits in max_bytes. n == 0 when nothing is pending.
 */
int sync_batch_build(struct db *db, const char *till, int max_events,
    size_t max_bytes, struct sync_batch *b, struct duka_err *err);
void sync_batch_clear(struct sync_batch *b);

/* The hub's answer to a batch: what to do with each event of it. */
enum sync_verdict { SYNC_NONE = 0, SYNC_SENT, SYNC_REJECTED };
struct sync_reply {
	int n;			/* == batch n */
	enum sync_verdict *verdict;	/* per batch event */
	char **reason;		/* per batch event, for SYNC_REJECTED */
};

/*
 * Parse a POST /v1/events reply body against batch b. Every id in the
 * reply must be one of the batch, at most once; anything else (not JSON,
 * wrong shapes, unknown or repeated ids, an error without text) is refused
 * whole with DUKA_EINPUT and *r left empty. Events the reply does not
 * mention stay SYNC_NONE (they stay pending).
 */
int sync_reply_parse(const char *body, size_t len, const struct sync_batch *b,
    struct sync_reply *r, struct duka_err *err);
void sync_reply_clear(struct sync_reply *r);

/*
 * Apply a reply in one transaction: sent for accepted and duplicate ids,
 * rejected with the reason for the others; only rows still pending change.
 * *sent gets the number marked sent.
 */
int sync_mark(struct db *db, const struct sync_batch *b,
    const struct sync_reply *r, int64_t *sent, struct duka_err *err);

/*
 * The delay before retry number attempt (1, 2, ...): SYNC_BACKOFF_MIN_MS
 * doubled each time, capped at SYNC_BACKOFF_MAX_MS, with "equal jitter"
 * (between half and all of it) from rnd, a uniform 32-bit random number.
 */
int64_t sync_backoff_ms(int attempt, uint32_t rnd);

/*
 * Apply one GET /v1/catalog reply page in one transaction, the cursor with
 * it. *more tells whether the hub has more pages, *applied how many
 * products were written. A malformed page changes nothing.
 */
int sync_catalog_apply(struct db *db, const char *body, size_t len,
    int *more, int64_t *applied, struct duka_err *err);

#endif
