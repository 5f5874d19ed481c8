/*
 * settings.c - reading duka.conf.
 *
 * inih splits a file into sections and key = value pairs; the rest is ours.
 * read_line() hands inih one line at a time, so that we know the number of
 * the line behind every pair, refuse a line longer than inih's buffer (inih
 * would silently cut it in two and parse the tail as a line of its own),
 * refuse NUL bytes, drop CRLF endings and a UTF-8 byte order mark, refuse an
 * unknown [section] even when it is empty, and unindent every line so that
 * inih never takes an indented line for the continuation of a value.
 *
 * on_pair() looks each pair up in keys[], one row per key, which says where
 * the value goes in struct settings, its type, its range and its default.
 * A new section ([hub], [mpesa]) is a few more rows and struct members.
 *
 * A file is parsed into a copy of the settings that replaces the caller's
 * only when the whole file was good, so a failed load changes nothing.
 */
#include "config.h"

/* POSIX.1-2008 (O_CLOEXEC, fdopen) when config.h has not asked for more. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "i18n.h"
#include "money.h"
#include "settings.h"
#include "status.h"

/* Where the system file lives unless $DUKA_SYSCONFDIR says otherwise. */
#ifndef SETTINGS_SYSTEM_DIR
#define SETTINGS_SYSTEM_DIR "/etc/duka"
#endif

#define SETTINGS_ZONEINFO "/usr/share/zoneinfo"

/* The largest amount of money a limit may name: 1,000,000,000.00. */
#define MONEY_LIMIT INT64_C(100000000000)

/* Bytes of a value shown in an error message before it is cut short. */
#define SHOW_MAX 48

/* How a value is written, and what type its member of struct settings has. */
enum kind {
	KIND_TEXT,		/* UTF-8 text, no control characters: char[] */
	KIND_COUNT,		/* a whole number (strtoll): int64_t */
	KIND_MONEY,		/* money_parse(): int64_t cents */
	KIND_PERCENT,		/* percent_parse(): int64_t basis points */
	KIND_BOOL,		/* true/false, yes/no, on/off, 1/0: int */
};

/* What a KIND_COUNT counts, for the error messages. */
enum unit {
	UNIT_NONE,
	UNIT_DAYS,
	UNIT_SECONDS,
	UNIT_LINES,
	UNIT_CHARS,
};

/* Extra checks; on refusal they write the reason (translated) into why. */
typedef int (*check_text_fn)(char *value, char *why, size_t n);
typedef int (*check_num_fn)(int64_t value, char *why, size_t n);

/* One configuration key. */
struct key {
	const char	*section;
	const char	*name;
	enum kind	 kind;
	size_t		 offset;	/* of the member in struct settings */
	size_t		 size;		/* of that member */
	int64_t		 min;		/* numbers: the allowed range */
	int64_t		 max;
	enum unit	 unit;		/* KIND_COUNT: what it counts */
	const char	*def_text;	/* KIND_TEXT: the default */
	int64_t		 def_num;	/* other kinds: the default */
	check_text_fn	 check_text;	/* KIND_TEXT: may also normalise */
	check_num_fn	 check_num;
};

static int	check_kra_pin(char *, char *, size_t);
static int	check_phone(char *, char *, size_t);
static int	check_currency(char *, char *, size_t);
static int	check_timezone(char *, char *, size_t);
static int	check_till_id(char *, char *, size_t);
static int	check_database(char *, char *, size_t);
static int	check_theme(char *, char *, size_t);
static int	check_width(int64_t, char *, size_t);
static int	check_url(char *, char *, size_t);
static int	check_mpesa_type(char *, char *, size_t);
static int	check_digits(char *, char *, size_t);

#define MEMBER(m) \
	offsetof(struct settings, m), sizeof(((struct settings *)0)->m)
#define TEXT(sec, name, m, def, check) \
	{ sec, name, KIND_TEXT, MEMBER(m), 0, 0, UNIT_NONE, def, 0, check, \
	    NULL }
#define NUMBER(sec, name, kind, m, lo, hi, unit, def, check) \
	{ sec, name, kind, MEMBER(m), lo, hi, unit, NULL, def, NULL, check }

/*
 * Every key duka.conf knows; man/duka.conf.5 documents each row.
 * Keys that hold secrets are listed in key_is_secret(): their values never
 * appear in a message, and a file that sets one must belong to the user
 * and be closed to group and others (settings_load_file()).
 */
