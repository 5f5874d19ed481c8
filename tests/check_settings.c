/*
 * check_settings.c - unit tests for src/settings.c (duka.conf).
 *
 * Every test runs in a fresh temporary directory that holds a fake system
 * config directory ($DUKA_SYSCONFDIR), a home ($HOME, $XDG_CONFIG_HOME) and
 * a fake zoneinfo tree ($TZDIR), so that no file of the machine is read and
 * the tests pass without tzdata installed.
 */
#include "config.h"

/* POSIX.1-2008 (mkdtemp, setenv) when config.h has not asked for more. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "status.h"

static char	tmp[1024];		/* this test's directory */
static char	conf[1200];		/* tmp/t.conf, written by load_text() */

/* Make path (relative to tmp) a directory. */
static void
make_dir(const char *rel)
{
	char	path[1200];

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s: %s", path,
	    strerror(errno));
}

/* Write len bytes of data into rel (relative to tmp); return the path. */
static const char *
write_bytes(const char *rel, const char *data, size_t len)
{
	static char	 path[1200];
	FILE		*fp;

	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	fp = fopen(path, "wb");
	ck_assert_msg(fp != NULL, "fopen %s: %s", path, strerror(errno));
	ck_assert(fwrite(data, 1, len, fp) == len);
	ck_assert(fclose(fp) == 0);
	return (path);
}

/* Write the string text into rel (relative to tmp); return the path. */
static const char *
write_text(const char *rel, const char *text)
{
	return (write_bytes(rel, text, strlen(text)));
}

/* Remove path and everything below it. */
static void
remove_tree(const char *path)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*dir;
	char		 sub[2048];

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (dir = opendir(path)) != NULL) {
		chmod(path, 0755);
		while ((de = readdir(dir)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(dir);
		rmdir(path);
	} else
		unlink(path);
}

/* Build the private directory tree and point the environment at it. */
static void
setup(void)
{
	const char	*base = getenv("TMPDIR");
	char		 path[1200];

	snprintf(tmp, sizeof tmp, "%s/check_settings.XXXXXX",
	    base != NULL && *base == '/' ? base : "/tmp");
	ck_assert_msg(mkdtemp(tmp) != NULL, "mkdtemp: %s", strerror(errno));
	make_dir("etc");
	make_dir("home");
	make_dir("home/.config");
	make_dir("home/.config/duka");
	make_dir("xdg");
	make_dir("xdg/duka");
	make_dir("zoneinfo");
	make_dir("zoneinfo/Africa");
	make_dir("zoneinfo/Europe");
	write_text("zoneinfo/Africa/Nairobi", "TZif2 fake zone for the tests");
	write_text("zoneinfo/Africa/Kampala", "TZif2 fake zone for the tests");
	write_text("zoneinfo/Europe/London", "TZif2 fake zone for the tests");
	write_text("zoneinfo/zone.tab", "# not a zone file\n");

	snprintf(path, sizeof path, "%s/etc", tmp);
	setenv("DUKA_SYSCONFDIR", path, 1);
	snprintf(path, sizeof path, "%s/home", tmp);
	setenv("HOME", path, 1);
	snprintf(path, sizeof path, "%s/xdg", tmp);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof path, "%s/zoneinfo", tmp);
	setenv("TZDIR", path, 1);
	unsetenv("XDG_DATA_HOME");
	snprintf(conf, sizeof conf, "%s/t.conf", tmp);
}

/* Remove the private directory tree. */
static void
teardown(void)
{
	remove_tree(tmp);
}

/* Load text as tmp/t.conf on top of the defaults. */
static int
load_text(const char *text, struct settings *s, struct duka_err *e)
{
	write_text("t.conf", text);
	settings_defaults(s);
	duka_err_clear(e);
	return (settings_load_file(s, conf, 1, e));
}

/* Assert that rc is DUKA_ECONFIG and e->msg starts with prefix and holds
 * part. */
static void
assert_fails(int rc, const struct duka_err *e, const char *prefix,
    const char *part)
{
	ck_assert_msg(rc == DUKA_ECONFIG, "expected DUKA_ECONFIG, got %d (%s)",
	    rc, e->msg);
	ck_assert_int_eq(e->code, DUKA_ECONFIG);
	ck_assert_msg(strncmp(e->msg, prefix, strlen(prefix)) == 0,
	    "message \"%s\" does not start with \"%s\"", e->msg, prefix);
	ck_assert_msg(strstr(e->msg, part) != NULL,
	    "message \"%s\" does not hold \"%s\"", e->msg, part);
}

