/*
 * export.h - the owner's spreadsheet: the books of a range of business
 * days written to an .xlsx workbook ("duka export").
 *
 * Read-only: owns no table. The workbook has the sheets Summary (one row
 * per business day and a totals row of formulas), Sales, Sale lines,
 * Payments, M-PESA (the reconciliation of mpesa.h), Stock on hand, Expiry,
 * Stock movements, Reorder suggestions, Alerts and
 * "Shifts (X and Z)" (a sheet name cannot hold "/"), with real cell types
 * (amounts are numbers with a currency format, dates are dates), a frozen
 * header row and an autofilter on each.
 *
 * The workbook is written in libxlsxwriter's constant-memory mode, so a
 * year of sales takes bounded memory, to a temporary file beside the target
 * that is renamed over it only when it is complete: a failure (or a stop
 * asked by the progress callback) leaves the target as it was and no
 * temporary file behind. Everything is read in one read transaction, so
 * the sheets agree with each other while tills keep selling.
 */
#ifndef DUKA_EXPORT_H
#define DUKA_EXPORT_H

#include <stdint.h>

#include "db.h"
#include "settings.h"
#include "status.h"

/*
 * Called as the export goes: stage is the (translated) name of the sheet
 * being written, or of the last step (saving the file); done rows of total
 * (total 0 when not known). Return non-zero to stop the export: it then
 * fails with DUKA_EFAIL and leaves the target untouched.
 */
typedef int (*export_progress_fn)(void *ctx, const char *stage,
    int64_t done, int64_t total);

/*
 * Write the books of the business days from..to (dates as people type
 * them, YYYY-MM-DD or DD/MM/YYYY, both included; NULL or "" for no limit)
 * to path, which must end in ".xlsx"; an existing file there is replaced.
 * Refused with DUKA_EINPUT before anything is written: a bad date, from
 * after to, a path that is a folder or not a regular file, a folder that
 * does not exist or cannot be written. progress may be NULL.
 */
int export_workbook(struct db *db, const struct settings *cfg,
    const char *from, const char *to, const char *path,
    export_progress_fn progress, void *ctx, struct duka_err *err);

/*
 * Tests only: the most data rows one sheet takes before the rest goes on a
 * continuation sheet ("Sale lines (2)"); 0 restores Excel's limit of
 * 1,048,575. Sheets with a totals row (Summary, Stock on hand, Expiry)
 * never continue.
 */
void export_set_sheet_rows(int64_t rows);

#endif
