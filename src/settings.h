/*
 * settings.h - duka.conf: the shop's settings, read from INI files.
 *
 * settings_load() fills a struct settings with the built-in defaults, then
 * applies the system file, then the user's file (a later file overrides an
 * earlier one key by key; a file that does not exist is skipped), or only
 * the file named on the command line when there is one. duka.conf(5)
 * documents every key, its default and the values it accepts.
 *
 * Section and key names are ASCII case-insensitive ([Shop] Name = works).
 * Words among the values (true/false, dark/light, KES) are case-insensitive
 * too; KRA PINs are stored upper case. Every other value is kept exactly.
 *
 * Failures return DUKA_ECONFIG (DUKA_EFAIL when memory runs out) with a
 * translated message of the shape "FILE:LINE: [SECTION] KEY: what is wrong"
 * (or "FILE: what is wrong" when no line is to blame), and leave *s exactly
 * as it was: a file is applied completely or not at all.
 *
 * The struct holds no pointers: copy it, and free nothing. These functions
 * read the environment (getenv), so call them before starting threads.
 */
#ifndef DUKA_SETTINGS_H
#define DUKA_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct settings {
	/* [shop] */
	char	shop_name[128];		/* name, UTF-8; default "" */
	char	shop_address[256];	/* address, UTF-8; default "" */
	char	kra_pin[16];		/* kra_pin, "" or e.g. "P051234567X" */
	char	shop_phone[32];		/* phone: digits, spaces, + - ( ) */
	char	currency[8];		/* currency: only "KES" for now */
	char	timezone[64];		/* timezone, "Africa/Nairobi" */

	/* [till] */
	char	till_id[32];		/* id: 1-31 of [A-Za-z0-9_-], "1" */
	char	database[4096];		/* database: absolute path, or "" for
					   settings_default_db_path() */

	/* [limits] */
	int64_t	max_discount_bp;	/* max_discount_percent, 1000 (10%) */
	int64_t	max_sale_lines;		/* max_lines, 200 */
	int64_t	min_sale_cents;		/* min_sale, 100 (1.00) */
	int64_t	max_sale_cents;		/* max_sale, 100000000 (1,000,000.00);
					   never less than min_sale_cents */

	/* [stock] */
	int64_t	near_expiry_days;	/* near_expiry_days, 30 */
	int	allow_negative_stock;	/* allow_negative_stock, 1 (0 or 1) */
	int64_t	reorder_window_days;	/* reorder_window_days, 14 */
	int64_t	safety_stock_bp;	/* safety_stock_percent, 2000 (20%) */
	int64_t	review_period_days;	/* review_period_days, 7 */

	/* [ui] */
	char	theme[16];		/* theme: "dark" (default) or "light" */
	int64_t	idle_timeout_s;		/* idle_timeout, 300; 0 = never */

	/* [printer] */
	char	printer[256];		/* device, "" = no printer */
	int64_t	printer_width;		/* width: 32 (default), 42 or 48 */

	/* [hub] (secrets: the file must be mode 0600) */
	char	hub_url[512];		/* url: http(s)://host[:port], "" = none */
	char	hub_token[128];		/* token: the till's bearer token */
	int64_t	hub_timeout_s;		/* timeout, 15 */

	/* [mpesa] (secrets: the file must be mode 0600) */
	char	mpesa_base_url[512];	/* base_url, the Daraja sandbox */
	char	mpesa_consumer_key[128];	/* consumer_key */
	char	mpesa_consumer_secret[128];	/* consumer_secret */
	char	mpesa_short_code[16];	/* short_code: Pay Bill or store number */
	char	mpesa_till_number[16];	/* till_number: Buy Goods till, "" for
					   a Pay Bill shop */
	char	mpesa_passkey[160];	/* passkey */
	char	mpesa_callback_url[512];	/* callback_url */
	char	mpesa_type[32];		/* transaction_type:
					   CustomerPayBillOnline (default) or
					   CustomerBuyGoodsOnline */
	int64_t	mpesa_timeout_s;	/* timeout, 30 */

	/* [users] */
	int64_t	lock_attempts;		/* lock_after, 5 wrong PINs */
	int64_t	lock_minutes;		/* lock_minutes, 15 */
};

/* Fill s with the built-in defaults. */
void	settings_defaults(struct settings *s);

/*
 * Apply the file at path on top of s. A missing file is an error only when
 * must_exist is nonzero; otherwise it leaves s alone and returns DUKA_OK.
 * A path that exists but is not a regular file (a directory, a FIFO) or
 * cannot be read is always an error.
 */
int	settings_load_file(struct settings *s, const char *path,
	    int must_exist, struct duka_err *err);

/*
 * Fill s from the defaults and the system and user files, or, when
 * explicit_path is not NULL, from the defaults and that file alone (which
 * must exist).
 */
int	settings_load(struct settings *s, const char *explicit_path,
	    struct duka_err *err);

/*
 * Where the system file ($DUKA_SYSCONFDIR/duka.conf, normally
 * /etc/duka/duka.conf) and the user file ($XDG_CONFIG_HOME/duka/duka.conf,
 * else $HOME/.config/duka/duka.conf) live. A path that cannot be known
 * (no HOME) or does not fit in its buffer comes back as "": no such file.
 */
void	settings_default_paths(char *system_path, size_t n1, char *user_path,
	    size_t n2);

/*
 * The database path used when [till] database is empty:
 * $XDG_DATA_HOME/duka/duka.db, else $HOME/.local/share/duka/duka.db.
 * Creates no directory. Fails when neither variable helps or buf is small.
 */
int	settings_default_db_path(char *buf, size_t n, struct duka_err *err);

#endif
