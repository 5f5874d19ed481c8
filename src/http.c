/*
 * http.c - the HTTP client of http.h on libcurl.
 *
 * One easy handle driven by one multi handle per struct http: the multi
 * handle keeps the connection cache (keep-alive reuse between requests)
 * and lets http_do() wait in slices of HTTP_SLICE_MS, so that a caller's
 * cancel flag stops a request promptly, whatever phase it is in (DNS,
 * connect, TLS, waiting for the reply).
 *
 * libcurl's global state is set up once, by the first http_new() (under
 * pthread_once); main() may call http_global_init() itself before it starts
 * threads, which is what libcurl's documentation asks for.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "i18n.h"

/* How often a running request looks at its cancel flag. */
#define HTTP_SLICE_MS 50

struct http {
	CURL *easy;
	CURLM *multi;
	char errbuf[CURL_ERROR_SIZE];
	/* The reply being received. */
	char *body;
	size_t len, cap;
	int too_large;
};

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static CURLcode http_global_rc = CURLE_OK;

static void
http_global_init_once(void)
{
	http_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
http_global_init(struct duka_err *err)
{
	pthread_once(&http_once, http_global_init_once);
	if (http_global_rc != CURLE_OK)
		return duka_fail(err, DUKA_EFAIL,
		    _("the network library cannot start: %s"),
		    curl_easy_strerror(http_global_rc));
	return DUKA_OK;
}

int
http_new(struct http **out, struct duka_err *err)
{
	struct http *h;
	int rc;

	*out = NULL;
	if ((rc = http_global_init(err)) != DUKA_OK)
		return rc;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	h->easy = curl_easy_init();
	h->multi = curl_multi_init();
	if (h->easy == NULL || h->multi == NULL) {
		http_free(h);
		return duka_fail(err, DUKA_EFAIL,
		    _("the network library cannot start"));
	}
	*out = h;
	return DUKA_OK;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	free(h->body);
	free(h);
}

void
http_response_clear(struct http_response *res)
{
	free(res->body);
	memset(res, 0, sizeof *res);
}

/* Collect the reply body; refuse (stop the transfer) past HTTP_BODY_MAX. */
static size_t
http_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct http *h = ctx;
	size_t n = size * nmemb, cap;
	char *p;

	if (n > HTTP_BODY_MAX - h->len) {
		h->too_large = 1;
		return 0;
	}
	if (h->len + n + 1 > h->cap) {
		cap = h->cap ? h->cap : 4096;
		while (cap < h->len + n + 1)
			cap *= 2;
		if ((p = realloc(h->body, cap)) == NULL)
			return 0;
		h->body = p;
		h->cap = cap;
	}
	memcpy(h->body + h->len, data, n);
	h->len += n;
	h->body[h->len] = '\0';
	return n;
}

/* The host part of url, for messages ("hub.example.com:8443"). */
static void
http_host(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://"), *end;
	size_t k;

	p = p != NULL ? p + 3 : url;
	if ((end = strchr(p, '@')) != NULL && end < p + strcspn(p, "/?#"))
		p = end + 1;	/* never show credentials in a URL */
	k = strcspn(p, "/?#");
	if (k >= n)
		k = n - 1;
	memcpy(out, p, k);
	out[k] = '\0';
}

/* Set the options of one request on the easy handle. */
static int
http_setup(struct http *h, const struct http_request *req,
    struct curl_slist **headers, struct duka_err *err)
{
	CURL *c = h->easy;
	const char *const *hd;
	struct curl_slist *l = NULL, *t;
	long connect_ms = req->connect_timeout_ms > 0 ?
	    req->connect_timeout_ms : 5000;
	long total_ms = req->timeout_ms > 0 ? req->timeout_ms : 15000;

	/* Reset forgets the options of the last request, not the connection
	 * cache (which lives in the multi handle). */
	curl_easy_reset(c);
	h->errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, PACKAGE "/" VERSION);
	if (req->basic_user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, req->basic_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    req->basic_password != NULL ? req->basic_password : "");
	}
	if (req->method == NULL || strcmp(req->method, "GET") == 0)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else {
		if (strcmp(req->method, "POST") == 0)
			curl_easy_setopt(c, CURLOPT_POST, 1L);
		else
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body != NULL ? req->body_len : 0));
		curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    req->body != NULL ? req->body : "");
	}
	/* "Expect: 100-continue" would cost a round trip (or a second's
	 * wait) on every large POST. */
	if ((l = curl_slist_append(NULL, "Expect:")) == NULL)
		goto nomem;
	for (hd = req->headers; hd != NULL && *hd != NULL; hd++) {
		if ((t = curl_slist_append(l, *hd)) == NULL)
			goto nomem;
		l = t;
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, l);
	*headers = l;
	return DUKA_OK;