/* The built-in defaults are the documented ones. */
START_TEST(test_defaults)
{
	struct settings	s, t;
	struct duka_err	e;

	settings_defaults(&s);
	ck_assert_str_eq(s.shop_name, "");
	ck_assert_str_eq(s.shop_address, "");
	ck_assert_str_eq(s.kra_pin, "");
	ck_assert_str_eq(s.shop_phone, "");
	ck_assert_str_eq(s.currency, "KES");
	ck_assert_str_eq(s.timezone, "Africa/Nairobi");
	ck_assert_str_eq(s.till_id, "1");
	ck_assert_str_eq(s.database, "");
	ck_assert_int_eq(s.max_discount_bp, 1000);
	ck_assert_int_eq(s.max_sale_lines, 200);
	ck_assert_int_eq(s.min_sale_cents, 100);
	ck_assert_int_eq(s.max_sale_cents, INT64_C(100000000));
	ck_assert_int_eq(s.near_expiry_days, 30);
	ck_assert_int_eq(s.allow_negative_stock, 1);
	ck_assert_int_eq(s.reorder_window_days, 14);
	ck_assert_int_eq(s.safety_stock_bp, 2000);
	ck_assert_int_eq(s.review_period_days, 7);
	ck_assert_str_eq(s.theme, "dark");
	ck_assert_int_eq(s.idle_timeout_s, 300);
	ck_assert_str_eq(s.printer, "");
	ck_assert_int_eq(s.printer_width, 32);

	/* No file anywhere: the defaults, and success. */
	memset(&t, 0x5a, sizeof t);
	duka_err_clear(&e);
	ck_assert_int_eq(settings_load(&t, NULL, &e), DUKA_OK);
	ck_assert(memcmp(&s, &t, sizeof s) == 0);

	/* An empty file, and one of comments only, change nothing. */
	ck_assert_int_eq(load_text("", &t, &e), DUKA_OK);
	ck_assert(memcmp(&s, &t, sizeof s) == 0);
	ck_assert_int_eq(load_text("; comment\n# comment\n\n[shop]\n", &t, &e),
	    DUKA_OK);
	ck_assert(memcmp(&s, &t, sizeof s) == 0);
}
END_TEST

enum type { T_TEXT, T_I64, T_INT };

struct good {
	const char	*section;
	const char	*key;
	const char	*value;
	size_t		 offset;
	enum type	 type;
	const char	*text;		/* T_TEXT: what is stored */
	int64_t		 num;		/* T_I64, T_INT: what is stored */
};

#define AT(m) offsetof(struct settings, m)
#define GOOD_TEXT(sec, key, val, m, want) \
	{ sec, key, val, AT(m), T_TEXT, want, 0 }
#define GOOD_NUM(sec, key, val, m, want) \
	{ sec, key, val, AT(m), T_I64, NULL, want }
#define GOOD_BOOL(val, want) \
	{ "stock", "allow_negative_stock", val, AT(allow_negative_stock), \
	    T_INT, NULL, want }

