/*
 * date.c - calendar arithmetic on civil dates, and the clock.
 *
 * Day counts use the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil), so no time zone or DST rule can shift a date.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "i18n.h"

/* Days since 1970-01-01 of a civil date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of a day count since 1970-01-01. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Write y-m-d as YYYY-MM-DD; years outside 0..9999 are clamped. */
static void
date_format(int64_t y, int m, int d, char out[DATE_LEN])
{
	char buf[48];

	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)y, m % 100, d % 100);
	memcpy(out, buf, DATE_LEN - 1);
	out[DATE_LEN - 1] = '\0';
}

static int
days_in_month(int64_t y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Read exactly n digits from s into *v. */
static int
read_digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Split "YYYY-MM-DD" or "DD/MM/YYYY" into numbers; -1 if neither shape. */
static int
date_split(const char *s, int *y, int *m, int *d)
{
	size_t n = strlen(s);

	if (n == 10 && s[4] == '-' && s[7] == '-')
		return (read_digits(s, 4, y) || read_digits(s + 5, 2, m) ||
		    read_digits(s + 8, 2, d)) ? -1 : 0;
	if (n == 10 && s[2] == '/' && s[5] == '/')
		return (read_digits(s, 2, d) || read_digits(s + 3, 2, m) ||
		    read_digits(s + 6, 4, y)) ? -1 : 0;
	return -1;
}

int
date_parse(const char *text, char out[DATE_LEN], struct duka_err *err)
{
	char buf[32];
	size_t n;
	int y, m, d;

	while (isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return duka_fail(err, DUKA_EINPUT, _("no date given"));
	if (n >= sizeof buf)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%.20s...\" is not a date; write it as YYYY-MM-DD"), text);
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (date_split(buf, &y, &m, &d) != 0)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\" is not a date; write it as YYYY-MM-DD or "
		    "DD/MM/YYYY"), buf);
	if (y < 2000 || y > 2199)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\": the year must be between 2000 and 2199"), buf);
	if (m < 1 || m > 12)
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\": there is no month %d"), buf, m);
	if (d < 1 || d > days_in_month(y, m))
		return duka_fail(err, DUKA_EINPUT,
		    _("\"%s\": that month has no day %d"), buf, d);
	date_format(y, m, d, out);
	return DUKA_OK;
}

int
date_set_timezone(const char *tz, struct duka_err *err)
{
	char path[4200];
	const char *dir = getenv("TZDIR");

	if (tz == NULL || *tz == '\0' || strstr(tz, "..") != NULL || *tz == '/')
		return duka_fail(err, DUKA_ECONFIG,
		    _("\"%s\" is not a time zone"), tz ? tz : "");
	snprintf(path, sizeof path, "%s/%s",
	    dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	if (access(path, R_OK) != 0 && strcmp(tz, "UTC") != 0)
		return duka_fail(err, DUKA_ECONFIG,
		    _("unknown time zone \"%s\" (install the tzdata package, or "
		    "use a name such as Africa/Nairobi)"), tz);
	setenv("TZ", tz, 1);
	tzset();
	return DUKA_OK;
}

/* Parse a UTC time stamp "YYYY-MM-DDTHH:MM:SS[.sss]Z" into epoch seconds. */
static int
timestamp_parse(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, se;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (read_digits(s, 4, &y) || read_digits(s + 5, 2, &mo) ||
	    read_digits(s + 8, 2, &d) || read_digits(s + 11, 2, &h) ||
	    read_digits(s + 14, 2, &mi) || read_digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || se > 59)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* The DUKA_NOW override, if set and well formed. */
static int
date_override(int64_t *t)
{
	const char *s = getenv("DUKA_NOW");

	return s != NULL && *s != '\0' && timestamp_parse(s, t) == 0;
}

int64_t
date_now(void)
{
	int64_t t;

	if (date_override(&t))
		return t;
	return (int64_t)time(NULL);
}

void
date_timestamp(int64_t t, char out[TIMESTAMP_LEN])
{
	int64_t days = t / 86400, secs = t % 86400, y;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, TIMESTAMP_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.000Z",
	    (int)y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60));
}

void
date_now_timestamp(char out[TIMESTAMP_LEN])
{
	struct timeval tv;
	int64_t t;

	if (date_override(&t)) {
		date_timestamp(t, out);
		return;
	}
	gettimeofday(&tv, NULL);
	date_timestamp((int64_t)tv.tv_sec, out);
	/* Replace ".000" with the milliseconds. */
	snprintf(out + 19, TIMESTAMP_LEN - 19, ".%03dZ",
	    (int)(tv.tv_usec / 1000));
}

void
date_local(int64_t t, char out[DATE_LEN])
{
	struct tm tm;
	time_t tt = (time_t)t;

	localtime_r(&tt, &tm);
	date_format(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, out);
}

void
date_today(char out[DATE_LEN])
{
	date_local(date_now(), out);
}

/* Days since the epoch of a valid YYYY-MM-DD date. */
static int64_t
date_days(const char *s)
{
	int y = 1970, m = 1, d = 1;

	if (date_split(s, &y, &m, &d) != 0)
		return 0;
	return days_from_civil(y, m, d);
}

int64_t
date_diff_days(const char *a, const char *b)
{
	return date_days(b) - date_days(a);
}

void
date_add_days(const char *date, int64_t days, char out[DATE_LEN])
{
	int64_t y;
	int m, d;

	civil_from_days(date_days(date) + days, &y, &m, &d);
	date_format(y, m, d, out);
}