static const struct key keys[] = {
	TEXT("shop", "name", shop_name, "", NULL),
	TEXT("shop", "address", shop_address, "", NULL),
	TEXT("shop", "phone", shop_phone, "", check_phone),
	TEXT("shop", "kra_pin", kra_pin, "", check_kra_pin),
	TEXT("shop", "currency", currency, "KES", check_currency),
	TEXT("shop", "timezone", timezone, "Africa/Nairobi", check_timezone),

	TEXT("till", "id", till_id, "1", check_till_id),
	TEXT("till", "database", database, "", check_database),

	NUMBER("limits", "max_discount_percent", KIND_PERCENT, max_discount_bp,
	    0, 10000, UNIT_NONE, 1000, NULL),
	NUMBER("limits", "max_lines", KIND_COUNT, max_sale_lines,
	    1, 10000, UNIT_LINES, 200, NULL),
	NUMBER("limits", "min_sale", KIND_MONEY, min_sale_cents,
	    0, MONEY_LIMIT, UNIT_NONE, 100, NULL),
	NUMBER("limits", "max_sale", KIND_MONEY, max_sale_cents,
	    1, MONEY_LIMIT, UNIT_NONE, INT64_C(100000000), NULL),

	NUMBER("stock", "near_expiry_days", KIND_COUNT, near_expiry_days,
	    0, 3650, UNIT_DAYS, 30, NULL),
	NUMBER("stock", "allow_negative_stock", KIND_BOOL, allow_negative_stock,
	    0, 1, UNIT_NONE, 1, NULL),
	NUMBER("stock", "reorder_window_days", KIND_COUNT, reorder_window_days,
	    1, 365, UNIT_DAYS, 14, NULL),
	NUMBER("stock", "safety_stock_percent", KIND_PERCENT, safety_stock_bp,
	    0, 10000, UNIT_NONE, 2000, NULL),
	NUMBER("stock", "review_period_days", KIND_COUNT, review_period_days,
	    1, 365, UNIT_DAYS, 7, NULL),

	TEXT("ui", "theme", theme, "dark", check_theme),
	NUMBER("ui", "idle_timeout", KIND_COUNT, idle_timeout_s,
	    0, 86400, UNIT_SECONDS, 300, NULL),

	TEXT("printer", "device", printer, "", NULL),
	NUMBER("printer", "width", KIND_COUNT, printer_width,
	    32, 48, UNIT_CHARS, 32, check_width),

	TEXT("hub", "url", hub_url, "", check_url),
	TEXT("hub", "token", hub_token, "", NULL),
	NUMBER("hub", "timeout", KIND_COUNT, hub_timeout_s,
	    1, 600, UNIT_SECONDS, 15, NULL),

	TEXT("mpesa", "base_url", mpesa_base_url,
	    "https://sandbox.safaricom.co.ke", check_url),
	TEXT("mpesa", "consumer_key", mpesa_consumer_key, "", NULL),
	TEXT("mpesa", "consumer_secret", mpesa_consumer_secret, "", NULL),
	TEXT("mpesa", "short_code", mpesa_short_code, "", check_digits),
	TEXT("mpesa", "till_number", mpesa_till_number, "", check_digits),
	TEXT("mpesa", "passkey", mpesa_passkey, "", NULL),
	TEXT("mpesa", "callback_url", mpesa_callback_url, "", check_url),
	TEXT("mpesa", "transaction_type", mpesa_type, "CustomerPayBillOnline",
	    check_mpesa_type),
	NUMBER("mpesa", "timeout", KIND_COUNT, mpesa_timeout_s,
	    1, 600, UNIT_SECONDS, 30, NULL),

	NUMBER("users", "lock_after", KIND_COUNT, lock_attempts,
	    1, 100, UNIT_NONE, 5, NULL),
	NUMBER("users", "lock_minutes", KIND_COUNT, lock_minutes,
	    0, 10080, UNIT_NONE, 15, NULL),
};

#define NKEYS (sizeof keys / sizeof keys[0])

/* Whether k holds a secret: never shown, and only in a 0600 file. */
static int
key_is_secret(const struct key *k)
{
	return (strcmp(k->section, "hub") == 0 &&
	    strcmp(k->name, "token") == 0) ||
	    (strcmp(k->section, "mpesa") == 0 &&
	    (strcmp(k->name, "consumer_key") == 0 ||
	    strcmp(k->name, "consumer_secret") == 0 ||
	    strcmp(k->name, "passkey") == 0));
}

/* The state of one file being read. */
struct loader {
	struct settings	*s;		/* the copy being filled */
	const char	*path;
	FILE		*fp;
	struct duka_err	*err;
	int		 lineno;	/* of the line inih is working on */
	int		 failed;	/* an error has been recorded */
	int		 fail_line;	/* its line, or 0 for none */
	int		 seen[NKEYS];	/* line where each key was set, or 0 */
	char		 raw[4096 + 2];	/* the line as read */
};

static void	fail_at(struct loader *, int, const char *, const char *,
		    const char *, ...) __attribute__((format(printf, 5, 6)));

/* Compare two ASCII strings ignoring case, whatever the locale. */
static int
ascii_casecmp(const char *a, const char *b)
{
	unsigned char	ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca == cb && ca != '\0');
	return (ca - cb);
}

