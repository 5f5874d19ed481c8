/*
 * payment.h - what happens to a sale's payment after the sale was
 * committed: a pending M-PESA payment becomes paid (by its prompt's result
 * or a code keyed in), or is paid another way instead (switch of tender),
 * and the sale completes when nothing of it is pending any more.
 *
 * sale.c writes payments rows with the sale; this module owns every later
 * change of a payments row and the one change a committed sale allows
 * (awaiting_payment -> completed). Each change writes a payment.updated
 * outbox event and an audit row in the caller's transaction (the
 * functions join an open one: db_begin nests).
 *
 * Payment states: pending --paid--> paid; pending --switch--> cancelled
 * (and a new paid row). Paid and cancelled rows never change again, except
 * that a keyed-in M-PESA code may later be marked verified by Daraja's
 * result.
 */
#ifndef DUKA_PAYMENT_H
#define DUKA_PAYMENT_H

#include <stdint.h>

#include "db.h"
#include "sale.h"
#include "status.h"

struct payment_info {
	int64_t id;
	int64_t sale_id;
	enum pay_method method;
	char state[16];			/* pending, paid, failed, cancelled */
	int64_t amount;			/* cents applied to the sale */
	char reference[PAY_REF_MAX];	/* "" when none */
	int verified;
	char phone[16];			/* "" when none */
	char receipt[RECEIPT_TEXT_MAX];	/* the sale's receipt number */
	char sale_state[24];		/* completed, awaiting_payment */
};

/* Read payment id; DUKA_ENOTFOUND if there is none. */
int payment_get(struct db *db, int64_t id, struct payment_info *p,
    struct duka_err *err);
/* The first pending M-PESA payment of sale_id; DUKA_ENOTFOUND if none. */
int payment_pending_mpesa(struct db *db, int64_t sale_id,
    struct payment_info *p, struct duka_err *err);

/*
 * Pending M-PESA payment payment_id is paid with the M-PESA receipt
 * number code (verified: it came from Daraja; 0: keyed in). The sale
 * completes when nothing else is pending. Refused: a payment that is not
 * a pending M-PESA one, a code that paid something else already.
 */
int payment_settle_mpesa(struct db *db, int64_t payment_id, const char *code,
    int verified, const char *user, struct duka_err *err);

/* Daraja confirmed the keyed-in code of paid payment_id. */
int payment_mark_verified(struct db *db, int64_t payment_id,
    const char *user, struct duka_err *err);

/*
 * Pay pending payment payment_id another way: it becomes cancelled and a
 * paid row of the same amount is added: cash (tendered at least the
 * amount; *change is the rest) or a keyed-in M-PESA code (unverified).
 * The sale completes when nothing else is pending. Sets *new_id when not
 * NULL.
 */
int payment_switch(struct db *db, int64_t payment_id, enum pay_method method,
    int64_t tendered, const char *code, const char *user, int64_t *change,
    int64_t *new_id, struct duka_err *err);

/* Refuse an M-PESA code that already paid a sale or an account. */
int payment_code_unused(struct db *db, const char *code,
    struct duka_err *err);

#endif
