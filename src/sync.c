/*
 * sync.c - pushing outbox events to duka-hub and pulling its catalogue.
 *
 * An outbox row moves only forward:
 *
 *      pending --(accepted or duplicate id in the hub's reply)--> sent
 *      pending --(rejected id, or a 4xx for that event alone)---> rejected
 *
 * Nothing else changes its state: a timeout, a broken connection, a 5xx or
 * a reply that cannot be parsed leaves every row of the batch pending, to
 * be sent again (the hub drops ids it already has, so "at least once" is
 * "exactly once with effect"). A 4xx for a batch of several events is sent
 * again one event at a time, so that only the event at fault is rejected.
 * A 401 or 403 is the till's configuration (its token): pushing stops and
 * the status says why; no event is marked.
 *
 * The worker thread loops: push what is pending, pull the catalogue now
 * and then, drive M-PESA, then sleep on a condition variable until the
 * earliest of a retry, a health probe, a kick or stop. After a failure it
 * waits sync_backoff_ms(attempt); when the failure was the network (no
 * reply at all) it also asks /v1/health every SYNC_PROBE_MS and resumes at
 * once when the hub answers, so a backlog starts draining within seconds
 * of the network coming back.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "barcode.h"
#include "catalog.h"
#include "date.h"
#include "http.h"
#include "i18n.h"
#include "money.h"
#include "mpesa.h"
#include "sync.h"

/* With nothing to do, look for new events and the network this often. */
#define SYNC_IDLE_MS 10000
/* Pull the catalogue at most this often (and after every drained push). */
#define SYNC_CATALOG_MS 60000
/* Catalogue products asked for per page. */
#define SYNC_CATALOG_LIMIT 500
/* Refresh the counts shown on the till at least this often. */
#define SYNC_REFRESH_MS 3000

enum push_result {
	PUSH_DONE,		/* nothing (more) pending */
	PUSH_PROGRESS,		/* a batch went through; there may be more */
	PUSH_TRANSIENT,		/* try again later; nothing was marked */
	PUSH_AUTH,		/* the hub refused the token */
};

/* What one exchange with the hub needs: connection, client, settings. */
struct syncer {
	struct db *db;
	struct http *http;
	const struct settings *cfg;
	const int *cancel;
	char base[512];		/* hub URL without a trailing slash */
	char auth[200];		/* "Authorization: Bearer ..." */
	int single_left;	/* after a batch 4xx: send one at a time */
	int no_reply;		/* the last failure had no HTTP reply */
	long last_status;
	int64_t requests;	/* requests made, for "did we talk?" */
};

/* ---------- time ---------- */

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
wall_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

static int64_t
mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int64_t
sync_backoff_ms(int attempt, uint32_t rnd)
{
	int64_t base = SYNC_BACKOFF_MIN_MS;
	int i;

	for (i = 1; i < attempt && base < SYNC_BACKOFF_MAX_MS; i++)
		base *= 2;
	if (base > SYNC_BACKOFF_MAX_MS)
		base = SYNC_BACKOFF_MAX_MS;
	/* "Equal jitter": at least half the delay, so tills that lost the
	 * network together do not come back together. */
	return base / 2 + (int64_t)(rnd % (uint32_t)(base / 2 + 1));
}

/* Copy src into dst of size n, cut short if need be (a message). */
static void
copy_text(char *dst, size_t n, const char *src)
{
	size_t k = strlen(src);

	if (k >= n)
		k = n - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
}

/* ---------- sync_state ---------- */

/* Read key into buf ("" when missing). */
static int
state_get(struct db *db, const char *key, char *buf, size_t n,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	const unsigned char *v;
	int rc;

	buf[0] = '\0';
	st = db_stmt(db, "SELECT value FROM sync_state WHERE key = ?1", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (v = sqlite3_column_text(st, 0)) != NULL)
		snprintf(buf, n, "%s", (const char *)v);
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the sync state"));
	return DUKA_OK;
}

/* Write key = value inside the caller's transaction. */
static int
state_put(struct db *db, const char *key, const char *value,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "INSERT INTO sync_state(key, value) VALUES (?1, ?2) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("saving the sync state"));
}

/* Record the outcome of an attempt for `duka sync --status`. */
static int
state_save(struct db *db, const struct sync_status *s, struct duka_err *err)
{
	char num[32];
	int rc;

	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	rc = state_put(db, "online", s->online ? "1" : "0", err);
	if (rc == DUKA_OK)
		rc = state_put(db, "auth_failed", s->auth_failed ? "1" : "0",
		    err);
	if (rc == DUKA_OK)
		rc = state_put(db, "last_error", s->last_error, err);
	snprintf(num, sizeof num, "%lld", (long long)s->last_ok_at_ms);
	if (rc == DUKA_OK)
		rc = state_put(db, "last_ok_at", num, err);
	snprintf(num, sizeof num, "%lld", (long long)s->last_attempt_at_ms);
	if (rc == DUKA_OK)
		rc = state_put(db, "last_attempt_at", num, err);
	if (rc != DUKA_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* The counts: unsent, age of the oldest unsent, rejected. */
static int
sync_counts(struct db *db, struct sync_status *s, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT (SELECT count(*) FROM outbox "
	    "WHERE state = 'pending'), (SELECT count(*) FROM outbox "
	    "WHERE state = 'rejected'), coalesce((SELECT max(0, "
	    "CAST(strftime('%s', 'now') AS INTEGER) - CAST(strftime('%s', at) "
	    "AS INTEGER)) FROM outbox WHERE state = 'pending' ORDER BY seq "
	    "LIMIT 1), 0)", err);
	if (st == NULL)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->unsent = sqlite3_column_int64(st, 0);
		s->rejected = sqlite3_column_int64(st, 1);
		s->oldest_age_s = sqlite3_column_int64(st, 2);
	}
	db_done(st);
	return rc == SQLITE_ROW ? DUKA_OK :
	    db_fail(db, err, _("reading the outbox"));
}

static int
sync_configured(const struct settings *cfg)
{
	return cfg->hub_url[0] != '\0' && cfg->hub_token[0] != '\0';
}

int
sync_status_read(struct db *db, const struct settings *cfg,
    struct sync_status *st, struct duka_err *err)
{
	char v[256];
	int rc;

	memset(st, 0, sizeof *st);
	st->configured = sync_configured(cfg);
	st->demo = db_is_demo(db) == 1;
	if ((rc = sync_counts(db, st, err)) != DUKA_OK)
		return rc;
	if ((rc = state_get(db, "online", v, sizeof v, err)) != DUKA_OK)
		return rc;
	st->online = strcmp(v, "1") == 0;
	if ((rc = state_get(db, "auth_failed", v, sizeof v, err)) != DUKA_OK)
		return rc;
	st->auth_failed = strcmp(v, "1") == 0;
	if ((rc = state_get(db, "last_ok_at", v, sizeof v, err)) != DUKA_OK)
		return rc;
	st->last_ok_at_ms = strtoll(v, NULL, 10);
	if ((rc = state_get(db, "last_attempt_at", v, sizeof v, err)) !=
	    DUKA_OK)
		return rc;
	st->last_attempt_at_ms = strtoll(v, NULL, 10);
	return state_get(db, "last_error", st->last_error,
	    sizeof st->last_error, err);
}

int
sync_rejected_list(struct db *db,
    void (*fn)(void *ctx, const struct sync_rejected *r), void *ctx,
    struct duka_err *err)
{
	struct sync_rejected r;
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id, type, at, coalesce(last_error, '') "
	    "FROM outbox WHERE state = 'rejected' ORDER BY seq", err);
	if (st == NULL)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = (const char *)sqlite3_column_text(st, 0);
		r.type = (const char *)sqlite3_column_text(st, 1);
		r.at = (const char *)sqlite3_column_text(st, 2);
		r.error = (const char *)sqlite3_column_text(st, 3);
		fn(ctx, &r);
	}
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("reading the outbox"));
}