/* Length of the well-formed UTF-8 character at p, or 0 if there is none. */
static size_t
utf8_char(const unsigned char *p)
{
	unsigned int	c = p[0];

	if (c < 0x80)
		return (c != 0);
	if (c >= 0xc2 && c <= 0xdf)
		return ((p[1] & 0xc0) == 0x80 ? 2 : 0);
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return (0);
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return (0);	/* overlong, or a UTF-16 surrogate */
		return (3);
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return (0);
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return (0);	/* overlong, or beyond U+10FFFF */
		return (4);
	}
	return (0);
}

/* Whether c (one whole UTF-8 character) is a C0 or C1 control or DEL. */
static int
is_control(const unsigned char *p, size_t len)
{
	if (len == 1)
		return (p[0] < 0x20 || p[0] == 0x7f);
	return (len == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

/* Whether v is well-formed UTF-8 without control characters. */
static int
text_ok(const char *v)
{
	const unsigned char	*p = (const unsigned char *)v;
	size_t			 len;

	while (*p != '\0') {
		if ((len = utf8_char(p)) == 0 || is_control(p, len))
			return (0);
		p += len;
	}
	return (1);
}

/*
 * Copy v into buf (which holds SHOW_MAX + 4 bytes) for an error message:
 * anything that is not printable UTF-8 becomes '?', and a long value is cut
 * short with "...". Returns buf.
 */
static const char *
show(const char *v, char *buf)
{
	const unsigned char	*p = (const unsigned char *)v;
	size_t			 len, out = 0;

	while (*p != '\0') {
		len = utf8_char(p);
		if (len == 0 || is_control(p, len)) {
			len = 1;
			if (out + 1 > SHOW_MAX)
				break;
			buf[out++] = '?';
		} else {
			if (out + len > SHOW_MAX)
				break;
			memcpy(buf + out, p, len);
			out += len;
		}
		p += len;
	}
	if (*p != '\0') {
		memcpy(buf + out, "...", 3);
		out += 3;
	}
	buf[out] = '\0';
	return (buf);
}

/* Record the first error of a file: where it is and what is wrong. */
static void
fail_at(struct loader *ld, int line, const char *section, const char *name,
    const char *fmt, ...)
{
	va_list	ap;
	char	why[384];

	if (ld->failed)
		return;
	ld->failed = 1;
	ld->fail_line = line;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);

	/* TRANSLATORS: FILE:LINE: [SECTION] KEY: what is wrong. */
	if (section != NULL && name != NULL)
		duka_fail(ld->err, DUKA_ECONFIG, _("%s:%d: [%s] %s: %s"),
		    ld->path, line, section, name, why);
	else if (section != NULL)
		duka_fail(ld->err, DUKA_ECONFIG, _("%s:%d: [%s]: %s"),
		    ld->path, line, section, why);
	else if (name != NULL)
		duka_fail(ld->err, DUKA_ECONFIG, _("%s:%d: %s: %s"),
		    ld->path, line, name, why);
	else if (line > 0)
		duka_fail(ld->err, DUKA_ECONFIG, _("%s:%d: %s"),
		    ld->path, line, why);
	else
		duka_fail(ld->err, DUKA_ECONFIG, _("%s: %s"), ld->path, why);
}

/* Whether the n bytes at given, spaces around them ignored, spell name. */
static int
section_is(const char *given, size_t n, const char *name)
{
	size_t		i;
	unsigned char	c;

	while (n > 0 && (*given == ' ' || *given == '\t')) {
		given++;
		n--;
	}
	while (n > 0 && (given[n - 1] == ' ' || given[n - 1] == '\t'))
		n--;
	if (strlen(name) != n)
		return (0);
	for (i = 0; i < n; i++) {
		c = (unsigned char)given[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)name[i])
			return (0);
	}
	return (1);
}

/* Whether the n bytes at given name a section of keys[]. */
static int
section_known(const char *given, size_t n)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		if (section_is(given, n, keys[i].section))
			return (1);
	}
	return (0);
}

/* The row for section and name (ASCII case ignored), or NULL. */
static const struct key *
key_find(const char *section, const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		if (ascii_casecmp(keys[i].name, name) == 0 &&
		    section_is(section, strlen(section), keys[i].section))
			return (&keys[i]);
	}
	return (NULL);
}

/* The index in keys[] of the row for the member at offset. */
static size_t
key_index(size_t offset)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].offset == offset)
			break;
	}
	return (i);
}

/*
 * inih's line reader: give inih the next line of the file, cleaned (see the
 * top of this file), or NULL at the end or once an error is recorded.
 */
