/*
 * hub_http.c - duka-hub's HTTP side: libmicrohttpd, routes, limits, tokens
 * and the request log.
 *
 * MHD runs a pool of worker threads; each request is handled entirely in
 * the worker that read it, which has its own PostgreSQL connection
 * (hub_db()). A request is decided in two steps: when its headers arrive
 * (unknown route 404, wrong method 405, bad token 401, a Content-Length over
 * the limit 413: answered at once, before any body is read) and when its
 * body is complete. A body that grows past the limit without announcing it
 * is read to the end, dropped, and answered 413.
 *
 * A till's token is "dk1.<till id>.<64 hex digits>"; the hub stores only
 * the BLAKE2b hash of the secret part and compares hashes in constant time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "hub.h"

enum route {
	R_NONE, R_HEALTH, R_EVENTS, R_CATALOG, R_RESULTS, R_CALLBACK
};

static const struct route_def {
	const char *path;
	const char *method;
	enum route route;
	int needs_token;
	size_t max_body;
} routes[] = {
	{ "/v1/health", "GET", R_HEALTH, 0, 0 },
	{ "/v1/events", "POST", R_EVENTS, 1, HUB_MAX_BODY },
	{ "/v1/catalog", "GET", R_CATALOG, 1, 0 },
	{ "/v1/mpesa/results", "GET", R_RESULTS, 1, 0 },
	{ "/v1/mpesa/callback/", "POST", R_CALLBACK, 0, HUB_MAX_CALLBACK_BODY },
	/* The same without the word "mpesa", which Daraja is reported to
	 * refuse in callback URLs (shared/daraja.md): the path to register. */
	{ "/v1/stk/callback/", "POST", R_CALLBACK, 0, HUB_MAX_CALLBACK_BODY },
};

/* One request in flight. */
struct req {
	const struct route_def *r;
	struct hub_caller who;
	int authed;
	char *body;
	size_t len, cap;
	int too_big;
	struct timespec start;
};

unsigned
hub_reply_error(struct hub_reply *r, unsigned status, const char *msg)
{
	free(r->text);
	r->text = NULL;
	json_decref(r->body);
	r->status = status;
	/* The database's own words (paths, SQL) go to the log only. */
	r->body = json_pack("{ss}", "error", status == 503 ? "the hub's "
	    "database is unavailable; try again later" : status >= 500 ?
	    "internal error in the hub (its log says more)" : msg);
	snprintf(r->log, sizeof r->log, "error=\"%.120s\"", msg);
	return status;
}

/* One line per request on stderr: who, what, the outcome. */
static void
log_request(const struct req *q, const char *method, const char *url,
    const struct hub_reply *r)
{
	struct timespec now;
	struct tm tm;
	char when[32], path[80];
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - q->start.tv_sec) * 1000 +
	    (now.tv_nsec - q->start.tv_nsec) / 1000000;
	time_t t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The callback key is a secret: never in the log. */
	if (q->r != NULL && q->r->route == R_CALLBACK)
		snprintf(path, sizeof path, "%s*", q->r->path);
	else
		snprintf(path, sizeof path, "%.79s", url);
	for (char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == 0x7f)
			*p = '?';
	if (q->authed)
		fprintf(stderr, "%s shop=%s till=%lld %s %s %u %s ms=%ld\n",
		    when, q->who.shop_code, (long long)q->who.till_id, method,
		    path, r->status, r->log, ms);
	else
		fprintf(stderr, "%s shop=- till=- %s %s %u %s ms=%ld\n", when,
		    method, path, r->status, r->log, ms);
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct req *q, const char *method,
    const char *url, struct hub_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *text;

	if (r->text != NULL) {
		text = r->text;
		r->text = NULL;
	} else {
		if (r->body == NULL)
			hub_reply_error(r, 500, "out of memory");
		text = json_dumps(r->body, JSON_COMPACT);
	}
	log_request(q, method, url, r);
	json_decref(r->body);
	r->body = NULL;
	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	if (r->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer");
	if (r->status == 405 && q->r != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    q->r->method);
	ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static const struct route_def *
route_find(const char *url)
{
	size_t i, n;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (routes[i].route == R_CALLBACK) {
			n = strlen(routes[i].path);
			if (strncmp(url, routes[i].path, n) == 0 &&
			    url[n] != '\0' && strchr(url + n, '/') == NULL)
				return &routes[i];
		} else if (strcmp(url, routes[i].path) == 0) {
			return &routes[i];
		}
	}
	return NULL;
}