/* ---------- batches ---------- */

struct buf {
	char *p;
	size_t len, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* Append s as a JSON string (quotes and escapes). */
static int
buf_add_str(struct buf *b, const char *s)
{
	char esc[8];
	const char *run = s;

	if (buf_add(b, "\"", 1) != 0)
		return -1;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (buf_add(b, run, (size_t)(s - run)) != 0)
			return -1;
		snprintf(esc, sizeof esc, "\\u%04x", c);
		if (buf_add(b, esc, strlen(esc)) != 0)
			return -1;
		run = s + 1;
	}
	if (buf_add(b, run, (size_t)(s - run)) != 0)
		return -1;
	return buf_add(b, "\"", 1);
}

void
sync_batch_clear(struct sync_batch *b)
{
	free(b->body);
	free(b->ids);
	memset(b, 0, sizeof *b);
}

/* One event as its JSON object, into e (emptied first). */
static int
sync_event_json(struct buf *e, const char *id, const char *type,
    const char *at, const char *data)
{
	e->len = 0;
	return buf_add(e, ",{\"id\":", 7) || buf_add_str(e, id) ||
	    buf_add(e, ",\"type\":", 8) || buf_add_str(e, type) ||
	    buf_add(e, ",\"at\":", 6) || buf_add_str(e, at) ||
	    buf_add(e, ",\"data\":", 8) || buf_add(e, data, strlen(data)) ||
	    buf_add(e, "}", 1);
}

int
sync_batch_build(struct db *db, const char *till, int max_events,
    size_t max_bytes, struct sync_batch *b, struct duka_err *err)
{
	struct buf body = { 0 }, e = { 0 };
	sqlite3_stmt *st;
	const char *id;
	int rc = SQLITE_DONE;

	memset(b, 0, sizeof *b);
	if (max_events <= 0 || max_events > SYNC_BATCH_EVENTS)
		max_events = SYNC_BATCH_EVENTS;
	if ((b->ids = calloc((size_t)max_events, sizeof *b->ids)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	if (buf_add(&body, "{\"till\":", 8) || buf_add_str(&body, till) ||
	    buf_add(&body, ",\"events\":[", 11))
		goto nomem;
	st = db_stmt(db, "SELECT id, type, at, data FROM outbox "
	    "WHERE state = 'pending' ORDER BY seq LIMIT ?1", err);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int(st, 1, max_events);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(st, 0);
		if (sync_event_json(&e, id, (const char *)sqlite3_column_text(
		    st, 1), (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3)) != 0) {
			db_done(st);
			goto nomem;
		}
		/* The first event has no comma; the body ends with "]}". */
		if (body.len + e.len - (b->n == 0) + 2 > max_bytes) {
			if (b->n == 0) {
				b->oversized = 1;
				snprintf(b->ids[0], sizeof b->ids[0], "%s", id);
				b->n = 1;
			}
			break;
		}
		if (buf_add(&body, e.p + (b->n == 0), e.len - (b->n == 0)))
		{
			db_done(st);
			goto nomem;
		}
		snprintf(b->ids[b->n], sizeof b->ids[b->n], "%s", id);
		b->n++;
	}
	db_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, err, _("reading the outbox"));
		goto fail;
	}
	free(e.p);
	if (b->oversized || b->n == 0) {
		free(body.p);
		return DUKA_OK;
	}
	if (buf_add(&body, "]}", 2))
		goto nomem;
	b->body = body.p;
	b->len = body.len;
	return DUKA_OK;
nomem:
	duka_fail(err, DUKA_EFAIL, _("out of memory"));
fail:
	free(e.p);
	free(body.p);
	sync_batch_clear(b);
	return err->code;
}

/* ---------- replies ---------- */

void
sync_reply_clear(struct sync_reply *r)
{
	int i;

	if (r->reason != NULL)
		for (i = 0; i < r->n; i++)
			free(r->reason[i]);
	free(r->reason);
	free(r->verdict);
	memset(r, 0, sizeof *r);
}

/* Index of id in b, looking first just after *hint (replies keep the
 * batch's order as a rule); -1 if it is not there. */
static int
sync_batch_find(const struct sync_batch *b, const char *id, int *hint)
{
	int i, k;

	for (k = 0; k < b->n; k++) {
		i = (*hint + k) % b->n;
		if (strcmp(b->ids[i], id) == 0) {
			*hint = i + 1;
			return i;
		}
	}
	return -1;
}