static char *
read_line(char *buf, int num, void *stream)
{
	struct loader	*ld = stream;
	char		*p, shown[SHOW_MAX + 4], name[64];
	size_t		 len = 0, max, n;
	int		 c, nul = 0, cut = 0;

	if (ld->failed)
		return (NULL);
	if (num < 3) {
		fail_at(ld, 0, NULL, NULL,
		    _("inih's line buffer is too small"));
		return (NULL);
	}
	max = (size_t)num - 2;	/* room for '\n' and the NUL */
	if (max > sizeof ld->raw - 2)
		max = sizeof ld->raw - 2;

	while ((c = getc(ld->fp)) != EOF && c != '\n') {
		if (c == '\0')
			nul = 1;
		if (len < sizeof ld->raw - 1)
			ld->raw[len++] = (char)c;
		else
			cut = 1;
	}
	if (c == EOF && ferror(ld->fp)) {
		fail_at(ld, 0, NULL, NULL, _("cannot read: %s"),
		    strerror(errno));
		return (NULL);
	}
	if (c == EOF && len == 0 && !cut)
		return (NULL);
	if (ld->lineno == INT_MAX) {
		fail_at(ld, 0, NULL, NULL, _("too many lines"));
		return (NULL);
	}
	ld->lineno++;
	ld->raw[len] = '\0';

	if (nul) {
		fail_at(ld, ld->lineno, NULL, NULL,
		    _("the line holds a NUL byte; is this a text file?"));
		return (NULL);
	}
	p = ld->raw;
	if (len > 0 && p[len - 1] == '\r')
		p[--len] = '\0';
	if (ld->lineno == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		len -= 3;
	}
	while (*p == ' ' || *p == '\t') {
		p++;
		len--;
	}

	if (*p == ';' || *p == '#') {
		/* A comment may be as long as it likes; inih skips it. */
		memcpy(buf, ";\n", 3);
		return (buf);
	}
	if (cut || len > max) {
		fail_at(ld, ld->lineno, NULL, NULL,
		    _("the line is longer than %zu bytes"), max);
		return (NULL);
	}
	if (*p == '[' && (n = strcspn(p + 1, "]")) < len - 1 &&
	    !section_known(p + 1, n)) {
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		fail_at(ld, ld->lineno, show(name, shown), NULL,
		    _("unknown section"));
		return (NULL);
	}
	memcpy(buf, p, len);
	buf[len] = '\n';
	buf[len + 1] = '\0';
	return (buf);
}

/* Parse a whole number written in decimal: 0 if good, -1 if not a number,
 * -2 if it does not fit in int64_t. */
static int
parse_whole(const char *v, int64_t *out)
{
	const char	*p = v;
	char		*end;
	long long	 n;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return (-1);
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno == ERANGE)
		return (-2);
	if (errno != 0 || *end != '\0')
		return (-1);
	*out = n;
	return (0);
}