static const struct good goods[] = {
	GOOD_TEXT("shop", "name", "Duka la Mama", shop_name, "Duka la Mama"),
	GOOD_TEXT("shop", "name", "\"  Spaced out  \"", shop_name,
	    "  Spaced out  "),
	GOOD_TEXT("shop", "name", "Mama;Njeri", shop_name, "Mama;Njeri"),
	GOOD_TEXT("shop", "name", "Mama Njeri ; a comment", shop_name,
	    "Mama Njeri"),
	GOOD_TEXT("shop", "address", "Kariakor Market, Stall 12, Nairobi",
	    shop_address, "Kariakor Market, Stall 12, Nairobi"),
	GOOD_TEXT("shop", "phone", "+254 712 345678", shop_phone,
	    "+254 712 345678"),
	GOOD_TEXT("shop", "phone", "(020) 123-4567", shop_phone,
	    "(020) 123-4567"),
	GOOD_TEXT("shop", "phone", "", shop_phone, ""),
	GOOD_TEXT("shop", "kra_pin", "P051234567X", kra_pin, "P051234567X"),
	GOOD_TEXT("shop", "kra_pin", "a123456789z", kra_pin, "A123456789Z"),
	GOOD_TEXT("shop", "kra_pin", "", kra_pin, ""),
	GOOD_TEXT("shop", "currency", "KES", currency, "KES"),
	GOOD_TEXT("shop", "currency", "kes", currency, "KES"),
	GOOD_TEXT("shop", "timezone", "Africa/Kampala", timezone,
	    "Africa/Kampala"),
	GOOD_TEXT("shop", "timezone", "Europe/London", timezone,
	    "Europe/London"),
	GOOD_TEXT("shop", "timezone", "UTC", timezone, "UTC"),
	GOOD_TEXT("till", "id", "till-2_A", till_id, "till-2_A"),
	GOOD_TEXT("till", "id", "abcdefghijklmnopqrstuvwxyz01234", till_id,
	    "abcdefghijklmnopqrstuvwxyz01234"),
	GOOD_TEXT("till", "database", "/var/lib/duka/shop.db", database,
	    "/var/lib/duka/shop.db"),
	GOOD_TEXT("till", "database", "", database, ""),
	GOOD_NUM("limits", "max_discount_percent", "12.5", max_discount_bp,
	    1250),
	GOOD_NUM("limits", "max_discount_percent", "15%", max_discount_bp,
	    1500),
	GOOD_NUM("limits", "max_discount_percent", "0", max_discount_bp, 0),
	GOOD_NUM("limits", "max_discount_percent", "100", max_discount_bp,
	    10000),
	GOOD_NUM("limits", "max_lines", "1", max_sale_lines, 1),
	GOOD_NUM("limits", "max_lines", "10000", max_sale_lines, 10000),
	GOOD_NUM("limits", "min_sale", "0", min_sale_cents, 0),
	GOOD_NUM("limits", "min_sale", "KSh 50", min_sale_cents, 5000),
	GOOD_NUM("limits", "min_sale", "0.50", min_sale_cents, 50),
	GOOD_NUM("limits", "max_sale", "1,250.50", max_sale_cents, 125050),
	GOOD_NUM("limits", "max_sale", "1,000,000,000.00", max_sale_cents,
	    INT64_C(100000000000)),
	GOOD_NUM("stock", "near_expiry_days", "0", near_expiry_days, 0),
	GOOD_NUM("stock", "near_expiry_days", "3650", near_expiry_days, 3650),
	GOOD_NUM("stock", "near_expiry_days", "045", near_expiry_days, 45),
	GOOD_NUM("stock", "near_expiry_days", "\"60\"", near_expiry_days, 60),
	GOOD_NUM("Stock", "Near_Expiry_Days", "10", near_expiry_days, 10),
	GOOD_NUM("STOCK", "NEAR_EXPIRY_DAYS", "11 ; comment", near_expiry_days,
	    11),
	GOOD_BOOL("true", 1), GOOD_BOOL("false", 0),
	GOOD_BOOL("yes", 1), GOOD_BOOL("no", 0),
	GOOD_BOOL("on", 1), GOOD_BOOL("off", 0),
	GOOD_BOOL("1", 1), GOOD_BOOL("0", 0),
	GOOD_BOOL("TRUE", 1), GOOD_BOOL("Off", 0),
	GOOD_NUM("stock", "reorder_window_days", "1", reorder_window_days, 1),
	GOOD_NUM("stock", "reorder_window_days", "365", reorder_window_days,
	    365),
	GOOD_NUM("stock", "safety_stock_percent", "25", safety_stock_bp, 2500),
	GOOD_NUM("stock", "safety_stock_percent", "0", safety_stock_bp, 0),
	GOOD_NUM("stock", "review_period_days", "30", review_period_days, 30),
	GOOD_TEXT("ui", "theme", "light", theme, "light"),
	GOOD_TEXT("ui", "theme", "DARK", theme, "dark"),
	GOOD_NUM("ui", "idle_timeout", "0", idle_timeout_s, 0),
	GOOD_NUM("ui", "idle_timeout", "86400", idle_timeout_s, 86400),
	GOOD_TEXT("printer", "device", "/dev/usb/lp0", printer,
	    "/dev/usb/lp0"),
	GOOD_NUM("printer", "width", "32", printer_width, 32),
	GOOD_NUM("printer", "width", "42", printer_width, 42),
	GOOD_NUM("printer", "width", "48", printer_width, 48),
};

#define NGOOD ((int)(sizeof goods / sizeof goods[0]))

/* Each key accepts its good values and stores what it should. */
START_TEST(test_good)
{
	const struct good	*g = &goods[_i];
	struct settings		 s, d;
	struct duka_err		 e;
	char			 text[512];
	const char		*member;
	int64_t			 n;
	int			 b;

	snprintf(text, sizeof text, "# good case %d\n[%s]\n%s = %s\n", _i,
	    g->section, g->key, g->value);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK,
	    "[%s] %s = %s: %s", g->section, g->key, g->value, e.msg);
	member = (const char *)&s + g->offset;
	switch (g->type) {
	case T_TEXT:
		ck_assert_str_eq(member, g->text);
		break;
	case T_I64:
		memcpy(&n, member, sizeof n);
		ck_assert_int_eq(n, g->num);
		break;
	case T_INT:
		memcpy(&b, member, sizeof b);
		ck_assert_int_eq(b, g->num);
		break;
	}

	/* Nothing else moved. */
	settings_defaults(&d);
	switch (g->type) {
	case T_TEXT:
		memcpy((char *)&d + g->offset, g->text, strlen(g->text) + 1);
		break;
	case T_I64:
		memcpy((char *)&d + g->offset, &g->num, sizeof g->num);
		break;
	case T_INT:
		b = (int)g->num;
		memcpy((char *)&d + g->offset, &b, sizeof b);
		break;
	}
	ck_assert(memcmp(&s, &d, sizeof s) == 0);
}
END_TEST