/* Record verdict v for the event id names; refuse unknown and repeats. */
static int
sync_reply_set(struct sync_reply *r, const struct sync_batch *b,
    json_t *id, enum sync_verdict v, const char *reason, int *hint,
    struct duka_err *err)
{
	int i;

	if (!json_is_string(id))
		return duka_fail(err, DUKA_EINPUT,
		    _("an event id in the hub's reply is not a string"));
	if ((i = sync_batch_find(b, json_string_value(id), hint)) < 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("the hub's reply names an event that was not sent: "
		    "%.60s"), json_string_value(id));
	if (r->verdict[i] != SYNC_NONE)
		return duka_fail(err, DUKA_EINPUT,
		    _("the hub's reply names event %s twice"), b->ids[i]);
	r->verdict[i] = v;
	if (reason != NULL && (r->reason[i] = strdup(reason)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	return DUKA_OK;
}

/* The optional array key of the reply; NULL when absent. */
static int
sync_reply_array(json_t *root, const char *key, json_t **out,
    struct duka_err *err)
{
	json_t *a = json_object_get(root, key);

	*out = NULL;
	if (a == NULL || json_is_null(a))
		return DUKA_OK;
	if (!json_is_array(a))
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" in the hub's reply is not a list"), key);
	*out = a;
	return DUKA_OK;
}

int
sync_reply_parse(const char *body, size_t len, const struct sync_batch *b,
    struct sync_reply *r, struct duka_err *err)
{
	json_t *root, *acc, *dup, *rej, *v, *why;
	json_error_t jerr;
	size_t i;
	int rc, hint = 0;