/* Parse a boolean word: 0 if good, -1 if not. */
static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t			 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (ascii_casecmp(v, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (ascii_casecmp(v, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

/* Record that v is not a whole number of what k counts. */
static void
fail_whole(struct loader *ld, const struct key *k, const char *v)
{
	char	s[SHOW_MAX + 4];

	show(v, s);
	switch (k->unit) {
	case UNIT_NONE:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not a whole number"), s);
		break;
	case UNIT_DAYS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not a whole number of days"), s);
		break;
	case UNIT_SECONDS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not a whole number of seconds"), s);
		break;
	case UNIT_LINES:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not a whole number of lines"), s);
		break;
	case UNIT_CHARS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not a whole number of characters"), s);
		break;
	}
}

/* Record that the number v is outside what k allows. */
static void
fail_range(struct loader *ld, const struct key *k, const char *v)
{
	char		s[SHOW_MAX + 4];
	long long	lo = k->min, hi = k->max;

	show(v, s);
	switch (k->unit) {
	case UNIT_NONE:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not between %lld and %lld"), s, lo, hi);
		break;
	case UNIT_DAYS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not between %lld and %lld days"), s, lo, hi);
		break;
	case UNIT_SECONDS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not between %lld and %lld seconds"), s, lo,
		    hi);
		break;
	case UNIT_LINES:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not between %lld and %lld lines"), s, lo, hi);
		break;
	case UNIT_CHARS:
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("\"%s\" is not between %lld and %lld characters"), s, lo,
		    hi);
		break;
	}
}

/* Parse v as the value of k into ld->s; 0 if good, -1 (recorded) if not. */
static int
set_value(struct loader *ld, const struct key *k, char *v)
{
	char		*member = (char *)ld->s + k->offset;
	char		 s[SHOW_MAX + 4], why[256], lo[MONEY_MAX_TEXT];
	char		 hi[MONEY_MAX_TEXT];
	struct duka_err	 e;
	size_t		 len = strlen(v);
	int64_t		 n = 0;
	int		 b, rc;

	switch (k->kind) {
	case KIND_TEXT:
		if (len >= k->size) {
			fail_at(ld, ld->lineno, k->section, k->name,
			    _("the value is too long (%zu bytes; at most %zu)"),
			    len, k->size - 1);
			return (-1);
		}
		if (!text_ok(v) && key_is_secret(k)) {
			fail_at(ld, ld->lineno, k->section, k->name, "%s",
			    _("the value holds a control character or bytes "
			    "that are not UTF-8 (not shown: it is a secret)"));
			return (-1);
		}
		if (!text_ok(v)) {
			fail_at(ld, ld->lineno, k->section, k->name,
			    _("\"%s\" holds a control character or bytes that "
			    "are not UTF-8"), show(v, s));
			return (-1);
		}
		if (k->check_text != NULL &&
		    k->check_text(v, why, sizeof why) != 0) {
			fail_at(ld, ld->lineno, k->section, k->name, "%s", why);
			return (-1);
		}
		memcpy(member, v, strlen(v) + 1);
		return (0);
	case KIND_BOOL:
		if (parse_bool(v, &b) != 0) {
			fail_at(ld, ld->lineno, k->section, k->name,
			    _("\"%s\" is not true or false (write true, false, "
			    "yes, no, on, off, 1 or 0)"), show(v, s));
			return (-1);
		}
		memcpy(member, &b, sizeof b);
		return (0);
	case KIND_COUNT:
		rc = parse_whole(v, &n);
		if (rc == -1) {
			fail_whole(ld, k, v);
			return (-1);
		}
		if (rc != 0 || n < k->min || n > k->max) {
			fail_range(ld, k, v);
			return (-1);
		}
		break;
	case KIND_MONEY:
	case KIND_PERCENT:
		duka_err_clear(&e);
		if (k->kind == KIND_MONEY)
			rc = money_parse(v, &n, &e);
		else
			rc = percent_parse(v, &n, &e);
		if (rc != DUKA_OK) {
			fail_at(ld, ld->lineno, k->section, k->name,
			    "\"%s\": %s", show(v, s), e.msg);
			return (-1);
		}
		if (n < k->min || n > k->max) {
			/* Basis points read like cents: 1250 is "12.50". */
			money_format(k->min, lo, sizeof lo);
			money_format(k->max, hi, sizeof hi);
			if (k->kind == KIND_MONEY)
				fail_at(ld, ld->lineno, k->section, k->name,
				    _("\"%s\" is not between %s and %s"),
				    show(v, s), lo, hi);
			else
				fail_at(ld, ld->lineno, k->section, k->name,
				    _("\"%s\" is not between %s%% and %s%%"),
				    show(v, s), lo, hi);
			return (-1);
		}
		break;
	}
	if (k->check_num != NULL && k->check_num(n, why, sizeof why) != 0) {
		fail_at(ld, ld->lineno, k->section, k->name, "%s", why);
		return (-1);
	}
	memcpy(member, &n, sizeof n);
	return (0);
}

/* inih's handler: apply one key = value pair; 1 if good, 0 if not. */
static int
on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct loader		*ld = user;
	const struct key	*k;
	char			 v[sizeof ld->raw], s1[SHOW_MAX + 4];
	char			 s2[SHOW_MAX + 4];
	size_t			 i, len;

	if (ld->failed)
		return (0);
	if (name == NULL)
		return (1);	/* inih built to announce each new section */
	if (value == NULL) {
		fail_at(ld, ld->lineno, NULL, NULL,
		    _("expected [section] or key = value"));
		return (0);
	}
	if (*section == '\0') {
		fail_at(ld, ld->lineno, NULL, show(name, s2),
		    _("the key comes before any [section]"));
		return (0);
	}
	if (!section_known(section, strlen(section))) {
		fail_at(ld, ld->lineno, show(section, s1), NULL,
		    _("unknown section"));
		return (0);
	}
	if ((k = key_find(section, name)) == NULL) {
		fail_at(ld, ld->lineno, show(section, s1), show(name, s2),
		    _("unknown key"));
		return (0);
	}
	i = (size_t)(k - keys);
	if (ld->seen[i] != 0) {
		fail_at(ld, ld->lineno, k->section, k->name,
		    _("given twice (first on line %d)"), ld->seen[i]);
		return (0);
	}
	ld->seen[i] = ld->lineno;

	/* A value may be wrapped in double quotes, which are dropped. */
	len = strlen(value);
	if (len >= sizeof v)
		len = sizeof v - 1;	/* cannot happen: lines are shorter */
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		memcpy(v, value + 1, len - 2);
		v[len - 2] = '\0';
	} else {
		memcpy(v, value, len);
		v[len] = '\0';
	}
	return (set_value(ld, k, v) == 0);
}