struct bad {
	const char	*section;
	const char	*key;
	const char	*value;
	const char	*part;		/* a piece of the message */
};

static const struct bad bads[] = {
	{ "shop", "name", "a\x01z", "\"a?z\" holds a control character" },
	{ "shop", "name", "caf\xe9", "not UTF-8" },
	{ "shop", "name", "\xed\xa0\x80", "not UTF-8" },
	{ "shop", "name", "\xc0\xaf", "not UTF-8" },
	{ "shop", "name", "tab\there", "control character" },
	{ "shop", "name",
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789012345678901234567890123456789012345678901234567890123456"
	    "7", "the value is too long (128 bytes; at most 127)" },
	{ "shop", "phone", "call me", "is not a phone number" },
	{ "shop", "phone", "+-()", "is not a phone number" },
	{ "shop", "kra_pin", "P05123456X", "is not a KRA PIN" },
	{ "shop", "kra_pin", "1051234567X", "is not a KRA PIN" },
	{ "shop", "kra_pin", "P0512345678", "is not a KRA PIN" },
	{ "shop", "kra_pin", "PP51234567X", "is not a KRA PIN" },
	{ "shop", "kra_pin", "P051234567XY", "is not a KRA PIN" },
	{ "shop", "currency", "USD", "only KES is accepted for now" },
	{ "shop", "currency", "", "only KES is accepted for now" },
	{ "shop", "timezone", "Mars/Olympus", "is not a known time zone" },
	{ "shop", "timezone", "zone.tab", "is not a known time zone" },
	{ "shop", "timezone", "Africa", "is not a known time zone" },
	{ "shop", "timezone", "../zoneinfo/Africa/Nairobi",
	    "is not a time zone name" },
	{ "shop", "timezone", "/etc/passwd", "is not a time zone name" },
	{ "shop", "timezone", "Africa//Nairobi", "is not a time zone name" },
	{ "shop", "timezone", "", "is not a time zone name" },
	{ "till", "id", "", "is not a till id" },
	{ "till", "id", "till 1", "is not a till id" },
	{ "till", "id", "d\xc3\xbc" "ka", "is not a till id" },
	{ "till", "id", "abcdefghijklmnopqrstuvwxyz012345",
	    "the value is too long (32 bytes; at most 31)" },
	{ "till", "database", "duka.db", "is not an absolute path" },
	{ "till", "database", "~/duka.db", "is not an absolute path" },
	{ "limits", "max_discount_percent", "101",
	    "The percentage must be between 0 and 100." },
	{ "limits", "max_discount_percent", "-5", "\"-5\": " },
	{ "limits", "max_discount_percent", "abc", "\"abc\": " },
	{ "limits", "max_discount_percent", "12.345", "\"12.345\": " },
	{ "limits", "max_lines", "0",
	    "\"0\" is not between 1 and 10000 lines" },
	{ "limits", "max_lines", "10001", "is not between 1 and 10000 lines" },
	{ "limits", "max_lines", "ten", "\"ten\" is not a whole number of "
	    "lines" },
	{ "limits", "min_sale", "abc", "\"abc\": " },
	{ "limits", "min_sale", "-1",
	    "\"-1\" is not between 0.00 and 1,000,000,000.00" },
	{ "limits", "min_sale", "1.234", "\"1.234\": " },
	{ "limits", "max_sale", "0",
	    "\"0\" is not between 0.01 and 1,000,000,000.00" },
	{ "limits", "max_sale", "1,000,000,000.01", "is not between" },
	{ "limits", "max_sale", "", "\"\": " },
	{ "stock", "near_expiry_days", "abc",
	    "\"abc\" is not a whole number of days" },
	{ "stock", "near_expiry_days", "3651",
	    "\"3651\" is not between 0 and 3650 days" },
	{ "stock", "near_expiry_days", "-1", "is not between 0 and 3650 days" },
	{ "stock", "near_expiry_days", "1.5", "is not a whole number of days" },
	{ "stock", "near_expiry_days", "1e3", "is not a whole number of days" },
	{ "stock", "near_expiry_days", "0x10",
	    "is not a whole number of days" },
	{ "stock", "near_expiry_days", "+5", "is not a whole number of days" },
	{ "stock", "near_expiry_days", "- 5", "is not a whole number of days" },
	{ "stock", "near_expiry_days", "", "\"\" is not a whole number" },
	{ "stock", "near_expiry_days", "5 days",
	    "is not a whole number of days" },
	{ "stock", "near_expiry_days", "99999999999999999999",
	    "is not between 0 and 3650 days" },
	{ "stock", "near_expiry_days", "-99999999999999999999",
	    "is not between 0 and 3650 days" },
	{ "stock", "near_expiry_days", "\x01", "\"?\" is not a whole number" },
	{ "stock", "allow_negative_stock", "maybe", "is not true or false" },
	{ "stock", "allow_negative_stock", "2", "is not true or false" },
	{ "stock", "allow_negative_stock", "", "is not true or false" },
	{ "stock", "reorder_window_days", "0",
	    "is not between 1 and 365 days" },
	{ "stock", "reorder_window_days", "366",
	    "is not between 1 and 365 days" },
	{ "stock", "safety_stock_percent", "150",
	    "The percentage must be between 0 and 100." },
	{ "stock", "review_period_days", "0", "is not between 1 and 365 days" },
	{ "stock", "review_period_days", "week",
	    "is not a whole number of days" },
	{ "ui", "theme", "blue", "is not a theme (write dark or light)" },
	{ "ui", "idle_timeout", "-1", "is not between 0 and 86400 seconds" },
	{ "ui", "idle_timeout", "86401", "is not between 0 and 86400 seconds" },
	{ "ui", "idle_timeout", "5m", "is not a whole number of seconds" },
	{ "printer", "width", "40",
	    "40 is not a printer width (write 32, 42 or 48)" },
	{ "printer", "width", "31",
	    "is not between 32 and 48 characters" },
	{ "printer", "width", "wide", "is not a whole number of characters" },
	{ "printer", "device", "/dev/lp\x7f", "control character" },
};

