/*
 * login.c - who is at the till: the first run's owner, the login at start,
 * after the idle timeout and on "switch user", and the manager's PIN
 * pop-up that approves one action without logging the attendant out.
 *
 * The checks themselves (PINs, lockout, what each role may do) are in
 * src/user.c; this file only asks and shows, and wipes the PINs typed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "i18n.h"
#include "login.h"
#include "user.h"
#include "widget.h"

/* The form's context: the till and, for approvals, what is approved. */
struct login_ctx {
	struct tui *t;
	struct actor *actor;
	unsigned perms;
};

static int
login_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct login_ctx *lc = ctx;
	struct tui_ctx *c = tui_ctx(lc->t);
	struct actor a;

	(void)n;
	memset(&a, 0, sizeof a);
	if (user_login(c->db, f[0].buf, f[1].buf, c->cfg, &a, err) != DUKA_OK)
		return DUKA_EPERM;
	*lc->actor = a;
	return DUKA_OK;
}

static int
pin_check(const char *text, void *ctx, struct duka_err *err)
{
	(void)ctx;
	return user_pin_check(text, err);
}

/* The very first user of a shop: the owner, with the PIN typed twice. */
static int
owner_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct login_ctx *lc = ctx;
	struct tui_ctx *c = tui_ctx(lc->t);
	int rc;

	(void)n;
	if (strcmp(f[1].buf, f[2].buf) != 0)
		return duka_fail(err, DUKA_EINPUT, _("The two PINs differ; type "
		    "the same PIN twice."));
	if ((rc = user_add(c->db, f[0].buf, ROLE_OWNER, f[1].buf, err)) !=
	    DUKA_OK)
		return rc;
	return login_submit(f, 2, ctx, err);
}

static int
login_first_owner(struct tui *t, struct actor *a)
{
	char name[USER_NAME_MAX] = "", pin[PIN_MAX_DIGITS + 1] = "";
	char again[PIN_MAX_DIGITS + 1] = "";
	struct w_field f[] = {
		{ _("Owner's name"), W_TEXT, name, sizeof name, NULL, NULL, 0 },
		{ _("PIN (4-8 digits)"), W_PIN, pin, sizeof pin, pin_check,
		    NULL, 0 },
		{ _("PIN again"), W_PIN, again, sizeof again, NULL, NULL, 0 },
	};
	struct login_ctx lc = { t, a, 0 };
	int rc;

	rc = w_form(t, _("Welcome: who owns this shop?"), f, 3, owner_submit,
	    &lc);
	sodium_memzero(pin, sizeof pin);
	sodium_memzero(again, sizeof again);
	return rc;
}

static int
login_form(struct tui *t, const char *title, struct actor *a)
{
	char name[USER_NAME_MAX] = "", pin[PIN_MAX_DIGITS + 1] = "";
	struct w_field f[] = {
		{ _("Name"), W_TEXT, name, sizeof name, NULL, NULL, 0 },
		{ _("PIN"), W_PIN, pin, sizeof pin, NULL, NULL, 0 },
	};
	struct login_ctx lc = { t, a, 0 };
	int rc;

	rc = w_form(t, title, f, 2, login_submit, &lc);
	sodium_memzero(pin, sizeof pin);
	return rc;
}

static void
login_become(struct tui *t, struct actor *a)
{
	struct tui_ctx *c = tui_ctx(t);

	db_set_actor(c->db, a);
	snprintf(c->user, sizeof c->user, "%s", a->name);
	tui_info(t, _("Welcome, %s."), a->name);
}

int
login_start(struct tui *t, struct actor *a)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	int64_t n = 0;

	if (user_count(c->db, &n, &err) != DUKA_OK)
		return -1;
	if (n == 0 && db_is_demo(c->db)) {
		tui_info(t, _("Demo shop without users: everyone may do "
		    "everything (duka user add makes the first owner)."));
		return DUKA_OK;
	}
	/* Nobody is at the till until the form says who ($USER is not). */
	snprintf(c->user, sizeof c->user, "%s", "");
	if (n == 0) {
		if (login_first_owner(t, a) != DUKA_OK)
			return -1;
	} else if (login_form(t, _("Log in"), a) != DUKA_OK) {
		return -1;
	}
	login_become(t, a);
	return DUKA_OK;
}

int
login_again(struct tui *t, struct actor *a, const char *why)
{
	struct tui_ctx *c = tui_ctx(t);
	struct duka_err err = { 0, "" };
	struct actor next;
	int64_t n = 0;

	if (user_count(c->db, &n, &err) != DUKA_OK || n == 0)
		return DUKA_OK;		/* setup mode: nobody to log in */
	/* Nobody acts while the till waits for a PIN. */
	db_set_actor(c->db, NULL);
	snprintf(c->user, sizeof c->user, "%s", "");
	memset(&next, 0, sizeof next);
	if (login_form(t, why, &next) != DUKA_OK)
		return -1;
	*a = next;
	login_become(t, a);
	return DUKA_OK;
}

static int
approve_submit(struct w_field *f, int n, void *ctx, struct duka_err *err)
{
	struct login_ctx *lc = ctx;
	struct tui_ctx *c = tui_ctx(lc->t);

	(void)n;
	return perm_approve(c->db, f[0].buf, f[1].buf, lc->perms, c->cfg, err);
}

int
tui_approve(struct tui *t, unsigned perms)
{
	char name[USER_NAME_MAX] = "", pin[PIN_MAX_DIGITS + 1] = "";
	char title[160];
	struct w_field f[] = {
		{ _("Manager"), W_TEXT, name, sizeof name, NULL, NULL, 0 },
		{ _("PIN"), W_PIN, pin, sizeof pin, NULL, NULL, 0 },
	};
	struct login_ctx lc = { t, NULL, perms };
	unsigned p;
	int rc;

	/* What only the owner may do (users, settings, exports) is not
	 * approved by a manager standing by: the caller shows the refusal. */
	if (perms == 0 || (perms & ~role_perms(ROLE_MANAGER)) != 0)
		return -1;
	for (p = 1; p != 0 && !(perms & p); p <<= 1)
		;
	snprintf(title, sizeof title, _("A manager must approve %s"),
	    p != 0 ? perm_label((enum perm)p) : _("this"));
	rc = w_form(t, title, f, 2, approve_submit, &lc);
	sodium_memzero(pin, sizeof pin);
	if (rc != DUKA_OK) {
		perm_approval_clear(tui_ctx(t)->db);
		tui_info(t, _("Not approved: nothing was changed."));
		return -1;
	}
	return DUKA_OK;
}