/* Check what no single key can: min_sale must not exceed max_sale. */
static void
check_across(struct loader *ld)
{
	const struct key	*k;
	char			 lo[MONEY_MAX_TEXT], hi[MONEY_MAX_TEXT];
	size_t			 imin, imax;

	if (ld->s->min_sale_cents <= ld->s->max_sale_cents)
		return;
	imin = key_index(offsetof(struct settings, min_sale_cents));
	imax = key_index(offsetof(struct settings, max_sale_cents));
	money_format(ld->s->min_sale_cents, lo, sizeof lo);
	money_format(ld->s->max_sale_cents, hi, sizeof hi);
	/* Blame whichever of the two this file set last. */
	if (ld->seen[imin] > ld->seen[imax]) {
		k = &keys[imin];
		fail_at(ld, ld->seen[imin], k->section, k->name,
		    _("%s is more than max_sale (%s)"), lo, hi);
	} else {
		k = &keys[imax];
		fail_at(ld, ld->seen[imax], k->section, k->name,
		    _("%s is less than min_sale (%s)"), hi, lo);
	}
}

/* Fill s with the built-in defaults. */
void
settings_defaults(struct settings *s)
{
	const struct key	*k;
	char			*member;
	size_t			 i;
	int			 b;

	memset(s, 0, sizeof *s);
	for (i = 0; i < NKEYS; i++) {
		k = &keys[i];
		member = (char *)s + k->offset;
		switch (k->kind) {
		case KIND_TEXT:
			snprintf(member, k->size, "%s", k->def_text);
			break;
		case KIND_BOOL:
			b = (int)k->def_num;
			memcpy(member, &b, sizeof b);
			break;
		default:
			memcpy(member, &k->def_num, sizeof k->def_num);
			break;
		}
	}
}

/*
 * A file that sets a secret (a non-empty value of a key_is_secret() key)
 * must belong to the user running duka and give group and others no
 * access at all (mode 0600 or stricter); sb is the open file's fstat, so
 * the file checked is the file read. The message names the key, never
 * its value.
 */
static int
check_secret_file(struct loader *ld, const struct stat *sb,
    struct duka_err *err)
{
	const struct key	*k = NULL;
	size_t			 i;

	for (i = 0; i < NKEYS; i++) {
		if (ld->seen[i] != 0 && key_is_secret(&keys[i]) &&
		    *((const char *)ld->s + keys[i].offset) != '\0') {
			k = &keys[i];
			break;
		}
	}
	if (k == NULL)
		return (DUKA_OK);
	if (sb->st_uid != geteuid())
		return (duka_fail(err, DUKA_ECONFIG, _("%s: holds a secret "
		    "([%s] %s) but belongs to another user (uid %ld); it must "
		    "be yours, with mode 0600"), ld->path, k->section, k->name,
		    (long)sb->st_uid));
	if ((sb->st_mode & (S_IRWXG | S_IRWXO)) != 0)
		return (duka_fail(err, DUKA_ECONFIG, _("%s: holds a secret "
		    "([%s] %s) but group or others may open it (mode %04o); "
		    "run chmod 600 %s"), ld->path, k->section, k->name,
		    (unsigned)(sb->st_mode & 07777), ld->path));
	return (DUKA_OK);
}

/*
 * Apply one file on top of s. The file must be a regular file; it is opened
 * with O_NONBLOCK so that a FIFO given by mistake cannot hang the till.
 * A file that sets a secret must be private (check_secret_file()).
 */
int
settings_load_file(struct settings *s, const char *path, int must_exist,
    struct duka_err *err)
{
	struct loader	*ld;
	struct settings	 work;
	struct stat	 sb;
	int		 fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT && !must_exist)
			return (DUKA_OK);
		return (duka_fail(err, DUKA_ECONFIG, _("%s: cannot open: %s"),
		    path, strerror(errno)));
	}
	if (fstat(fd, &sb) == -1) {
		rc = duka_fail(err, DUKA_ECONFIG, _("%s: cannot read: %s"),
		    path, strerror(errno));
		close(fd);
		return (rc);
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		if (S_ISDIR(sb.st_mode))
			return (duka_fail(err, DUKA_ECONFIG,
			    _("%s: is a directory, not a file"), path));
		return (duka_fail(err, DUKA_ECONFIG,
		    _("%s: is not a regular file"), path));
	}
	if ((ld = calloc(1, sizeof *ld)) == NULL) {
		close(fd);
		return (duka_fail(err, DUKA_EFAIL, _("%s: out of memory"),
		    path));
	}
	if ((ld->fp = fdopen(fd, "r")) == NULL) {
		rc = duka_fail(err, DUKA_EFAIL, _("%s: cannot read: %s"),
		    path, strerror(errno));
		close(fd);
		free(ld);
		return (rc);
	}
	memcpy(&work, s, sizeof work);
	ld->s = &work;
	ld->path = path;
	ld->err = err;

	rc = ini_parse_stream(read_line, ld, on_pair, ld);
	fclose(ld->fp);
	if (rc < 0) {
		rc = duka_fail(err, DUKA_EFAIL, _("%s: out of memory"), path);
		goto out;
	}
	if (rc > 0 && (!ld->failed || (ld->fail_line > 0 &&
	    rc < ld->fail_line))) {
		rc = duka_fail(err, DUKA_ECONFIG,
		    _("%s:%d: expected [section] or key = value"), path, rc);
		goto out;
	}
	if (!ld->failed)
		check_across(ld);
	if (ld->failed) {
		rc = DUKA_ECONFIG;
		goto out;
	}
	if ((rc = check_secret_file(ld, &sb, err)) != DUKA_OK)
		goto out;
	memcpy(s, &work, sizeof work);
	rc = DUKA_OK;