#define NBAD ((int)(sizeof bads / sizeof bads[0]))

/* Each bad value is refused, naming the file, the line and the key, and
 * leaves the settings as they were. */
START_TEST(test_bad)
{
	const struct bad	*b = &bads[_i];
	struct settings		 s, before;
	struct duka_err		 e;
	char			 text[512], prefix[1400];
	int			 rc;

	snprintf(text, sizeof text, "# bad case %d\n\n[%s]\n%s = %s\n", _i,
	    b->section, b->key, b->value);
	rc = load_text(text, &s, &e);
	snprintf(prefix, sizeof prefix, "%s:4: [%s] %s: ", conf, b->section,
	    b->key);
	assert_fails(rc, &e, prefix, b->part);
	settings_defaults(&before);
	ck_assert(memcmp(&s, &before, sizeof s) == 0);
}
END_TEST

struct broken {
	const char	*text;
	const char	*prefix;	/* after "FILE:" */
	const char	*part;
};

static const struct broken brokens[] = {
	{ "[shop]\nnmae = Duka\n", "2: [shop] nmae: ", "unknown key" },
	{ "[shop]\nNMAE = Duka\n", "2: [shop] NMAE: ", "unknown key" },
	{ "[limits]\nname = Duka\n", "2: [limits] name: ", "unknown key" },
	{ "[shop]\nname = Duka\n[bank]\naccount = 174379\n",
	    "3: [bank]: ", "unknown section" },
	{ "[shop]\nname = Duka\n[bank]\n", "3: [bank]: ", "unknown section" },
	{ "[]\nname = Duka\n", "1: []: ", "unknown section" },
	{ "name = Duka\n[shop]\n", "1: name: ",
	    "the key comes before any [section]" },
	{ "[shop]\njust some words\n", "2: ",
	    "expected [section] or key = value" },
	{ "[shop\nname = Duka\n", "1: ", "expected [section] or key = value" },
	{ "[shop]\nname = Duka\nname = Duka2\n", "3: [shop] name: ",
	    "given twice (first on line 2)" },
	{ "[shop]\nname = Duka\n[till]\nid = 2\n[SHOP]\nName = Duka2\n",
	    "6: [shop] name: ", "given twice (first on line 2)" },
	{ "[shop]\n  name = Duka\n  name = Duka2\n", "3: [shop] name: ",
	    "given twice" },
	/* The first error wins, whoever finds it. */
	{ "[shop]\nbad line\nnmae = x\n", "2: ", "expected [section]" },
	{ "[shop]\nnmae = x\nbad line\n", "2: [shop] nmae: ", "unknown key" },
	{ "[shop]\nbad line\n[nope]\n", "2: ", "expected [section]" },
	{ "[limits]\nmin_sale = 500\nmax_sale = 100\n",
	    "3: [limits] max_sale: ",
	    "100.00 is less than min_sale (500.00)" },
	{ "[limits]\nmax_sale = 100\nmin_sale = 500\n",
	    "3: [limits] min_sale: ",
	    "500.00 is more than max_sale (100.00)" },
};

