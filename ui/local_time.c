/*
 * local_time.c - database time stamps shown in the shop's time zone
 * (date_set_timezone set TZ at start, so localtime_r gives shop time).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "local_time.h"

void
ui_local_time(const char *stamp, char *out, size_t n)
{
	struct tm tm, now_tm;
	time_t when, now = (time_t)date_now();

	memset(&tm, 0, sizeof tm);
	if (sscanf(stamp, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		snprintf(out, n, "%s", stamp);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	when = timegm(&tm);
	if (localtime_r(&when, &tm) == NULL ||
	    localtime_r(&now, &now_tm) == NULL ||
	    strftime(out, n, tm.tm_year == now_tm.tm_year &&
	    tm.tm_yday == now_tm.tm_yday ? "%H:%M" : "%Y-%m-%d %H:%M",
	    &tm) == 0)
		snprintf(out, n, "%s", stamp);
}