nomem:
	curl_slist_free_all(l);
	return duka_fail(err, DUKA_EFAIL, _("out of memory"));
}

/* Turn a curl failure into res's flags and a message naming host. */
static int
http_failure(struct http *h, CURLcode cc, const char *host,
    struct http_response *res, struct duka_err *err)
{
	const char *why = h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc);

	res->status = 0;
	res->maybe_sent = !(cc == CURLE_COULDNT_CONNECT ||
	    cc == CURLE_COULDNT_RESOLVE_HOST ||
	    cc == CURLE_COULDNT_RESOLVE_PROXY);
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		res->timed_out = 1;
		return duka_fail(err, DUKA_EFAIL,
		    _("%s did not answer in time (%s)"), host, why);
	case CURLE_COULDNT_CONNECT:
		return duka_fail(err, DUKA_EFAIL,
		    _("cannot connect to %s (%s)"), host, why);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return duka_fail(err, DUKA_EFAIL,
		    _("cannot find %s: no network, or a wrong name (%s)"),
		    host, why);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return duka_fail(err, DUKA_EFAIL,
		    _("the secure connection to %s failed: its certificate "
		    "cannot be trusted (%s)"), host, why);
	case CURLE_WRITE_ERROR:
		if (h->too_large)
			return duka_fail(err, DUKA_EFAIL,
			    _("the reply from %s is too large (more than %d "
			    "bytes)"), host, HTTP_BODY_MAX);
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	case CURLE_ABORTED_BY_CALLBACK:
		return duka_fail(err, DUKA_EFAIL,
		    _("the request to %s was cancelled"), host);
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return duka_fail(err, DUKA_EFAIL,
		    _("the connection to %s broke (%s)"), host, why);
	default:
		return duka_fail(err, DUKA_EFAIL,
		    _("the request to %s failed (%s)"), host, why);
	}
}

/*
 * Run the transfer on the multi handle, waking every HTTP_SLICE_MS to look
 * at the cancel flag. Returns the transfer's result.
 */
static CURLcode
http_run(struct http *h, const int *cancel)
{
	CURLcode result = CURLE_OK;
	struct CURLMsg *m;
	int running = 1, left;

	if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK)
		return CURLE_FAILED_INIT;
	while (running) {
		if (cancel != NULL && __atomic_load_n(cancel, __ATOMIC_ACQUIRE)) {
			result = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		if (curl_multi_perform(h->multi, &running) != CURLM_OK) {
			result = CURLE_FAILED_INIT;
			break;
		}
		if (!running)
			break;
		if (curl_multi_poll(h->multi, NULL, 0, HTTP_SLICE_MS, NULL) !=
		    CURLM_OK) {
			result = CURLE_FAILED_INIT;
			break;
		}
	}
	if (!running) {
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE && m->easy_handle == h->easy)
				result = m->data.result;
	}
	curl_multi_remove_handle(h->multi, h->easy);
	return result;
}

int
http_do(struct http *h, const struct http_request *req,
    struct http_response *res, struct duka_err *err)
{
	struct curl_slist *headers = NULL;
	char host[256];
	CURLcode cc;
	long status = 0;
	int rc;

	memset(res, 0, sizeof *res);
	res->maybe_sent = 1;
	http_host(req->url, host, sizeof host);
	free(h->body);
	h->body = NULL;
	h->len = h->cap = 0;
	h->too_large = 0;
	if ((rc = http_setup(h, req, &headers, err)) != DUKA_OK)
		return rc;
	cc = http_run(h, req->cancel);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	if (cc != CURLE_OK) {
		free(h->body);
		h->body = NULL;
		h->len = h->cap = 0;
		return http_failure(h, cc, host, res, err);
	}
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	res->status = status;
	if (h->body == NULL && (h->body = calloc(1, 1)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));
	res->body = h->body;
	res->len = h->len;
	h->body = NULL;
	h->len = h->cap = 0;
	return DUKA_OK;
}
