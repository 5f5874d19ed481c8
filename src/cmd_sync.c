/*
 * cmd_sync.c - "duka sync": send the outbox to the hub and fetch its
 * catalogue once (--once), or show where sync stands (--status), with the
 * same src/sync.c functions that the till's worker thread uses.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "i18n.h"
#include "sync.h"

/* Print the help of duka sync. */
static void
sync_help(FILE *fp)
{
	cli_usage(fp, "sync", _("--once | --status"), _(
	    "  duka sync --once     send every unsent event to the hub, then\n"
	    "                       fetch the hub's catalogue (names, prices,\n"
	    "                       barcodes, tax classes); fails when the hub\n"
	    "                       cannot be reached\n"
	    "  duka sync --status   the last attempt (online or not), unsent\n"
	    "                       events and the age of the oldest, events\n"
	    "                       the hub rejected with its reasons, the last\n"
	    "                       error\n\n"
	    "The hub is [hub] url and token in duka.conf. The demo shop never\n"
	    "syncs.\n"));
}

/* "3 h 20 min" from seconds, for the age of the oldest unsent event. */
static void
age_text(int64_t s, char *out, size_t n)
{
	if (s < 60)
		snprintf(out, n, _("%lld s"), (long long)s);
	else if (s < 3600)
		snprintf(out, n, _("%lld min"), (long long)(s / 60));
	else if (s < 86400)
		snprintf(out, n, _("%lld h %lld min"), (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(out, n, _("%lld days %lld h"), (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

/* A UTC time from milliseconds since 1970, or "never". */
static void
when_text(int64_t ms, char *out, size_t n)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);

	if (ms <= 0 || gmtime_r(&t, &tm) == NULL)
		snprintf(out, n, "%s", _("never"));
	else
		strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
print_rejected(void *ctx, const struct sync_rejected *r)
{
	(void)ctx;
	printf("  %s  %s  %s  %s\n", r->id, r->type, r->at, r->error);
}

/* duka sync --status. */
static int
sync_show_status(struct app *app, struct duka_err *err)
{
	struct sync_status st;
	char age[64], when[64];
	int rc;

	if ((rc = sync_status_read(app->db, &app->cfg, &st, err)) != DUKA_OK)
		return rc;
	printf(_("hub:        %s\n"), st.configured ? app->cfg.hub_url :
	    _("not configured ([hub] url and token in duka.conf)"));
	if (st.demo)
		printf(_("state:      the demo shop: it never syncs\n"));
	else if (st.auth_failed)
		printf(_("state:      stopped: the hub refused this till's "
		    "token\n"));
	else if (st.last_attempt_at_ms == 0)
		printf(_("state:      no attempt yet\n"));
	else
		printf(_("state:      %s (last attempt)\n"), st.online ?
		    _("online") : _("offline"));
	age_text(st.oldest_age_s, age, sizeof age);
	if (st.unsent > 0)
		printf(_("unsent:     %lld (the oldest is %s old)\n"),
		    (long long)st.unsent, age);
	else
		printf(_("unsent:     0\n"));
	when_text(st.last_ok_at_ms, when, sizeof when);
	printf(_("last sync:  %s\n"), when);
	when_text(st.last_attempt_at_ms, when, sizeof when);
	printf(_("last try:   %s\n"), when);
	if (st.last_error[0] != '\0')
		printf(_("last error: %s\n"), st.last_error);
	printf(_("rejected:   %lld\n"), (long long)st.rejected);
	if (st.rejected > 0)
		return sync_rejected_list(app->db, print_rejected, NULL, err);
	return DUKA_OK;
}

int
cmd_sync(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct sync_status st;
	int i, once = 0, status = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			sync_help(stdout);
			return DUKA_OK;
		}
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "--status") == 0)
			status = 1;
		else
			return duka_fail(err, DUKA_EUSAGE, _("unknown argument "
			    "\"%s\" (see duka sync --help)"), argv[i]);
	}
	if (once + status != 1)
		return duka_fail(err, DUKA_EUSAGE, _("say --once or --status "
		    "(see duka sync --help)"));
	if (status)
		return sync_show_status(app, err);
	rc = sync_once(app->db, &app->cfg, &st, err);
	if (rc != DUKA_OK)
		return rc;
	printf(_("sent %lld events, applied %lld catalogue products; "
	    "unsent %lld, rejected %lld\n"), (long long)st.sent,
	    (long long)st.pulled, (long long)st.unsent,
	    (long long)st.rejected);
	return DUKA_OK;
}
