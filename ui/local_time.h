/*
 * local_time.h - a time stamp of the database (UTC) as the shop's clock
 * shows it, for the screens.
 */
#ifndef DUKA_LOCAL_TIME_H
#define DUKA_LOCAL_TIME_H

#include <stddef.h>

/* "14:05" when stamp ("2026-11-25T11:05:00.000Z") is today in the shop's
 * time zone, else "2026-11-24 14:05"; stamp itself when it does not parse. */
void ui_local_time(const char *stamp, char *out, size_t n);

#endif