/*
 * Check "Bearer dk1.ID.SECRET" and fill who. The hash is computed and
 * compared even when the till does not exist, so that timing tells nothing.
 */
static int
token_check(const char *header, struct hub_caller *who, struct hub_reply *r)
{
	unsigned char hash[32];
	char want[2 + 64 + 1], idtext[24];
	const char *tok, *dot, *params[1], *stored;
	struct duka_err err = { 0, "" };
	PGresult *res;
	PGconn *c;
	size_t idlen;
	int match;

	if (header == NULL) {
		hub_reply_error(r, 401, "missing Authorization: Bearer token");
		return 0;
	}
	if (strncasecmp(header, "Bearer ", 7) != 0) {
		hub_reply_error(r, 401, "Authorization must be a Bearer token");
		return 0;
	}
	tok = header + 7;
	while (*tok == ' ')
		tok++;
	if (strncmp(tok, "dk1.", 4) != 0 || (dot = strchr(tok + 4, '.')) ==
	    NULL || (idlen = (size_t)(dot - tok - 4)) == 0 || idlen > 18 ||
	    strspn(tok + 4, "0123456789") != idlen || strlen(dot + 1) != 64 ||
	    strspn(dot + 1, "0123456789abcdef") != 64) {
		hub_reply_error(r, 401, "malformed token");
		return 0;
	}
	memcpy(idtext, tok + 4, idlen);
	idtext[idlen] = '\0';
	crypto_generichash(hash, sizeof hash, (const unsigned char *)(dot + 1),
	    64, NULL, 0);
	memcpy(want, "\\x", 2);
	sodium_bin2hex(want + 2, sizeof want - 2, hash, sizeof hash);

	if ((c = hub_db(&err)) == NULL) {
		hub_reply_error(r, 503, err.msg);
		return 0;
	}
	params[0] = idtext;
	res = hub_db_exec(c, "SELECT t.shop_id, s.code, t.token_hash "
	    "FROM tills t JOIN shops s USING (shop_id) "
	    "WHERE t.till_id = $1::bigint AND t.revoked_at IS NULL",
	    1, params, NULL, &err);
	if (res == NULL) {
		hub_reply_error(r, 503, err.msg);
		return 0;
	}
	stored = PQntuples(res) == 1 ? PQgetvalue(res, 0, 2) : want;
	match = strlen(stored) == strlen(want) &&
	    sodium_memcmp(stored, want, strlen(want)) == 0 &&
	    PQntuples(res) == 1;
	if (!match) {
		PQclear(res);
		hub_reply_error(r, 401, "unknown or revoked token");
		return 0;
	}
	who->shop_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	who->till_id = strtoll(idtext, NULL, 10);
	snprintf(who->shop_code, sizeof who->shop_code, "%s",
	    PQgetvalue(res, 0, 1));
	PQclear(res);
	return 1;
}

static void
health(struct hub_reply *r)
{
	struct duka_err err = { 0, "" };
	PGconn *c;
	int v;

	if ((c = hub_db(&err)) == NULL ||
	    hub_db_version(c, &v, &err) != DUKA_OK) {
		r->status = 503;
		r->body = json_pack("{ss ss}", "status", "unavailable",
		    "error", "the hub's database is unavailable");
		snprintf(r->log, sizeof r->log, "db=down error=\"%.120s\"",
		    err.msg);
		return;
	}
	r->status = 200;
	r->body = json_pack("{ss ss si}", "status", "ok", "version",
	    PACKAGE_VERSION, "schema", v);
	snprintf(r->log, sizeof r->log, "db=ok");
}

