/* audit.c - appending audit rows. */
#include "config.h"

#include "audit.h"
#include "date.h"
#include "i18n.h"

int
audit_add(struct db *db, const char *user, const char *action,
    const char *entity, int64_t entity_id, const char *detail,
    struct duka_err *err)
{
	char now[TIMESTAMP_LEN];
	sqlite3_stmt *st;
	int rc;

	if (!db_in_transaction(db))
		return duka_fail(err, DUKA_EFAIL,
		    _("internal error: an audit row outside a transaction"));
	st = db_stmt(db, "INSERT INTO audit_log(at, user_name, action, entity, "
	    "entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (st == NULL)
		return err->code;
	date_now_timestamp(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(st, 2, user);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, entity, -1, SQLITE_TRANSIENT);
	if (entity_id != 0)
		sqlite3_bind_int64(st, 5, entity_id);
	db_bind_text_or_null(st, 6, detail);
	rc = sqlite3_step(st);
	db_done(st);
	return rc == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("writing the audit log"));
}
