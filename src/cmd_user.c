/*
 * cmd_user.c - "duka user" (add, list, pin, role, lock, unlock,
 * deactivate) and the command line's login: who runs this duka command,
 * with which PIN, and which manager approves a risky one.
 *
 * PINs come from the environment (DUKA_PIN, DUKA_APPROVER_PIN, DUKA_NEW_PIN,
 * for scripts and tests) or are read from the terminal without echo; they
 * are never taken as arguments, which every user of the machine could read
 * in the process list.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "cli.h"
#include "i18n.h"
#include "user.h"

/* The logged-in user of this process; db_set_actor() points at it. */
static struct actor cli_actor;

/*
 * Read a PIN: from the environment variable env when set, else from the
 * terminal (/dev/tty) without echo after printing prompt. Fails when there
 * is neither.
 */
static int
pin_read(const char *env, const char *prompt, char *out, size_t n,
    struct duka_err *err)
{
	const char *v = getenv(env);
	struct termios old, quiet;
	FILE *tty;
	size_t len;
	int ok;

	if (v != NULL) {
		if (strlen(v) >= n)
			return duka_fail(err, DUKA_EINPUT,
			    _("a PIN is %d to %d digits"), PIN_MIN_DIGITS,
			    PIN_MAX_DIGITS);
		memcpy(out, v, strlen(v) + 1);
		return DUKA_OK;
	}
	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return duka_fail(err, DUKA_EPERM, _("a PIN is needed: set %s "
		    "or run duka on a terminal"), env);
	fputs(prompt, tty);
	fflush(tty);
	ok = tcgetattr(fileno(tty), &old) == 0;
	if (ok) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)n, tty) == NULL)
		out[0] = '\0';
	if (ok)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	len = strlen(out);
	if (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
	return DUKA_OK;
}

/* A new PIN: DUKA_NEW_PIN, or typed twice on the terminal. */
static int
pin_read_new(const char *who, char *out, size_t n, struct duka_err *err)
{
	char again[32], prompt[160];
	int rc;

	snprintf(prompt, sizeof prompt, _("New PIN for %s: "), who);
	if ((rc = pin_read("DUKA_NEW_PIN", prompt, out, n, err)) != DUKA_OK)
		return rc;
	if ((rc = user_pin_check(out, err)) != DUKA_OK)
		return rc;
	if (getenv("DUKA_NEW_PIN") != NULL)
		return DUKA_OK;
	if ((rc = pin_read("DUKA_NEW_PIN", _("The same PIN again: "), again,
	    sizeof again, err)) != DUKA_OK)
		return rc;
	rc = strcmp(out, again) == 0 ? DUKA_OK : duka_fail(err, DUKA_EINPUT,
	    "%s", _("the two PINs differ; nothing was changed"));
	sodium_memzero(again, sizeof again);
	return rc;
}

int
cli_login(struct app *app, const char *name, const char *approver,
    struct duka_err *err)
{
	struct duka_err e = { 0, "" };
	struct user ap;
	char pin[32], prompt[160];
	unsigned mask;
	int64_t n;
	int rc;

	/* Best effort: a read-only database can still be read. */
	audit_chain_legacy(app->db, &e);
	if ((rc = user_count(app->db, &n, err)) != DUKA_OK)
		return rc;
	if (n == 0)
		return DUKA_OK;		/* setup mode: no users yet */
	if (name == NULL || *name == '\0')
		name = getenv("DUKA_USER");
	if (name == NULL || *name == '\0')
		return duka_fail(err, DUKA_EPERM, "%s", _("this shop has "
		    "users: say who you are with --user NAME (or DUKA_USER)"));
	snprintf(prompt, sizeof prompt, _("PIN for %s: "), name);
	if ((rc = pin_read("DUKA_PIN", prompt, pin, sizeof pin, err)) != 0)
		return rc;
	rc = user_login(app->db, name, pin, &app->cfg, &cli_actor, err);
	sodium_memzero(pin, sizeof pin);
	if (rc != DUKA_OK)
		return rc;
	db_set_actor(app->db, &cli_actor);
	cli_set_user(cli_actor.name);
	if (approver == NULL || *approver == '\0')
		return DUKA_OK;
	/* The approval covers what the approver may do and the user may
	 * not; it is spent by the command's one risky action. */
	mask = role_perms(ROLE_MANAGER);
	if (user_get(app->db, approver, &ap, &e) == DUKA_OK &&
	    ap.role >= ROLE_MANAGER)
		mask = role_perms(ap.role);
	mask &= ~role_perms(cli_actor.role);
	if (mask == 0)
		return DUKA_OK;		/* nothing the user could not do */
	snprintf(prompt, sizeof prompt, _("PIN for %s (approving): "),
	    approver);
	if ((rc = pin_read("DUKA_APPROVER_PIN", prompt, pin, sizeof pin,
	    err)) != DUKA_OK)
		return rc;
	rc = perm_approve(app->db, approver, pin, mask, &app->cfg, err);
	sodium_memzero(pin, sizeof pin);
	return rc;
}

