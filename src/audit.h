/*
 * audit.h - who changed what: one audit row per business action, written in
 * the action's own transaction. Owns the table audit_log (append-only; the
 * users issue adds the hash chain).
 */
#ifndef DUKA_AUDIT_H
#define DUKA_AUDIT_H

#include <stdint.h>

#include "db.h"
#include "status.h"

/* Record action (e.g. "sale.commit") on entity/id with a short detail. */
int audit_add(struct db *db, const char *user, const char *action,
    const char *entity, int64_t entity_id, const char *detail,
    struct duka_err *err);

#endif