	memset(r, 0, sizeof *r);
	if (body == NULL || (root = json_loadb(body, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		return duka_fail(err, DUKA_EINPUT,
		    _("the hub's reply is not JSON"));
	rc = DUKA_EINPUT;
	if (!json_is_object(root)) {
		duka_fail(err, rc, _("the hub's reply is not a JSON object"));
		goto out;
	}
	if ((rc = sync_reply_array(root, "accepted", &acc, err)) != DUKA_OK ||
	    (rc = sync_reply_array(root, "duplicate", &dup, err)) !=
	    DUKA_OK ||
	    (rc = sync_reply_array(root, "rejected", &rej, err)) != DUKA_OK)
		goto out;
	if (acc == NULL && dup == NULL && rej == NULL) {
		rc = duka_fail(err, DUKA_EINPUT, _("the hub's reply has none "
		    "of \"accepted\", \"duplicate\" and \"rejected\""));
		goto out;
	}
	r->n = b->n;
	r->verdict = calloc((size_t)(b->n > 0 ? b->n : 1), sizeof *r->verdict);
	r->reason = calloc((size_t)(b->n > 0 ? b->n : 1), sizeof *r->reason);
	if (r->verdict == NULL || r->reason == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
		goto out;
	}
	rc = DUKA_OK;
	for (i = 0; rc == DUKA_OK && acc != NULL && i < json_array_size(acc);
	    i++)
		rc = sync_reply_set(r, b, json_array_get(acc, i), SYNC_SENT,
		    NULL, &hint, err);
	for (i = 0; rc == DUKA_OK && dup != NULL && i < json_array_size(dup);
	    i++)
		rc = sync_reply_set(r, b, json_array_get(dup, i), SYNC_SENT,
		    NULL, &hint, err);
	for (i = 0; rc == DUKA_OK && rej != NULL && i < json_array_size(rej);
	    i++) {
		v = json_array_get(rej, i);
		why = json_object_get(v, "error");
		if (!json_is_object(v) || !json_is_string(why) ||
		    json_string_length(why) == 0) {
			rc = duka_fail(err, DUKA_EINPUT, _("a rejected event "
			    "in the hub's reply has no \"id\" and \"error\""));
			break;
		}
		rc = sync_reply_set(r, b, json_object_get(v, "id"),
		    SYNC_REJECTED, json_string_value(why), &hint, err);
	}
out:
	json_decref(root);
	if (rc != DUKA_OK)
		sync_reply_clear(r);
	return rc;
}

int
sync_mark(struct db *db, const struct sync_batch *b,
    const struct sync_reply *r, int64_t *sent, struct duka_err *err)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int i, rc;

	*sent = 0;
	date_now_timestamp(now);
	if ((rc = db_begin(db, err)) != DUKA_OK)
		return rc;
	for (i = 0; i < r->n && i < b->n; i++) {
		if (r->verdict[i] == SYNC_NONE)
			continue;
		if (r->verdict[i] == SYNC_SENT)
			st = db_stmt(db, "UPDATE outbox SET state = 'sent', "
			    "sent_at = ?2, attempts = attempts + 1, "
			    "last_error = NULL WHERE id = ?1 AND "
			    "state = 'pending'", err);
		else
			st = db_stmt(db, "UPDATE outbox SET state = "
			    "'rejected', last_error = ?3, attempts = "
			    "attempts + 1 WHERE id = ?1 AND state = 'pending' "
			    "AND ?2 IS NOT NULL", err);
		if (st == NULL) {
			db_rollback(db);
			return err->code;
		}
		sqlite3_bind_text(st, 1, b->ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		if (r->verdict[i] == SYNC_REJECTED)
			sqlite3_bind_text(st, 3, r->reason[i] != NULL ?
			    r->reason[i] : "rejected", -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		db_done(st);
		if (rc != SQLITE_DONE) {
			rc = db_fail(db, err, _("marking events as sent"));
			db_rollback(db);
			return rc;
		}
		if (r->verdict[i] == SYNC_SENT)
			*sent += sqlite3_changes(db_sqlite(db));
	}
	return db_commit(db, err);
}

/* ---------- talking to the hub ---------- */

static int
syncer_init(struct syncer *s, struct db *db, struct http *http,
    const struct settings *cfg, const int *cancel)
{
	size_t n;

	memset(s, 0, sizeof *s);
	s->db = db;
	s->http = http;
	s->cfg = cfg;
	s->cancel = cancel;
	snprintf(s->base, sizeof s->base, "%s", cfg->hub_url);
	n = strlen(s->base);
	while (n > 0 && s->base[n - 1] == '/')
		s->base[--n] = '\0';
	snprintf(s->auth, sizeof s->auth, "Authorization: Bearer %s",
	    cfg->hub_token);
	return DUKA_OK;
}

/* Send one request to path (under the hub URL) and get the reply. */
static int
syncer_request(struct syncer *s, const char *method, const char *path,
    const char *body, size_t len, struct http_response *res,
    struct duka_err *err)
{
	const char *headers[] = { s->auth, "Content-Type: application/json",
	    "Accept: application/json", NULL };
	struct http_request req = { 0 };
	char url[1024];
	long total = s->cfg->hub_timeout_s > 0 ?
	    (long)s->cfg->hub_timeout_s * 1000 : 15000;
	int rc;

	snprintf(url, sizeof url, "%s%s", s->base, path);
	req.method = method;
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = len;
	req.connect_timeout_ms = total < 5000 ? total : 5000;
	req.timeout_ms = total;
	req.cancel = s->cancel;
	s->requests++;
	rc = http_do(s->http, &req, res, err);
	s->no_reply = rc != DUKA_OK;
	s->last_status = res->status;
	return rc;
}

/* The "error" text of a JSON reply body, or "HTTP <status>". */
static void
sync_reply_error(const struct http_response *res, char *out, size_t n)
{
	json_t *root = NULL, *e;

	if (res->body != NULL)
		root = json_loadb(res->body, res->len, 0, NULL);
	e = json_object_get(root, "error");
	if (json_is_string(e) && json_string_length(e) > 0)
		snprintf(out, n, "HTTP %ld: %s", res->status,
		    json_string_value(e));
	else
		snprintf(out, n, "HTTP %ld", res->status);
	json_decref(root);
}

/*
 * Is status one that a later try may fix (the hub's trouble)? A 404 or
 * 405 on POST /v1/events means that the URL does not lead to a duka hub
 * (a wrong [hub] url, a proxy's page): no event is at fault there.
 */
static int
sync_status_transient(long status)
{
	return status >= 500 || status == 408 || status == 429 ||
	    status == 404 || status == 405 || status < 200 ||
	    (status >= 300 && status < 400);
}

/* Mark the single event of b rejected with reason. */
static int
sync_reject_one(struct syncer *s, const struct sync_batch *b,
    const char *reason, struct duka_err *err)
{
	enum sync_verdict v = SYNC_REJECTED;
	char *why = (char *)reason;
	struct sync_reply r = { 1, &v, &why };
	int64_t sent;

	return sync_mark(s->db, b, &r, &sent, err);
}

/* Push one batch and act on the reply. */
static enum push_result
sync_push_batch(struct syncer *s, int64_t *sent, struct duka_err *err)
{
	struct http_response res;
	struct sync_batch b;
	struct sync_reply r;
	char why[400];
	enum push_result out;
	int rc, i, decided;

	*sent = 0;
	if (sync_batch_build(s->db, s->cfg->till_id, s->single_left > 0 ? 1 :
	    SYNC_BATCH_EVENTS, SYNC_BATCH_BYTES, &b, err) != DUKA_OK)
		return PUSH_TRANSIENT;
	if (b.n == 0) {
		sync_batch_clear(&b);
		return PUSH_DONE;
	}
	if (b.oversized) {
		snprintf(why, sizeof why, "%s", _("the event is larger than "
		    "a whole batch (1 MiB) and cannot be sent"));
		out = sync_reject_one(s, &b, why, err) == DUKA_OK ?
		    PUSH_PROGRESS : PUSH_TRANSIENT;
		sync_batch_clear(&b);
		return out;
	}
	if (syncer_request(s, "POST", "/v1/events", b.body, b.len, &res,
	    err) != DUKA_OK) {
		out = PUSH_TRANSIENT;
		goto done;
	}
	if (res.status == 401 || res.status == 403) {
		sync_reply_error(&res, why, sizeof why);
		duka_fail(err, DUKA_ECONFIG, _("the hub refused this till's "
		    "token (%s): check [hub] token in duka.conf"), why);
		out = PUSH_AUTH;
	} else if (res.status >= 200 && res.status < 300) {
		if (sync_reply_parse(res.body, res.len, &b, &r, err) !=
		    DUKA_OK) {
			copy_text(why, sizeof why, err->msg);
			duka_fail(err, DUKA_EFAIL, _("the hub's reply cannot be "
			    "used: %s"), why);
			out = PUSH_TRANSIENT;
			goto done;
		}
		for (i = decided = 0; i < r.n; i++)
			decided += r.verdict[i] != SYNC_NONE;
		rc = sync_mark(s->db, &b, &r, sent, err);
		sync_reply_clear(&r);
		if (rc != DUKA_OK)
			out = PUSH_TRANSIENT;
		else if (decided == 0) {
			duka_fail(err, DUKA_EFAIL, _("the hub answered without "
			    "a word on any event"));
			out = PUSH_TRANSIENT;
		} else
			out = PUSH_PROGRESS;
	} else if (sync_status_transient(res.status)) {
		sync_reply_error(&res, why, sizeof why);
		duka_fail(err, DUKA_EFAIL, _("the hub failed (%s)"), why);
		out = PUSH_TRANSIENT;
	} else if (b.n > 1) {
		/* Which event is at fault? Send them one by one. */
		s->single_left = b.n;
		out = PUSH_PROGRESS;
	} else {
		sync_reply_error(&res, why, sizeof why);
		out = sync_reject_one(s, &b, why, err) == DUKA_OK ?
		    PUSH_PROGRESS : PUSH_TRANSIENT;
	}
	if (out == PUSH_PROGRESS && s->single_left > 0 && res.status >= 200 &&
	    res.status < 500 && b.n == 1)
		s->single_left--;
done:
	http_response_clear(&res);
	sync_batch_clear(&b);
	return out;
}

/* ---------- the catalogue ---------- */

/* The barcodes of product id, normalised, as a JSON array. */
static void
sync_code_collect(void *ctx, const char *code, const char *kind)
{
	(void)kind;
	json_array_append_new(ctx, json_string(code));
}

/* Does the JSON array of strings hold s? */
static int
sync_json_has(json_t *a, const char *s)
{
	size_t i;

	for (i = 0; i < json_array_size(a); i++)
		if (strcmp(json_string_value(json_array_get(a, i)), s) == 0)
			return 1;
	return 0;
}

/* Make product id's barcodes exactly the hub's list (normalised). */
static int
sync_apply_codes(struct db *db, int64_t id, json_t *codes,
    struct duka_err *err)
{
	char norm[BARCODE_MAX];
	enum barcode_kind kind;
	struct product holder;
	json_t *have, *want;
	size_t i;
	int rc;

	if ((want = json_array()) == NULL || (have = json_array()) == NULL) {
		json_decref(want);
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	}
	rc = DUKA_OK;
	for (i = 0; rc == DUKA_OK && i < json_array_size(codes); i++)
		if ((rc = barcode_normalize(json_string_value(json_array_get(
		    codes, i)), norm, &kind, err)) == DUKA_OK)
			json_array_append_new(want, json_string(norm));
	if (rc == DUKA_OK)
		rc = catalog_barcodes(db, id, sync_code_collect, have, err);
	/* Drop codes the hub no longer lists for this product. */
	for (i = 0; rc == DUKA_OK && i < json_array_size(have); i++)
		if (!sync_json_has(want, json_string_value(json_array_get(
		    have, i))))
			rc = catalog_barcode_remove(db, json_string_value(
			    json_array_get(have, i)), err);
	/* Add the missing ones; the hub moves a code between products. */
	for (i = 0; rc == DUKA_OK && i < json_array_size(want); i++) {
		const char *c = json_string_value(json_array_get(want, i));

		if (sync_json_has(have, c))
			continue;
		rc = catalog_product_find(db, c, &holder, err);
		if (rc == DUKA_OK && holder.id != id)
			rc = catalog_barcode_remove(db, c, err);
		else if (rc == DUKA_ENOTFOUND || rc == DUKA_OK)
			rc = DUKA_OK;
		if (rc == DUKA_OK)
			rc = catalog_barcode_add(db, id, c, NULL, err);
	}
	json_decref(want);
	json_decref(have);
	return rc;
}

/* Refuse a catalogue product whose fields have the wrong JSON types. */
static int
sync_product_check(json_t *p, size_t i, struct duka_err *err)
{
	json_t *v, *codes;
	size_t k;

	if (!json_is_object(p) || !json_is_string(json_object_get(p, "sku")))
		return duka_fail(err, DUKA_EINPUT, _("product %zu of the "
		    "hub's catalogue has no SKU"), i + 1);
	if (((v = json_object_get(p, "name")) && !json_is_string(v)) ||
	    ((v = json_object_get(p, "price")) && !json_is_integer(v)) ||
	    ((v = json_object_get(p, "cost")) && !json_is_integer(v)) ||
	    ((v = json_object_get(p, "tax_class")) && !json_is_string(v)) ||
	    ((v = json_object_get(p, "unit")) && !json_is_string(v)) ||
	    ((v = json_object_get(p, "category")) && !json_is_string(v) &&
	    !json_is_null(v)) ||
	    ((v = json_object_get(p, "active")) && !json_is_boolean(v)) ||
	    ((v = json_object_get(p, "tracks_expiry")) &&
	    !json_is_boolean(v)) ||
	    ((v = json_object_get(p, "pack_size")) && !json_is_integer(v)) ||
	    ((v = json_object_get(p, "deleted")) && !json_is_boolean(v)) ||
	    ((codes = json_object_get(p, "barcodes")) && !json_is_array(codes)))
		return duka_fail(err, DUKA_EINPUT, _("product %s of the hub's "
		    "catalogue has a field of the wrong type"),
		    json_string_value(json_object_get(p, "sku")));
	for (k = 0; codes != NULL && k < json_array_size(codes); k++)
		if (!json_is_string(json_array_get(codes, k)))
			return duka_fail(err, DUKA_EINPUT, _("product %s of the "
			    "hub's catalogue has a barcode that is not text"),
			    json_string_value(json_object_get(p, "sku")));
	return DUKA_OK;
}

/* Write one catalogue product (checked) into the local catalogue. */
static int
sync_apply_product(struct db *db, json_t *jp, struct duka_err *err)
{
	const char *sku = json_string_value(json_object_get(jp, "sku"));
	json_t *v, *codes = json_object_get(jp, "barcodes");
	struct product p;
	int rc, found;

	rc = catalog_product_find(db, sku, &p, err);
	found = rc == DUKA_OK && strcasecmp(p.sku, sku) == 0;
	if (rc != DUKA_OK && rc != DUKA_ENOTFOUND)
		return rc;
	if (json_is_true(json_object_get(jp, "deleted"))) {
		/* A product with history is only ever deactivated here. */
		if (!found || !p.active)
			return DUKA_OK;
		p.active = 0;
		return catalog_product_update(db, &p, "hub", err);
	}
	if (!found) {
		product_init(&p);
		snprintf(p.sku, sizeof p.sku, "%s", sku);
		if (strlen(sku) >= sizeof p.sku)
			return duka_fail(err, DUKA_EINPUT, _("the SKU %.40s of "
			    "the hub's catalogue is too long"), sku);
	}
	if ((v = json_object_get(jp, "name")) != NULL) {
		if (json_string_length(v) >= sizeof p.name)
			return duka_fail(err, DUKA_EINPUT, _("the name of %s in "
			    "the hub's catalogue is too long"), sku);
		snprintf(p.name, sizeof p.name, "%s", json_string_value(v));
	}
	if ((v = json_object_get(jp, "price")) != NULL)
		p.price = json_integer_value(v);
	if ((v = json_object_get(jp, "cost")) != NULL)
		p.cost = json_integer_value(v);
	if ((v = json_object_get(jp, "tax_class")) != NULL &&
	    (rc = tax_class_parse(json_string_value(v), &p.tax, err)) !=
	    DUKA_OK)
		return rc;
	if ((v = json_object_get(jp, "unit")) != NULL &&
	    (rc = product_unit_parse(json_string_value(v), &p.unit, err)) !=
	    DUKA_OK)
		return rc;
	if ((v = json_object_get(jp, "active")) != NULL)
		p.active = json_is_true(v);
	if ((v = json_object_get(jp, "tracks_expiry")) != NULL)
		p.tracks_expiry = json_is_true(v);
	if ((v = json_object_get(jp, "pack_size")) != NULL)
		p.pack_size = json_integer_value(v);
	if ((v = json_object_get(jp, "category")) != NULL) {
		p.category_id = 0;
		if (json_is_string(v) && json_string_length(v) > 0 &&
		    (rc = catalog_category_ensure(db, json_string_value(v),
		    &p.category_id, err)) != DUKA_OK)
			return rc;
	}
	rc = found ? catalog_product_update(db, &p, "hub", err) :
	    catalog_product_create(db, &p, NULL, 0, "hub", err);
	if (rc == DUKA_OK && codes != NULL)
		rc = sync_apply_codes(db, p.id, codes, err);
	return rc;
}

int
sync_catalog_apply(struct db *db, const char *body, size_t len, int *more,
    int64_t *applied, struct duka_err *err)
{
	json_t *root, *products, *cursor, *m;
	char cur[256], why[400];
	size_t i;
	int rc;

	*more = 0;
	*applied = 0;
	if (body == NULL ||
	    (root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL)) ==
	    NULL)
		return duka_fail(err, DUKA_EINPUT,
		    _("the hub's catalogue is not JSON"));
	products = json_object_get(root, "products");
	cursor = json_object_get(root, "cursor");
	m = json_object_get(root, "more");
	rc = DUKA_EINPUT;
	if (!json_is_array(products)) {
		duka_fail(err, rc, _("the hub's catalogue has no list of "
		    "products"));
		goto out;
	}
	if (json_is_string(cursor) && json_string_length(cursor) < sizeof cur)
		snprintf(cur, sizeof cur, "%s", json_string_value(cursor));
	else if (json_is_integer(cursor) && json_integer_value(cursor) >= 0)
		snprintf(cur, sizeof cur, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(cursor));
	else {
		duka_fail(err, rc, _("the hub's catalogue has no usable "
		    "cursor"));
		goto out;
	}
	if (m != NULL && !json_is_boolean(m)) {
		duka_fail(err, rc, _("\"more\" in the hub's catalogue is not "
		    "true or false"));
		goto out;
	}
	for (i = 0; i < json_array_size(products); i++)
		if ((rc = sync_product_check(json_array_get(products, i), i,
		    err)) != DUKA_OK)
			goto out;
	if ((rc = db_begin(db, err)) != DUKA_OK)
		goto out;
	catalog_set_from_hub(1);
	for (i = 0; rc == DUKA_OK && i < json_array_size(products); i++)
		rc = sync_apply_product(db, json_array_get(products, i), err);
	catalog_set_from_hub(0);
	if (rc == DUKA_OK)
		rc = state_put(db, "catalog_cursor", cur, err);
	if (rc != DUKA_OK) {
		db_rollback(db);
		copy_text(why, sizeof why, err->msg);
		rc = duka_fail(err, rc, _("the hub's catalogue cannot be "
		    "applied: %s"), why);
		goto out;
	}
	if ((rc = db_commit(db, err)) != DUKA_OK)
		goto out;
	*applied = (int64_t)json_array_size(products);
	*more = json_is_true(m) && json_array_size(products) > 0;
out:
	json_decref(root);
	return rc;
}

/* Percent-encode s for a query string. */
static void
sync_url_escape(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0' && o + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* Pull every catalogue page since the stored cursor. */
static enum push_result
sync_pull_catalog(struct syncer *s, int64_t *applied, struct duka_err *err)
{
	struct http_response res;
	char cur[256], esc[800], path[900], why[400];
	int64_t n;
	int more = 1, pages, rc;

	*applied = 0;
	for (pages = 0; more && pages < 100000; pages++) {
		if (s->cancel != NULL &&
		    __atomic_load_n(s->cancel, __ATOMIC_ACQUIRE))
			return PUSH_TRANSIENT;
		if (state_get(s->db, "catalog_cursor", cur, sizeof cur, err) !=
		    DUKA_OK)
			return PUSH_TRANSIENT;
		sync_url_escape(cur, esc, sizeof esc);
		snprintf(path, sizeof path, "/v1/catalog?since=%s&limit=%d",
		    esc, SYNC_CATALOG_LIMIT);
		if (syncer_request(s, "GET", path, NULL, 0, &res, err) !=
		    DUKA_OK) {
			http_response_clear(&res);
			return PUSH_TRANSIENT;
		}
		if (res.status == 401 || res.status == 403) {
			sync_reply_error(&res, why, sizeof why);
			http_response_clear(&res);
			duka_fail(err, DUKA_ECONFIG, _("the hub refused this "
			    "till's token (%s): check [hub] token in "
			    "duka.conf"), why);
			return PUSH_AUTH;
		}
		if (res.status != 200) {
			sync_reply_error(&res, why, sizeof why);
			http_response_clear(&res);
			duka_fail(err, DUKA_EFAIL, _("the hub's catalogue "
			    "cannot be fetched (%s)"), why);
			return PUSH_TRANSIENT;
		}
		rc = sync_catalog_apply(s->db, res.body, res.len, &more, &n,
		    err);
		http_response_clear(&res);
		if (rc != DUKA_OK)
			return PUSH_TRANSIENT;
		*applied += n;
	}
	return PUSH_DONE;
}

/* Ask /v1/health; DUKA_OK when the hub answers 200. */
static int
sync_probe(struct syncer *s, struct duka_err *err)
{
	struct http_response res;
	char why[400];
	int rc;

	rc = syncer_request(s, "GET", "/v1/health", NULL, 0, &res, err);
	if (rc == DUKA_OK && res.status != 200) {
		sync_reply_error(&res, why, sizeof why);
		rc = duka_fail(err, DUKA_EFAIL, _("the hub is not well (%s)"),
		    why);
	}
	http_response_clear(&res);
	return rc;
}

/* ---------- sync --once ---------- */

int
sync_once(struct db *db, const struct settings *cfg, struct sync_status *st,
    struct duka_err *err)
{
	struct sync_status tmp, *s = st != NULL ? st : &tmp;
	struct http *http = NULL;
	struct syncer sy;
	enum push_result pr = PUSH_PROGRESS;
	int64_t sent = 0, n, pulled = 0;
	char why[400];
	int rc;

	if ((rc = sync_status_read(db, cfg, s, err)) != DUKA_OK)
		return rc;
	if (s->demo)
		return duka_fail(err, DUKA_EINPUT, _("this is the demo shop: "
		    "it never syncs with a hub"));
	if (!s->configured)
		return duka_fail(err, DUKA_ECONFIG, _("no hub is configured: "
		    "set url and token in the [hub] section of duka.conf"));
	if ((rc = http_new(&http, err)) != DUKA_OK)
		return rc;
	syncer_init(&sy, db, http, cfg, NULL);
	s->last_attempt_at_ms = wall_ms();
	while (pr == PUSH_PROGRESS) {
		pr = sync_push_batch(&sy, &n, err);
		sent += n;
	}
	if (pr == PUSH_DONE)
		pr = sync_pull_catalog(&sy, &pulled, err);
	http_free(http);
	s->auth_failed = pr == PUSH_AUTH;
	s->online = pr == PUSH_DONE || pr == PUSH_AUTH || !sy.no_reply;
	if (pr == PUSH_DONE) {
		s->last_error[0] = '\0';
		s->last_ok_at_ms = wall_ms();
	} else
		copy_text(s->last_error, sizeof s->last_error, err->msg);
	rc = pr == PUSH_DONE ? DUKA_OK : err->code ? err->code : DUKA_EFAIL;
	copy_text(why, sizeof why, err->msg);
	if (state_save(db, s, err) != DUKA_OK ||
	    sync_counts(db, s, err) != DUKA_OK)
		return err->code;
	s->sent = sent;
	s->pulled = pulled;
	if (rc == DUKA_OK)
		return DUKA_OK;
	if (pr == PUSH_AUTH)
		return duka_fail(err, DUKA_ECONFIG, "%s", why);
	if (sy.no_reply)
		return duka_fail(err, DUKA_EFAIL, _("the hub at %s cannot be "
		    "reached: %s"), sy.base, why);
	return duka_fail(err, DUKA_EFAIL, "%s", why);
}

/* ---------- the worker thread ---------- */

struct sync_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;		/* atomic: also the HTTP cancel flag */
	int kicked;		/* under mu */
	int wake_fd;
	char db_path[4096];
	struct settings cfg;
	struct sync_status st;	/* under mu */
};

/* Publish s as the status; wake the UI if anything shown changed. */
static void
worker_publish(struct sync_worker *w, const struct sync_status *s)
{
	int changed;

	pthread_mutex_lock(&w->mu);
	changed = memcmp(&w->st, s, sizeof *s) != 0;
	w->st = *s;
	pthread_mutex_unlock(&w->mu);
	if (changed && w->wake_fd >= 0) {
		ssize_t r = write(w->wake_fd, "s", 1);

		(void)r;	/* a full pipe already has a wake-up in it */
	}
}

static int
worker_stopping(struct sync_worker *w)
{
	return __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE);
}

/* Sleep until deadline (monotonic ms), a kick or stop. Returns kicked. */
static int
worker_sleep(struct sync_worker *w, int64_t deadline)
{
	struct timespec ts;
	int kicked;

	ts.tv_sec = (time_t)(deadline / 1000);
	ts.tv_nsec = (long)(deadline % 1000) * 1000000;
	pthread_mutex_lock(&w->mu);
	while (!worker_stopping(w) && !w->kicked && mono_ms() < deadline)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT)
			break;
	kicked = w->kicked;
	w->kicked = 0;
	pthread_mutex_unlock(&w->mu);
	return kicked;
}

/* Record a failed round's message in s. */
static void
worker_failed(struct sync_status *s, const struct duka_err *err)
{
	copy_text(s->last_error, sizeof s->last_error,
	    err->msg[0] ? err->msg : _("unknown failure"));
}

/*
 * One round of pushing (until nothing is pending, a failure, or stop) and,
 * when due, pulling. Publishes progress as it goes.
 */
static enum push_result
worker_round(struct sync_worker *w, struct syncer *sy, struct sync_status *s,
    int pull, struct duka_err *err)
{
	enum push_result pr = PUSH_PROGRESS;
	int64_t n, last = mono_ms(), requests = sy->requests;

	while (pr == PUSH_PROGRESS && !worker_stopping(w)) {
		pr = sync_push_batch(sy, &n, err);
		s->sent += n;
		if (mono_ms() - last >= 500) {
			/* A long drain: let the till show it shrinking. */
			if (sync_counts(sy->db, s, err) == DUKA_OK)
				worker_publish(w, s);
			last = mono_ms();
		}
	}
	if (worker_stopping(w))
		return PUSH_TRANSIENT;
	if (pr == PUSH_DONE && pull) {
		pr = sync_pull_catalog(sy, &n, err);
		s->pulled += n;
	}
	/* Nothing to say to the hub: still ask whether it is there, so that
	 * "online" on the till is never older than SYNC_IDLE_MS. */
	if (pr == PUSH_DONE && sy->requests == requests &&
	    sync_probe(sy, err) != DUKA_OK)
		pr = PUSH_TRANSIENT;
	return pr;
}

static void *
worker_main(void *arg)
{
	struct sync_worker *w = arg;
	struct sync_status s;
	struct duka_err err = { 0, "" };
	struct http *http = NULL;
	struct db *db = NULL;
	struct syncer sy;
	enum push_result pr;
	int64_t now, next_push = 0, next_probe = 0, next_pull = 0, wake;
	int64_t sent_before, mpesa_due = 0, mpesa_next, saved_at = 0;
	struct sync_status saved;
	struct mpesa_client *mc = NULL;
	int attempt = 0, kicked = 0, probing = 0;
	uint32_t rnd;

	memset(&s, 0, sizeof s);
	memset(&saved, 0, sizeof saved);
	s.configured = sync_configured(&w->cfg);
	if (db_open(w->db_path, DB_OPEN_EXISTING, &db, &err) != DUKA_OK ||
	    http_new(&http, &err) != DUKA_OK ||
	    sync_status_read(db, &w->cfg, &s, &err) != DUKA_OK) {
		worker_failed(&s, &err);
		worker_publish(w, &s);
		while (!worker_stopping(w))
			worker_sleep(w, mono_ms() + 60000);
		goto out;
	}
	/* What the last run recorded is history; this run starts afresh. */
	s.online = 0;
	s.auth_failed = 0;
	s.last_error[0] = '\0';
	syncer_init(&sy, db, http, &w->cfg, &w->stop);
	/* The demo shop sends no real M-PESA prompts either. */
	if (!s.demo && mpesa_configured(&w->cfg) &&
	    mpesa_client_new(&w->cfg, &mc, &err) != DUKA_OK) {
		copy_text(s.mpesa_error, sizeof s.mpesa_error, err.msg);
		mc = NULL;
	}
	if (mc != NULL)
		mpesa_client_set_cancel(mc, &w->stop);
	while (!worker_stopping(w)) {
		now = mono_ms();
		err.code = 0;
		err.msg[0] = '\0';
		if (s.demo) {
			snprintf(s.last_error, sizeof s.last_error, "%s",
			    _("the demo shop never syncs with a hub"));
		} else if (!s.configured) {
			snprintf(s.last_error, sizeof s.last_error, "%s",
			    _("no hub is configured ([hub] url and token)"));
		} else if (s.auth_failed) {
			/* Stay stopped: only a new token can help. */
		} else if (probing && now < next_push && (now >= next_probe ||
		    kicked)) {
			if (sync_probe(&sy, &err) == DUKA_OK) {
				next_push = now;	/* the network is back */
				probing = 0;
			} else {
				next_probe = now + SYNC_PROBE_MS;
				worker_failed(&s, &err);
			}
		}
		now = mono_ms();
		if (s.configured && !s.demo && !s.auth_failed &&
		    (now >= next_push || (kicked && attempt == 0))) {
			s.last_attempt_at_ms = wall_ms();
			sent_before = s.sent;
			pr = worker_round(w, &sy, &s, now >= next_pull, &err);
			if (worker_stopping(w))
				break;
			now = mono_ms();
			if (pr == PUSH_DONE) {
				attempt = 0;
				probing = 0;
				s.online = 1;
				s.last_error[0] = '\0';
				s.last_ok_at_ms = wall_ms();
				next_push = now + SYNC_IDLE_MS;
				if (now >= next_pull)
					next_pull = now + SYNC_CATALOG_MS;
			} else if (pr == PUSH_AUTH) {
				s.auth_failed = 1;
				s.online = 1;
				worker_failed(&s, &err);
			} else {
				/* Backoff counts failures in a row: a round
				 * that moved events forward starts afresh. */
				if (s.sent > sent_before)
					attempt = 0;
				attempt++;
				randombytes_buf(&rnd, sizeof rnd);
				next_push = now + sync_backoff_ms(attempt, rnd);
				s.online = !sy.no_reply;
				probing = sy.no_reply;
				next_probe = now + SYNC_PROBE_MS;
				worker_failed(&s, &err);
			}
			/* For `duka sync --status`: on a change, else once a
			 * minute (not a synchronous commit every round). */
			if (s.online != saved.online ||
			    s.auth_failed != saved.auth_failed ||
			    strcmp(s.last_error, saved.last_error) != 0 ||
			    now - saved_at >= 60000) {
				if (state_save(db, &s, &err) != DUKA_OK)
					worker_failed(&s, &err);
				saved = s;
				saved_at = now;
			}
		}
		if (sync_counts(db, &s, &err) != DUKA_OK)
			worker_failed(&s, &err);
		worker_publish(w, &s);
		now = mono_ms();
		if (mc != NULL && (now >= mpesa_due || kicked)) {
			mpesa_next = -1;
			if (mpesa_worker_step(mc, db, &mpesa_next, &err) !=
			    DUKA_OK) {
				copy_text(s.mpesa_error, sizeof s.mpesa_error,
				    err.msg);
				mpesa_next = SYNC_PROBE_MS;
			} else
				s.mpesa_error[0] = '\0';
			/* Nothing pending: a new prompt comes with a kick. */
			now = mono_ms();
			mpesa_due = now + (mpesa_next >= 0 ? mpesa_next :
			    SYNC_IDLE_MS);
			worker_publish(w, &s);
		}
		wake = now + SYNC_REFRESH_MS;
		if (mc != NULL && mpesa_due < wake)
			wake = mpesa_due;
		if (s.configured && !s.demo && !s.auth_failed) {
			if (next_push < wake)
				wake = next_push;
			if (probing && next_probe < wake)
				wake = next_probe;
		}
		kicked = worker_sleep(w, wake);
	}
out:
	mpesa_client_free(mc);
	http_free(http);
	db_close(db);
	return NULL;
}

int
sync_worker_start(const char *db_path, const struct settings *cfg,
    int wake_fd, struct sync_worker **out, struct duka_err *err)
{
	pthread_condattr_t ca;
	struct sync_worker *w;
	int rc;

	*out = NULL;
	if ((rc = http_global_init(err)) != DUKA_OK)
		return rc;
	/* The backoff's jitter comes from libsodium's random source. */
	if (sodium_init() < 0)
		return duka_fail(err, DUKA_EFAIL, _("the random number "
		    "source cannot start"));
	if (strlen(db_path) >= sizeof w->db_path)
		return duka_fail(err, DUKA_EINPUT, _("the database path is "
		    "too long"));
	if ((w = calloc(1, sizeof *w)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
	w->cfg = *cfg;
	w->wake_fd = wake_fd;
	w->st.configured = sync_configured(cfg);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return duka_fail(err, DUKA_EFAIL, _("cannot start the sync "
		    "worker: %s"), strerror(rc));
	}
	*out = w;
	return DUKA_OK;
}

void
sync_worker_status(struct sync_worker *w, struct sync_status *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->st;
	pthread_mutex_unlock(&w->mu);
}

void
sync_worker_kick(struct sync_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->kicked = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void
sync_worker_stop(struct sync_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
