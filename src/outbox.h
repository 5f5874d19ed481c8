/*
 * outbox.h - business events waiting for the hub.
 *
 * Owns the outbox table. Every module that changes the ledger calls
 * outbox_add() inside its own transaction, so that an event exists exactly
 * when the change does (the sync worker sends them later).
 */
#ifndef DUKA_OUTBOX_H
#define DUKA_OUTBOX_H

#include <jansson.h>

#include "db.h"
#include "status.h"

#define UUID_LEN 37

/* A new UUIDv7 (time-ordered, random tail from libsodium). */
void uuid7_new(char out[UUID_LEN]);

/*
 * Queue an event of type (e.g. "stock.moved") with data; takes ownership of
 * data (a JSON object) whatever happens. Must run inside a transaction.
 */
int outbox_add(struct db *db, const char *type, json_t *data,
    struct duka_err *err);

/* Number of events not yet sent. */
int outbox_pending(struct db *db, int64_t *count, struct duka_err *err);

#endif