#define NBROKEN ((int)(sizeof brokens / sizeof brokens[0]))

/* Unknown sections and keys, bad lines and clashes name file and line. */
START_TEST(test_broken)
{
	const struct broken	*b = &brokens[_i];
	struct settings		 s;
	struct duka_err		 e;
	char			 prefix[1400];

	snprintf(prefix, sizeof prefix, "%s:%s", conf, b->prefix);
	assert_fails(load_text(b->text, &s, &e), &e, prefix, b->part);
}
END_TEST

/* A line longer than inih's buffer is refused, not cut in two; a long
 * comment is fine. */
START_TEST(test_long_line)
{
	struct settings	s;
	struct duka_err	e;
	char		text[1024], prefix[1400];
	int		max;

	snprintf(text, sizeof text, "[shop]\naddress = %0300d\n", 7);
	snprintf(prefix, sizeof prefix, "%s:2: ", conf);
	assert_fails(load_text(text, &s, &e), &e, prefix,
	    "the line is longer than");

	/* Exactly the limit (which depends on how inih was built) is fine,
	 * with LF or CRLF; one byte more is not. */
	ck_assert_int_eq(sscanf(strstr(e.msg, "longer than "),
	    "longer than %d", &max), 1);
	ck_assert_int_gt(max, 20);
	ck_assert_int_lt(max, 900);
	snprintf(text, sizeof text, "[shop]\r\naddress = %0*d\r\n",
	    max - 10, 7);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_uint_eq(strlen(s.shop_address), (size_t)max - 10);
	snprintf(text, sizeof text, "[shop]\naddress = %0*d", max - 10, 7);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	snprintf(text, sizeof text, "[shop]\r\naddress = %0*d\r\n",
	    max - 9, 7);
	assert_fails(load_text(text, &s, &e), &e, prefix,
	    "the line is longer than");

	snprintf(text, sizeof text, "[shop]\n; %0900d\nname = Duka\n", 7);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "Duka");

	/* A long address that fits on a line. */
	snprintf(text, sizeof text, "[shop]\naddress = %0180d\n", 7);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_uint_eq(strlen(s.shop_address), 180);
}
END_TEST

/* A NUL byte means this is not a text file. */
START_TEST(test_nul_byte)
{
	static const char	 text[] = "[shop]\nname = Du\0ka\n";
	struct settings		 s;
	struct duka_err		 e;
	char			 prefix[1400];
	const char		*path;

	path = write_bytes("nul.conf", text, sizeof text - 1);
	settings_defaults(&s);
	snprintf(prefix, sizeof prefix, "%s:2: ", path);
	assert_fails(settings_load_file(&s, path, 1, &e), &e, prefix,
	    "NUL byte");
}
END_TEST

/* CRLF line endings (a file saved by Notepad) read like LF ones. */
START_TEST(test_crlf)
{
	struct settings	s;
	struct duka_err	e;
	char		prefix[1400];

	ck_assert_msg(load_text("; saved on Windows\r\n[shop]\r\n"
	    "name = Duka\r\nkra_pin = P051234567X\r\n\r\n[limits]\r\n"
	    "max_lines = 50\r\n[ui]\r\ntheme = light", &s, &e) == DUKA_OK,
	    "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "Duka");
	ck_assert_str_eq(s.kra_pin, "P051234567X");
	ck_assert_int_eq(s.max_sale_lines, 50);
	ck_assert_str_eq(s.theme, "light");

	/* Errors in a CRLF file still count lines right. */
	snprintf(prefix, sizeof prefix, "%s:3: [stock] near_expiry_days: ",
	    conf);
	assert_fails(load_text("[stock]\r\n\r\nnear_expiry_days = x\r\n", &s,
	    &e), &e, prefix, "\"x\" is not a whole number of days");
}
END_TEST

/* A UTF-8 shop name is kept byte for byte, with or without a BOM. */
START_TEST(test_utf8)
{
	static const char	*name =
	    "Duka la Mama Njeri \xe2\x80\x94 Kariakor";
	struct settings		 s;
	struct duka_err		 e;
	char			 text[256];

	snprintf(text, sizeof text, "[shop]\nname = %s\n", name);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, name);

	snprintf(text, sizeof text, "\xef\xbb\xbf[shop]\nname = %s\n", name);
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, name);

	snprintf(text, sizeof text, "[shop]\naddress = \"Nyumba ya \xc3\xa9 "
	    "\xf0\x9f\x8f\xaa\"\n");
	ck_assert_msg(load_text(text, &s, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_address,
	    "Nyumba ya \xc3\xa9 \xf0\x9f\x8f\xaa");
}
END_TEST