/* Print the help of duka user. */
static void
user_help(FILE *fp)
{
	cli_usage(fp, "user", _("add|list|pin|role|lock|unlock|deactivate ..."),
	    _("  duka user add NAME --role attendant|manager|owner\n"
	    "  duka user list\n"
	    "  duka user pin NAME\n"
	    "  duka user role NAME attendant|manager|owner\n"
	    "  duka user lock NAME\n"
	    "  duka user unlock NAME\n"
	    "  duka user deactivate NAME\n\n"
	    "A new PIN (4 to 8 digits) is read from DUKA_NEW_PIN or typed twice\n"
	    "on the terminal. While the shop has no users, \"duka user add NAME\n"
	    "--role owner\" needs no login; afterwards only the owner manages\n"
	    "users, and everyone may change their own PIN.\n"));
}

/* Print one user as a line of the list. */
static void
user_line(void *ctx, const struct user *u)
{
	char now[TIMESTAMP_LEN];
	const char *state = "";

	(void)ctx;
	date_timestamp(date_now(), now);
	if (!u->active)
		state = _("deactivated");
	else if (u->locked_until[0] != '\0' && strcmp(now,
	    u->locked_until) < 0)
		state = _("locked");
	printf("%-24s %-10s %-12s %s\n", u->name, role_name(u->role), state,
	    u->last_login_at[0] != '\0' ? u->last_login_at : "-");
}

/* duka user add NAME --role ROLE. */
static int
user_cmd_add(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *name = NULL, *role_text = NULL;
	char pin[32];
	enum role role;
	int64_t n;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role_text = argv[++i];
		else if (strncmp(argv[i], "--role=", 7) == 0)
			role_text = argv[i] + 7;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else
			return duka_fail(err, DUKA_EUSAGE, _("usage: duka user "
			    "add NAME --role attendant|manager|owner"));
	}
	if (name == NULL || role_text == NULL)
		return duka_fail(err, DUKA_EUSAGE, _("usage: duka user add "
		    "NAME --role attendant|manager|owner"));
	if ((rc = role_parse(role_text, &role, err)) != DUKA_OK)
		return rc;
	/* Refuse early, before asking for a PIN nobody may set. */
	if ((rc = user_count(app->db, &n, err)) != DUKA_OK)
		return rc;
	if (n == 0 && role != ROLE_OWNER)
		return duka_fail(err, DUKA_EINPUT, "%s", _("the first user "
		    "must be the owner (--role owner)"));
	if (n > 0 && !perm_allowed(app->db, PERM_USERS))
		return perm_require(app->db, PERM_USERS, err);
	if ((rc = pin_read_new(name, pin, sizeof pin, err)) != DUKA_OK)
		return rc;
	rc = user_add(app->db, name, role, pin, err);
	sodium_memzero(pin, sizeof pin);
	if (rc != DUKA_OK)
		return rc;
	printf(_("Added %s (%s)\n"), name, role_name(role));
	return DUKA_OK;
}

/* duka user pin|role|lock|unlock|deactivate NAME [ROLE]. */
static int
user_cmd_change(struct app *app, const char *sub, int argc, char **argv,
    struct duka_err *err)
{
	char pin[32];
	enum role role;
	int rc;

	if (argc != (strcmp(sub, "role") == 0 ? 3 : 2) || argv[1][0] == '-')
		return duka_fail(err, DUKA_EUSAGE, strcmp(sub, "role") == 0 ?
		    _("usage: duka user role NAME attendant|manager|owner") :
		    _("usage: duka user %s NAME"), sub);
	if (strcmp(sub, "pin") == 0) {
		struct actor *a = db_actor(app->db);
		struct user u;

		if ((rc = user_get(app->db, argv[1], &u, err)) != DUKA_OK)
			return rc;
		if (!(a != NULL && a->user_id == u.id) &&
		    !perm_allowed(app->db, PERM_USERS))
			return perm_require(app->db, PERM_USERS, err);
		if ((rc = pin_read_new(u.name, pin, sizeof pin, err)) != 0)
			return rc;
		rc = user_set_pin(app->db, u.name, pin, err);
		sodium_memzero(pin, sizeof pin);
	} else if (strcmp(sub, "role") == 0) {
		if ((rc = role_parse(argv[2], &role, err)) != DUKA_OK)
			return rc;
		rc = user_set_role(app->db, argv[1], role, err);
	} else if (strcmp(sub, "lock") == 0)
		rc = user_lock(app->db, argv[1], err);
	else if (strcmp(sub, "unlock") == 0)
		rc = user_unlock(app->db, argv[1], err);
	else
		rc = user_deactivate(app->db, argv[1], err);
	if (rc != DUKA_OK)
		return rc;
	printf(_("Done: %s %s\n"), sub, argv[1]);
	return DUKA_OK;
}

int
cmd_user(struct app *app, int argc, char **argv, struct duka_err *err)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		user_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? DUKA_EUSAGE : DUKA_OK;
	}
	argc--;
	argv++;
	if (strcmp(sub, "add") == 0)
		return user_cmd_add(app, argc, argv, err);
	if (strcmp(sub, "list") == 0 && argc == 1) {
		printf("%-24s %-10s %-12s %s\n", _("Name"), _("Role"),
		    _("State"), _("Last login (UTC)"));
		return user_list(app->db, user_line, NULL, err);
	}
	if (strcmp(sub, "pin") == 0 || strcmp(sub, "role") == 0 ||
	    strcmp(sub, "lock") == 0 || strcmp(sub, "unlock") == 0 ||
	    strcmp(sub, "deactivate") == 0)
		return user_cmd_change(app, sub, argc, argv, err);
	return duka_fail(err, DUKA_EUSAGE,
	    _("unknown user command \"%s\" (see duka user --help)"), sub);
}
