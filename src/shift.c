/* shift.c - a till's shifts (being completed: open, cash, X and Z). */
#include "config.h"

#include "i18n.h"
#include "shift.h"

int
shift_current(struct db *db, const char *till_id, int64_t *shift_id,
    struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "SELECT id FROM shifts WHERE till_id = ?1 AND "
	    "state = 'open'", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, till_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*shift_id = sqlite3_column_int64(st, 0);
	db_done(st);
	if (rc == SQLITE_ROW)
		return DUKA_OK;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the shift"));
	return duka_fail(err, DUKA_ENOTFOUND, _("no shift is open on till %s; "
	    "open one first with \"duka shift open --float AMOUNT\""), till_id);
}