/* Indented lines are ordinary lines, never continuations. */
START_TEST(test_indent)
{
	struct settings	s;
	struct duka_err	e;

	ck_assert_msg(load_text("  [shop]\n    name = Duka\n\tphone = 0712 "
	    "345678\n  [stock]\n\t near_expiry_days = 9\n", &s, &e) == DUKA_OK,
	    "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "Duka");
	ck_assert_str_eq(s.shop_phone, "0712 345678");
	ck_assert_int_eq(s.near_expiry_days, 9);
}
END_TEST

/* The user file overrides the system file key by key. */
START_TEST(test_override_order)
{
	struct settings	s;
	struct duka_err	e;

	write_text("etc/duka.conf", "[shop]\nname = System\n[limits]\n"
	    "max_lines = 50\n[ui]\ntheme = light\n");
	write_text("xdg/duka/duka.conf", "[shop]\nname = User\n[ui]\n"
	    "theme = dark\n");
	write_text("home/.config/duka/duka.conf", "[shop]\nname = Home\n");
	ck_assert_msg(settings_load(&s, NULL, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "User");
	ck_assert_int_eq(s.max_sale_lines, 50);
	ck_assert_str_eq(s.theme, "dark");
	ck_assert_int_eq(s.near_expiry_days, 30);

	/* Without XDG_CONFIG_HOME the user file is under HOME. */
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_msg(settings_load(&s, NULL, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "Home");
	ck_assert_str_eq(s.theme, "light");

	/* Only a system file. */
	unsetenv("HOME");
	ck_assert_msg(settings_load(&s, NULL, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "System");
}
END_TEST

/* min_sale and max_sale are checked together after each file. */
START_TEST(test_override_across)
{
	struct settings	s, before;
	struct duka_err	e;
	char		prefix[1400];

	write_text("etc/duka.conf", "[limits]\nmax_sale = 100\n");
	write_text("xdg/duka/duka.conf", "[limits]\n\nmin_sale = 200\n");
	memset(&s, 0x5a, sizeof s);
	memcpy(&before, &s, sizeof s);
	snprintf(prefix, sizeof prefix,
	    "%s/xdg/duka/duka.conf:3: [limits] min_sale: ", tmp);
	assert_fails(settings_load(&s, NULL, &e), &e, prefix,
	    "200.00 is more than max_sale (100.00)");
	ck_assert(memcmp(&s, &before, sizeof s) == 0);

	/* Raising both in the user file is fine. */
	write_text("xdg/duka/duka.conf", "[limits]\nmin_sale = 200\n"
	    "max_sale = 5000\n");
	ck_assert_msg(settings_load(&s, NULL, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_int_eq(s.min_sale_cents, 20000);
	ck_assert_int_eq(s.max_sale_cents, 500000);
}
END_TEST

/* An explicit file is the only file read. */
START_TEST(test_explicit)
{
	struct settings	 s;
	struct duka_err	 e;
	const char	*path;

	write_text("etc/duka.conf", "[shop]\nname = System\n[limits]\n"
	    "max_lines = 50\n");
	write_text("xdg/duka/duka.conf", "[shop]\nname = User\n");
	path = write_text("explicit.conf", "[shop]\nname = Explicit\n");
	ck_assert_msg(settings_load(&s, path, &e) == DUKA_OK, "%s", e.msg);
	ck_assert_str_eq(s.shop_name, "Explicit");
	ck_assert_int_eq(s.max_sale_lines, 200);
}
END_TEST

/* A missing explicit file is an error; missing default files are not. */
START_TEST(test_missing)
{
	struct settings	s, before;
	struct duka_err	e;
	char		path[1200], prefix[1400];

	snprintf(path, sizeof path, "%s/nothing-here.conf", tmp);
	memset(&s, 0x5a, sizeof s);
	memcpy(&before, &s, sizeof s);
	snprintf(prefix, sizeof prefix, "%s: cannot open: ", path);
	assert_fails(settings_load(&s, path, &e), &e, prefix,
	    strerror(ENOENT));
	ck_assert(memcmp(&s, &before, sizeof s) == 0);

	assert_fails(settings_load_file(&s, path, 1, &e), &e, prefix,
	    strerror(ENOENT));
	ck_assert_int_eq(settings_load_file(&s, path, 0, &e), DUKA_OK);
	ck_assert(memcmp(&s, &before, sizeof s) == 0);

	/* A directory is not a file, even when it may be missing. */
	snprintf(path, sizeof path, "%s/etc", tmp);
	snprintf(prefix, sizeof prefix, "%s: ", path);
	assert_fails(settings_load_file(&s, path, 0, &e), &e, prefix,
	    "is a directory");
}
END_TEST

/* A file that cannot be read is an error naming it and the reason. */
START_TEST(test_unreadable)
{
	struct settings	 s;
	struct duka_err	 e;
	const char	*path;
	char		 prefix[1400];

	if (geteuid() == 0) {
		/* root reads anything: nothing to test. */
		fprintf(stderr, "check_settings: test_unreadable skipped "
		    "(running as root)\n");
		return;
	}
	path = write_text("xdg/duka/duka.conf", "[shop]\nname = Secret\n");
	ck_assert(chmod(path, 0) == 0);
	snprintf(prefix, sizeof prefix, "%s: cannot open: ", path);
	assert_fails(settings_load(&s, NULL, &e), &e, prefix,
	    strerror(EACCES));
	settings_defaults(&s);
	assert_fails(settings_load_file(&s, path, 0, &e), &e, prefix,
	    strerror(EACCES));
}
END_TEST

/* A failed file changes nothing, even keys it set before the error. */
START_TEST(test_all_or_nothing)
{
	struct settings	s, before;
	struct duka_err	e;

	settings_defaults(&s);
	memcpy(s.shop_name, "Before", 7);
	memcpy(&before, &s, sizeof s);
	write_text("t.conf", "[shop]\nname = After\nphone = 0712\n"
	    "[stock]\nnear_expiry_days = soon\n");
	ck_assert_int_eq(settings_load_file(&s, conf, 1, &e), DUKA_ECONFIG);
	ck_assert(memcmp(&s, &before, sizeof s) == 0);

	/* A NULL err is allowed. */
	ck_assert_int_eq(settings_load_file(&s, conf, 1, NULL), DUKA_ECONFIG);
	ck_assert_int_eq(settings_load(&s, conf, NULL), DUKA_ECONFIG);
	ck_assert(memcmp(&s, &before, sizeof s) == 0);
}
END_TEST

/* Where the files are looked for. */
START_TEST(test_default_paths)
{
	char	sys[1400], user[1400], want[1400], tiny[8];

	settings_default_paths(sys, sizeof sys, user, sizeof user);
	snprintf(want, sizeof want, "%s/etc/duka.conf", tmp);
	ck_assert_str_eq(sys, want);
	snprintf(want, sizeof want, "%s/xdg/duka/duka.conf", tmp);
	ck_assert_str_eq(user, want);

	/* A relative XDG_CONFIG_HOME is ignored, as the spec says. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	unsetenv("DUKA_SYSCONFDIR");
	settings_default_paths(sys, sizeof sys, user, sizeof user);
	ck_assert_str_eq(sys, "/etc/duka/duka.conf");
	snprintf(want, sizeof want, "%s/home/.config/duka/duka.conf", tmp);
	ck_assert_str_eq(user, want);

	unsetenv("HOME");
	settings_default_paths(sys, sizeof sys, user, sizeof user);
	ck_assert_str_eq(user, "");

	settings_default_paths(tiny, sizeof tiny, user, sizeof user);
	ck_assert_str_eq(tiny, "");
}
END_TEST

/* Where the database goes when [till] database is empty. */
START_TEST(test_default_db_path)
{
	struct duka_err	e;
	char		buf[1400], want[1400], tiny[8];

	ck_assert_int_eq(settings_default_db_path(buf, sizeof buf, &e),
	    DUKA_OK);
	snprintf(want, sizeof want, "%s/home/.local/share/duka/duka.db", tmp);
	ck_assert_str_eq(buf, want);

	setenv("XDG_DATA_HOME", "/srv/data", 1);
	ck_assert_int_eq(settings_default_db_path(buf, sizeof buf, &e),
	    DUKA_OK);
	ck_assert_str_eq(buf, "/srv/data/duka/duka.db");

	ck_assert_int_eq(settings_default_db_path(tiny, sizeof tiny, &e),
	    DUKA_ECONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "too long"));

	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(settings_default_db_path(buf, sizeof buf, &e),
	    DUKA_ECONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "HOME"));
}
END_TEST

/* The suite: one test case per concern, the tables as loop tests. */
static Suite *
settings_suite(void)
{
	Suite	*s = suite_create("settings");
	TCase	*tc;

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_good, 0, NGOOD);
	tcase_add_loop_test(tc, test_bad, 0, NBAD);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_broken, 0, NBROKEN);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_indent);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_override_order);
	tcase_add_test(tc, test_override_across);
	tcase_add_test(tc, test_explicit);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_all_or_nothing);
	tcase_add_test(tc, test_default_paths);
	tcase_add_test(tc, test_default_db_path);
	suite_add_tcase(s, tc);
	return (s);
}

/* Run the suite; fail the process if any test failed. */
int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(settings_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