out:
	free(ld);
	return (rc);
}

/* Fill s from the defaults and the system and user files, or one file. */
int
settings_load(struct settings *s, const char *explicit_path,
    struct duka_err *err)
{
	struct settings	work;
	char		system_path[4096], user_path[4096];
	int		rc = DUKA_OK;

	settings_defaults(&work);
	if (explicit_path != NULL)
		rc = settings_load_file(&work, explicit_path, 1, err);
	else {
		settings_default_paths(system_path, sizeof system_path,
		    user_path, sizeof user_path);
		if (*system_path != '\0')
			rc = settings_load_file(&work, system_path, 0, err);
		if (rc == DUKA_OK && *user_path != '\0')
			rc = settings_load_file(&work, user_path, 0, err);
	}
	if (rc == DUKA_OK)
		memcpy(s, &work, sizeof work);
	return (rc);
}

/* Write dir followed by tail into buf, or "" if it does not fit. */
static int
join(char *buf, size_t n, const char *dir, const char *tail)
{
	int	len;

	if (n == 0)
		return (-1);
	len = snprintf(buf, n, "%s%s", dir, tail);
	if (len < 0 || (size_t)len >= n) {
		*buf = '\0';
		return (-1);
	}
	return (0);
}

/* An environment variable holding an absolute path, or NULL. */
static const char *
env_dir(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL && *v == '/' ? v : NULL);
}

/* Where the system and user files live. */
void
settings_default_paths(char *system_path, size_t n1, char *user_path,
    size_t n2)
{
	const char	*dir;

	dir = getenv("DUKA_SYSCONFDIR");
	if (dir == NULL || *dir == '\0')
		dir = SETTINGS_SYSTEM_DIR;
	join(system_path, n1, dir, "/duka.conf");

	if ((dir = env_dir("XDG_CONFIG_HOME")) != NULL)
		join(user_path, n2, dir, "/duka/duka.conf");
	else if ((dir = env_dir("HOME")) != NULL)
		join(user_path, n2, dir, "/.config/duka/duka.conf");
	else if (n2 > 0)
		*user_path = '\0';
}

/* The database path used when [till] database is empty. */
int
settings_default_db_path(char *buf, size_t n, struct duka_err *err)
{
	const char	*dir;
	int		 rc;

	if ((dir = env_dir("XDG_DATA_HOME")) != NULL)
		rc = join(buf, n, dir, "/duka/duka.db");
	else if ((dir = env_dir("HOME")) != NULL)
		rc = join(buf, n, dir, "/.local/share/duka/duka.db");
	else {
		if (n > 0)
			*buf = '\0';
		return (duka_fail(err, DUKA_ECONFIG,
		    _("cannot choose where the database goes: HOME is not "
		    "set; set [till] database in duka.conf")));
	}
	if (rc != 0)
		return (duka_fail(err, DUKA_ECONFIG,
		    _("the database path under %s is too long"), dir));
	return (DUKA_OK);
}

/* [shop] kra_pin: empty, or a letter, nine digits and a letter. */
static int
check_kra_pin(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];
	size_t	i;
	int	ok;

	if (*v == '\0')
		return (0);
	ok = strlen(v) == 11;
	for (i = 0; ok && i < 11; i++) {
		if (i == 0 || i == 10)
			ok = (v[i] >= 'A' && v[i] <= 'Z') ||
			    (v[i] >= 'a' && v[i] <= 'z');
		else
			ok = v[i] >= '0' && v[i] <= '9';
	}
	if (!ok) {
		snprintf(why, n, _("\"%s\" is not a KRA PIN (a letter, nine "
		    "digits and a letter, like P051234567X)"), show(v, s));
		return (-1);
	}
	for (i = 0; i < 11; i += 10) {
		if (v[i] >= 'a' && v[i] <= 'z')
			v[i] -= 'a' - 'A';
	}
	return (0);
}

/* [shop] phone: empty, or digits with spaces, '+', '-', '(' and ')'. */
static int
check_phone(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];
	size_t	i;
	int	digits = 0;

	if (*v == '\0')
		return (0);
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] >= '0' && v[i] <= '9')
			digits++;
		else if (strchr(" +-()", v[i]) == NULL)
			break;
	}
	if (v[i] == '\0' && digits > 0)
		return (0);
	snprintf(why, n, _("\"%s\" is not a phone number (digits, spaces and "
	    "+ - ( ) only)"), show(v, s));
	return (-1);
}

