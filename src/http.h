/*
 * http.h - one HTTP client per thread, over libcurl.
 *
 * Owns a curl easy handle (connections are reused between requests). Every
 * request has a connect timeout and a total timeout, CURLOPT_NOSIGNAL is set
 * (we run in threads), certificate and host verification stay on, and the
 * reply body is capped. The sync worker and the M-PESA client each own one
 * struct http; never share one between threads.
 */
#ifndef DUKA_HTTP_H
#define DUKA_HTTP_H

#include <stddef.h>

#include "status.h"

/* A reply body larger than this is refused as a transport error. */
#define HTTP_BODY_MAX (4 * 1024 * 1024)

struct http;

struct http_request {
	const char *method;		/* "GET", "POST" */
	const char *url;
	const char *const *headers;	/* "Name: value", NULL-terminated;
					   may be NULL */
	const char *body;		/* may be NULL */
	size_t body_len;
	const char *basic_user;		/* Basic auth, or NULL */
	const char *basic_password;
	long connect_timeout_ms;	/* 0: 5000 */
	long timeout_ms;		/* whole request; 0: 15000 */
	const int *cancel;		/* may be NULL; when *cancel turns
					   nonzero (read atomically) the
					   request stops within ~50 ms and
					   fails as cancelled */
};

/*
 * What came back. status is the HTTP status, or 0 when no reply arrived
 * (then err says why). maybe_sent tells a caller that must never repeat a
 * request with effect (an M-PESA push) whether the server may have received
 * it: 0 only when the connection was never made (refused, no route, DNS).
 */
struct http_response {
	long status;
	char *body;			/* NUL-terminated; owned, may be NULL */
	size_t len;
	int timed_out;
	int maybe_sent;
};

/*
 * Set up libcurl's global state once (thread-safe; http_new calls it).
 * main() may call it before starting threads, as libcurl asks.
 */
int http_global_init(struct duka_err *err);

int http_new(struct http **out, struct duka_err *err);
void http_free(struct http *h);

/*
 * Perform req. DUKA_OK when a reply arrived, whatever its status (4xx and
 * 5xx are the caller's to judge); DUKA_EFAIL with a message naming the host
 * and the cause (timeout, refused, reset, certificate, reply too large) when
 * none did. res is filled in both cases; free it with http_response_clear.
 */
int http_do(struct http *h, const struct http_request *req,
    struct http_response *res, struct duka_err *err);
void http_response_clear(struct http_response *res);

#endif
