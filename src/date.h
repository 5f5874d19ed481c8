/*
 * date.h - calendar dates and the clock.
 *
 * Owns: parsing and checking dates that people type ("2026-02-30" is
 * refused), the current UTC time stamp that every record carries, and the
 * business day in the shop's time zone.
 *
 * Dates are "YYYY-MM-DD" strings (DATE_LEN bytes with the NUL) so that they
 * sort and compare as text in SQLite; time stamps are UTC
 * "YYYY-MM-DDTHH:MM:SS.sssZ".
 */
#ifndef DUKA_DATE_H
#define DUKA_DATE_H

#include <stdint.h>

#include "status.h"

#define DATE_LEN 11
#define TIMESTAMP_LEN 32

/*
 * Parse a date typed as YYYY-MM-DD or DD/MM/YYYY (the Kenyan way) into
 * out as YYYY-MM-DD. Impossible dates and years outside 2000..2199 are
 * refused with a reason.
 */
int date_parse(const char *text, char out[DATE_LEN], struct duka_err *err);

/*
 * Make tz the zone of every local date (the shop's business day); call once
 * at start-up, before any thread starts. Refuses an unknown zone.
 */
int date_set_timezone(const char *tz, struct duka_err *err);

/* Seconds since the epoch; the DUKA_NOW environment variable (a UTC time
 * stamp) overrides the clock, for tests and for the demo shop's history. */
int64_t date_now(void);

/* The UTC time stamp of t (seconds since the epoch). */
void date_timestamp(int64_t t, char out[TIMESTAMP_LEN]);

/* The current UTC time stamp, with milliseconds unless DUKA_NOW is set. */
void date_now_timestamp(char out[TIMESTAMP_LEN]);

/* The shop's local date at t (seconds since the epoch). */
void date_local(int64_t t, char out[DATE_LEN]);

/* Today in the shop's time zone. */
void date_today(char out[DATE_LEN]);

/* Days from a to b (b - a); both must be valid YYYY-MM-DD dates. */
int64_t date_diff_days(const char *a, const char *b);

/* The date days after (or before, if negative) date. */
void date_add_days(const char *date, int64_t days, char out[DATE_LEN]);

#endif