/* [shop] currency: only KES for now. */
static int
check_currency(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];

	if (ascii_casecmp(v, "KES") == 0) {
		memcpy(v, "KES", 4);
		return (0);
	}
	snprintf(why, n, _("\"%s\" is not supported: only KES is accepted for "
	    "now"), show(v, s));
	return (-1);
}

/* Whether v looks like a zone name and cannot climb out of the zone dir. */
static int
tz_name_ok(const char *v)
{
	const char	*p;

	if (*v == '\0' || *v == '/')
		return (0);
	for (p = v; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_+-.", *p) != NULL))
			return (0);
		if (*p == '.' && (p == v || p[-1] == '/'))
			return (0);	/* ".", "..", hidden files */
		if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
			return (0);
	}
	return (1);
}

/*
 * [shop] timezone: a zone file (starting "TZif") under $TZDIR, by default
 * /usr/share/zoneinfo. "UTC" is always known, as the C library knows it.
 */
static int
check_timezone(char *v, char *why, size_t n)
{
	char		 s[SHOW_MAX + 4], path[4200], magic[4];
	const char	*dir;
	struct stat	 sb;
	int		 fd, len, ok = 0;

	if (strcmp(v, "UTC") == 0)
		return (0);
	if (!tz_name_ok(v)) {
		snprintf(why, n, _("\"%s\" is not a time zone name (like "
		    "Africa/Nairobi)"), show(v, s));
		return (-1);
	}
	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = SETTINGS_ZONEINFO;
	len = snprintf(path, sizeof path, "%s/%s", dir, v);
	if (len > 0 && (size_t)len < sizeof path) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd != -1) {
			ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
			    read(fd, magic, sizeof magic) == sizeof magic &&
			    memcmp(magic, "TZif", 4) == 0;
			close(fd);
		}
	}
	if (ok)
		return (0);
	snprintf(why, n, _("\"%s\" is not a known time zone (no zone file "
	    "under %s; is tzdata installed?)"), show(v, s), dir);
	return (-1);
}

/* [till] id: 1 to 31 letters, digits, '_' or '-'. */
static int
check_till_id(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];
	size_t	len;

	len = strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
	if (len > 0 && v[len] == '\0')
		return (0);
	snprintf(why, n, _("\"%s\" is not a till id (1 to 31 letters, digits, "
	    "'_' or '-')"), show(v, s));
	return (-1);
}

/* [till] database: empty for the default, else an absolute path. */
static int
check_database(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];

	if (*v == '\0' || *v == '/')
		return (0);
	snprintf(why, n, _("\"%s\" is not an absolute path (it must start "
	    "with /)"), show(v, s));
	return (-1);
}

/* [ui] theme: dark or light. */
static int
check_theme(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];

	if (ascii_casecmp(v, "dark") == 0) {
		memcpy(v, "dark", 5);
		return (0);
	}
	if (ascii_casecmp(v, "light") == 0) {
		memcpy(v, "light", 6);
		return (0);
	}
	snprintf(why, n, _("\"%s\" is not a theme (write dark or light)"),
	    show(v, s));
	return (-1);
}

/* [printer] width: the widths receipt printers come in. */
static int
check_width(int64_t v, char *why, size_t n)
{
	if (v == 32 || v == 42 || v == 48)
		return (0);
	snprintf(why, n, _("%lld is not a printer width (write 32, 42 or 48)"),
	    (long long)v);
	return (-1);
}

/* [hub] url, [mpesa] base_url and callback_url: http:// or https://. */
static int
check_url(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];

	if (*v == '\0' || strncmp(v, "https://", 8) == 0 ||
	    strncmp(v, "http://", 7) == 0) {
		size_t len = strlen(v);

		while (len > 0 && v[len - 1] == '/')	/* one form only */
			v[--len] = '\0';
		return (0);
	}
	snprintf(why, n, _("\"%s\" is not a web address (it must start "
	    "with https:// or http://)"), show(v, s));
	return (-1);
}

/* [mpesa] transaction_type: the two kinds of STK Push. */
static int
check_mpesa_type(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];

	if (strcmp(v, "CustomerPayBillOnline") == 0 ||
	    strcmp(v, "CustomerBuyGoodsOnline") == 0)
		return (0);
	snprintf(why, n, _("\"%s\" is not a transaction type (write "
	    "CustomerPayBillOnline or CustomerBuyGoodsOnline)"), show(v, s));
	return (-1);
}

/* [mpesa] short_code and till_number: 5 to 10 digits, or empty. */
static int
check_digits(char *v, char *why, size_t n)
{
	char	s[SHOW_MAX + 4];
	size_t	len = strlen(v), i;

	for (i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			break;
	if (len == 0 || (i == len && len >= 5 && len <= 10))
		return (0);
	snprintf(why, n, _("\"%s\" is not a short code or till number "
	    "(5 to 10 digits)"), show(v, s));
	return (-1);
}