static const char *
arg(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The request is complete: answer it. */
static void
dispatch(struct MHD_Connection *conn, struct req *q, const char *url,
    struct hub_reply *r)
{
	switch (q->r->route) {
	case R_HEALTH:
		health(r);
		break;
	case R_EVENTS:
		hub_events_post(&q->who, q->body, q->len, r);
		break;
	case R_CATALOG:
		hub_catalog_get(&q->who, arg(conn, "since"),
		    arg(conn, "limit"), r);
		break;
	case R_RESULTS:
		hub_mpesa_results(&q->who, arg(conn, "ids"), r);
		break;
	case R_CALLBACK:
		hub_mpesa_callback(url + strlen(q->r->path), q->body, q->len,
		    r);
		break;
	default:
		hub_reply_error(r, 404, "no such route");
		break;
	}
}

/* Decide what can be decided from the headers alone; 0 = go on. */
static int
first_look(struct MHD_Connection *conn, struct req *q, const char *url,
    const char *method, struct hub_reply *r)
{
	const char *cl;
	char *end;
	unsigned long long n;

	if ((q->r = route_find(url)) == NULL) {
		hub_reply_error(r, 404, "no such route");
		return 1;
	}
	if (strcmp(method, q->r->method) != 0 &&
	    !(strcmp(method, "HEAD") == 0 && strcmp(q->r->method, "GET") == 0)) {
		hub_reply_error(r, 405, "method not allowed");
		return 1;
	}
	if (q->r->needs_token) {
		if (!token_check(MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION), &q->who, r))
			return 1;
		q->authed = 1;
	}
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' || n > q->r->max_body) {
			hub_reply_error(r, 413, "request body too large");
			return 1;
		}
	}
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct hub_reply r = { 0, NULL, "", NULL };
	struct req *q = *con_cls;

	if (q == NULL) {
		if ((q = calloc(1, sizeof *q)) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &q->start);
		*con_cls = q;
		if (first_look(conn, q, url, method, &r))
			return send_reply(conn, q, method, url, &r);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (q->too_big || q->len + n > q->r->max_body) {
			q->too_big = 1;
			free(q->body);
			q->body = NULL;
			q->len = q->cap = 0;
			return MHD_YES;
		}
		if (q->len + n > q->cap) {
			size_t cap = q->cap ? q->cap : 16384;
			char *p;

			while (cap < q->len + n)
				cap *= 2;
			if (cap > q->r->max_body)
				cap = q->r->max_body;
			if ((p = realloc(q->body, cap)) == NULL)
				return MHD_NO;
			q->body = p;
			q->cap = cap;
		}
		memcpy(q->body + q->len, upload_data, n);
		q->len += n;
		return MHD_YES;
	}
	if (q->too_big)
		hub_reply_error(&r, 413, "request body too large");
	else
		dispatch(conn, q, url, &r);
	return send_reply(conn, q, method, url, &r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req *q = *con_cls;

	if (q != NULL) {
		free(q->body);
		free(q);
		*con_cls = NULL;
	}
}

/* Bind and listen on "HOST:PORT" ("[V6]:PORT" too); prints the address. */
static int
listen_on(const char *addr, int *fd_out, struct duka_err *err)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char host[256], port[16], shown[INET6_ADDRSTRLEN];
	const char *colon;
	size_t hl;
	int fd, one = 1, rc;

	colon = strrchr(addr, ':');
	if (colon == NULL || colon == addr || strlen(colon + 1) == 0 ||
	    strlen(colon + 1) >= sizeof port ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return duka_fail(err, DUKA_EUSAGE, "--listen wants HOST:PORT, "
		    "e.g. 127.0.0.1:8080, not \"%s\"", addr);
	hl = (size_t)(colon - addr);
	if (addr[0] == '[' && hl >= 2 && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	if (hl >= sizeof host)
		return duka_fail(err, DUKA_EUSAGE, "--listen: host too long");
	memcpy(host, addr, hl);
	host[hl] = '\0';
	snprintf(port, sizeof port, "%s", colon + 1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		return duka_fail(err, DUKA_EUSAGE, "--listen %s: %s", host,
		    gai_strerror(rc));
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, 128) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return duka_fail(err, DUKA_EFAIL, "cannot listen on %s: %s",
		    addr, strerror(rc));
	}
	freeaddrinfo(ai);
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, shown, sizeof shown);
		fprintf(stderr, "duka-hub %s listening on http://[%s]:%u\n",
		    PACKAGE_VERSION, shown, ntohs(s6->sin6_port));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, shown, sizeof shown);
		fprintf(stderr, "duka-hub %s listening on http://%s:%u\n",
		    PACKAGE_VERSION, shown, ntohs(s4->sin_port));
	}
	*fd_out = fd;
	return DUKA_OK;
}

int
hub_http_serve(const char *addr, int threads, struct duka_err *err)
{
	struct MHD_Daemon *d;
	sigset_t set;
	int fd = -1, rc, sig = 0;

	/* Workers inherit the mask: only sigwait() below sees the signals. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((rc = listen_on(addr, &fd, err)) != DUKA_OK)
		return rc;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		close(fd);
		return duka_fail(err, DUKA_EFAIL,
		    "cannot start the HTTP server");
	}
	sigwait(&set, &sig);
	fprintf(stderr, "duka-hub: signal %d, stopping\n", sig);
	MHD_stop_daemon(d);	/* closes fd too */
	return DUKA_OK;
}
