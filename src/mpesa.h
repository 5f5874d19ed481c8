/*
 * mpesa.h - M-PESA Express (STK Push) through Safaricom's Daraja API.
 *
 * Owns the table mpesa_attempts: one row per payment prompt, written
 * before the prompt is sent (see db/migrations/0007_mpesa.sql for the
 * states). The screens and the CLI queue prompts and read their state;
 * the worker (mpesa_worker_step, called by the sync thread or by
 * "duka mpesa run") sends them, asks Daraja how they went (STK Push
 * Query) and reads the results the hub relays from Daraja's callback.
 *
 * Attempt states (as stored):
 *
 *	queued --worker--> sending --accepted--> waiting --result--> final
 *	  |                   |  \--refused-----------------------> failed
 *	  |                   |  \--reply lost / timed out -------> unknown
 *	  |                   \--never reached Daraja--> queued (again later)
 *	  \--attendant stops it, a sale's prompt queued 10 minutes, an
 *	     account that owes less by then--> not_sent
 *	waiting --query says paid, no receipt--> confirmed --receipt--> paid
 *	waiting --no final answer in time--> unknown
 *
 * Final: paid, cancelled, timed_out, insufficient, wrong_pin, try_later,
 * failed, unknown, not_sent. "paid" always carries the M-PESA receipt
 * number (invariant 6). An attempt whose push may have reached Daraja
 * without an answer is "unknown" and is never sent again automatically:
 * the attendant decides (mpesa_prompt_queue makes a new attempt).
 *
 * When an attempt becomes paid and its payment is still pending, the
 * payment becomes paid with the receipt number and the sale completes (no
 * payment left pending) in the same transaction, with a payment.updated
 * outbox event and an audit row. A paid result for a payment that was
 * settled otherwise (another attempt, cash, a keyed-in code) is kept on
 * the attempt and flagged by the reconciliation (mpesa_reconcile).
 *
 * Threads: the struct mpesa_client belongs to the thread that made it
 * (its own curl handle); the database functions take that thread's db.
 */
#ifndef DUKA_MPESA_H
#define DUKA_MPESA_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "date.h"
#include "db.h"
#include "sale.h"
#include "settings.h"
#include "status.h"

enum mpesa_state {
	MPESA_QUEUED, MPESA_SENDING, MPESA_WAITING, MPESA_CONFIRMED,
	MPESA_PAID, MPESA_CANCELLED, MPESA_TIMED_OUT, MPESA_INSUFFICIENT,
	MPESA_WRONG_PIN, MPESA_TRY_LATER, MPESA_FAILED, MPESA_UNKNOWN,
	MPESA_NOT_SENT,
};
#define MPESA_STATES 13

/* The stored word ("waiting"), and back; -1 for an unknown word. */
const char *mpesa_state_name(enum mpesa_state s);
int mpesa_state_parse(const char *word);
/* What the attendant reads ("waiting for the customer"), translated. */
const char *mpesa_state_label(enum mpesa_state s);
/* 1 for a state that no later answer changes (paid ... not_sent). */
int mpesa_state_final(enum mpesa_state s);

/* CheckoutRequestID and MerchantRequestID: opaque, allow 64+ bytes. */
#define MPESA_ID_MAX 96
#define MPESA_PHONE_LEN 13		/* "2547XXXXXXXX" and the NUL */
#define MPESA_REF_MAX 13		/* AccountReference: 12 and the NUL */
#define MPESA_DESC_MAX 14		/* TransactionDesc: 13 and the NUL */
#define MPESA_TIMESTAMP_LEN 15		/* YYYYMMDDHHmmss and the NUL */
/* The most one prompt may ask, in cents (KSh 250,000). */
#define MPESA_AMOUNT_MAX INT64_C(25000000)

/* One prompt, as mpesa_attempt_get reads it. */
struct mpesa_attempt {
	int64_t id;
	int64_t payment_id;		/* 0 for an account payment */
	int64_t sale_id;		/* 0 for an account payment */
	int64_t customer_id;		/* 0 for a sale */
	char receipt[RECEIPT_TEXT_MAX];	/* the sale's, "" for an account */
	enum mpesa_state state;
	int abandoned;			/* the attendant stopped waiting */
	int applied;			/* the paid result settled its payment */
	char phone[MPESA_PHONE_LEN];
	int64_t amount;			/* cents asked (whole shillings) */
	int64_t due;			/* cents it pays (amount - due: the
					   rounding up to a shilling) */
	char account_ref[MPESA_REF_MAX];
	char checkout_id[MPESA_ID_MAX];
	char result_code[16];		/* "" until a result came */
	char result_desc[160];
	char mpesa_receipt[PAY_REF_MAX];	/* "" unless paid */
	int64_t paid_amount;		/* cents, from the result */
	char paid_phone[16];
	char last_error[256];		/* why it is not further, or "" */
	int64_t queries;
	char created_at[TIMESTAMP_LEN];
	char updated_at[TIMESTAMP_LEN];
};

/* Is [mpesa] filled in enough to send prompts? 1 or 0. */
int mpesa_configured(const struct settings *cfg);
/* Like mpesa_configured, with a message naming the missing key. */
int mpesa_config_check(const struct settings *cfg, struct duka_err *err);

/*
 * The client of one thread: settings, a curl handle and the OAuth token
 * (kept in memory only, renewed before it expires). mpesa_client_free
 * releases everything; NULL is allowed.
 */
struct mpesa_client;
int mpesa_client_new(const struct settings *cfg, struct mpesa_client **out,
    struct duka_err *err);
void mpesa_client_free(struct mpesa_client *mc);
/* A flag that, once non-zero, cuts short the request in flight (the worker
 * is stopping). A push cut short so is "outcome unknown", never re-sent. */
void mpesa_client_set_cancel(struct mpesa_client *mc, const int *cancel);

/*
 * Do the M-PESA work that is due: send queued prompts, query waiting ones,
 * fetch results relayed by the hub. Sets *next_ms to the milliseconds
 * until more work is due, or -1 when nothing is pending. Network trouble
 * is not a failure (it is recorded on the attempts, which wait); only a
 * database failure returns an error.
 */
int mpesa_worker_step(struct mpesa_client *mc, struct db *db,
    int64_t *next_ms, struct duka_err *err);

/*
 * A Kenyan mobile number as Daraja wants it, "2547XXXXXXXX" or
 * "2541XXXXXXXX", from 07..., 01..., +254..., 254... (spaces and dashes
 * allowed). Anything else is refused with a message that says how to write
 * one.
 */
int mpesa_phone_normalise(const char *text, char out[MPESA_PHONE_LEN],
    struct duka_err *err);

/*
 * Queue a prompt for the pending M-PESA payment of sale_id (phone: NULL or
 * "" for the phone given at the sale). Refused: no such sale, nothing
 * pending on it, a prompt for it still in flight (stop waiting first), a
 * bad phone, an amount over KSh 250,000. The amount asked is the pending
 * amount rounded up to a whole shilling. Sets *attempt_id. Queueing does
 * not need [mpesa]: offer prompts only when mpesa_configured() says so.
 */
int mpesa_prompt_queue(struct db *db, int64_t sale_id, const char *phone,
    const char *user, int64_t *attempt_id, struct duka_err *err);
/*
 * Queue a prompt for amount (cents, whole shillings, at most what the
 * customer owes) towards customer_id's account; when paid it becomes a
 * customer payment (customer_pay).
 */
int mpesa_prompt_queue_account(struct db *db, int64_t customer_id,
    int64_t amount, const char *phone, const char *user, int64_t *attempt_id,
    struct duka_err *err);

int mpesa_attempt_get(struct db *db, int64_t attempt_id,
    struct mpesa_attempt *out, struct duka_err *err);
/* The newest attempt for a payment; DUKA_ENOTFOUND if none. */
int mpesa_attempt_latest(struct db *db, int64_t payment_id,
    struct mpesa_attempt *out, struct duka_err *err);
/*
 * Call fn for attempts, newest first: those not final (or abandoned)
 * plus the latest `recent` others. fn returns non-zero to stop.
 */
int mpesa_attempt_list(struct db *db, int recent,
    int (*fn)(void *ctx, const struct mpesa_attempt *a), void *ctx,
    struct duka_err *err);

/*
 * The attendant stops waiting for attempt_id. A queued prompt is never
 * sent (not_sent); one already sent is still followed, so that a late
 * result is recorded, but its payment may now be paid another way or by a
 * new attempt.
 */
int mpesa_attempt_abandon(struct db *db, int64_t attempt_id,
    const char *user, struct duka_err *err);

/*
 * Daraja said paid but sent no receipt number (confirmed): the attendant
 * keys in the code from the customer's SMS; the attempt and its payment
 * become paid (the code marked unverified) and the sale completes.
 */
int mpesa_attempt_key_code(struct db *db, int64_t attempt_id,
    const char *code, const char *user, struct duka_err *err);

/*
 * Pay the pending M-PESA payment payment_id another way, in one
 * transaction: the pending row becomes cancelled, a paid row of the same
 * amount is added (cash: tendered is what was handed over, at least the
 * amount, the change is worked out; M-PESA: a keyed-in code, unverified)
 * and the sale completes when nothing is pending. Prompts in flight for it
 * are abandoned. Sets *change (cash) when not NULL.
 */
int mpesa_switch_tender(struct db *db, int64_t payment_id,
    enum pay_method method, int64_t tendered, const char *code,
    const char *user, int64_t *change, struct duka_err *err);

/* The pending M-PESA payment of sale_id; DUKA_ENOTFOUND if none. */
int mpesa_pending_payment(struct db *db, int64_t sale_id,
    int64_t *payment_id, int64_t *amount, char phone[16],
    struct duka_err *err);

/* One line of the reconciliation: an M-PESA payment or prompt. */
struct mpesa_recon_row {
	char at[TIMESTAMP_LEN];
	char receipt[RECEIPT_TEXT_MAX];	/* the sale's; "" for an account */
	char customer[96];		/* account payments */
	char mpesa_receipt[PAY_REF_MAX];
	int64_t amount;			/* cents */
	char phone[16];
	char state[24];			/* stored word (payment or attempt) */
	const char *flag;		/* NULL, or a translated warning */
	int64_t attempt_id;		/* 0 for a keyed-in code */
	int verified;			/* the receipt came from Daraja */
};
/*
 * Every M-PESA payment and prompt created between the business days from
 * and to (YYYY-MM-DD, "" for no limit), oldest first; flag says "double
 * payment: refund one", "paid but not applied", "keyed in, not confirmed"
 * or "outcome unknown: check the statement".
 */
int mpesa_reconcile(struct db *db, const char *from, const char *to,
    int (*fn)(void *ctx, const struct mpesa_recon_row *r), void *ctx,
    struct duka_err *err);

/*
 * For duka check (the check table of check.c): a prompt applied to a
 * payment that is not paid with its receipt, a payment marked confirmed by
 * M-PESA without the prompt that confirmed it.
 */
int mpesa_check(struct db *db, struct check_report *r, struct duka_err *err);

/*
 * The pieces of a request, exposed for the tests. Daraja's time stamp
 * (YYYYMMDDHHmmss in Nairobi time, UTC+3 all year) of t (seconds since
 * the epoch); the password base64(short_code + passkey + timestamp).
 */
void mpesa_timestamp(int64_t t, char out[MPESA_TIMESTAMP_LEN]);
int mpesa_password(const char *short_code, const char *passkey,
    const char *timestamp, char *out, size_t n);
/* Cents rounded up to whole shillings (in cents); refuses <= 0 and more
 * than MPESA_AMOUNT_MAX. */
int mpesa_amount_round(int64_t cents, int64_t *out, struct duka_err *err);
/* AccountReference from a receipt text ("T1-000123" -> "T1000123"): its
 * letters and digits, the last 12 when longer. */
void mpesa_account_ref(const char *receipt, char out[MPESA_REF_MAX]);
/* TransactionDesc from the shop's name: its ASCII letters, digits and
 * spaces, at most 13; "Payment" when nothing is left. */
void mpesa_transaction_desc(const char *shop, char out[MPESA_DESC_MAX]);
/* The state a ResultCode means ("0" paid, "1032" cancelled, ...); an
 * unknown code is MPESA_FAILED. "4999" is MPESA_WAITING. */
enum mpesa_state mpesa_result_state(const char *code);

/* What one Daraja (or hub) reply says, as mpesa_reply_parse reads it. */
enum mpesa_call {
	MPESA_CALL_TOKEN, MPESA_CALL_PUSH, MPESA_CALL_QUERY,
	MPESA_CALL_CALLBACK,
};
enum mpesa_reply_kind {
	MPESA_R_TOKEN,		/* a token and its lifetime */
	MPESA_R_ACCEPTED,	/* push accepted: CheckoutRequestID */
	MPESA_R_RESULT,		/* a final ResultCode */
	MPESA_R_PENDING,	/* still with the customer */
	MPESA_R_BAD_TOKEN,	/* Invalid Access Token: renew, retry once */
	MPESA_R_BUSY,		/* rate limit, spike arrest, system busy */
	MPESA_R_LOCKED,		/* a prompt is already open on the phone */
	MPESA_R_REFUSED,	/* a JSON error: the request was refused */
	MPESA_R_OUTAGE,		/* 503 without JSON: the gateway refused */
	MPESA_R_GARBLED,	/* not JSON, cut short, or the wrong shape */
};
struct mpesa_reply {
	enum mpesa_reply_kind kind;
	long status;
	char error_code[32];
	char message[160];		/* errorMessage, ResponseDescription */
	char token[256];
	int64_t expires_in;		/* seconds */
	char merchant_id[MPESA_ID_MAX];
	char checkout_id[MPESA_ID_MAX];
	char result_code[16];
	char result_desc[160];
	char receipt[PAY_REF_MAX];	/* MpesaReceiptNumber, "" if none */
	int64_t amount;			/* cents, -1 if not given */
	char phone[16];
	char tx_date[16];
};
/*
 * Read a reply of call with HTTP status (body may be NULL or not JSON):
 * never fails, an unreadable reply is MPESA_R_GARBLED (or _OUTAGE).
 */
void mpesa_reply_parse(enum mpesa_call call, long status, const char *body,
    size_t len, struct mpesa_reply *r);

/*
 * Read the answer of the hub's GET /v1/mpesa/results (duka-hub(8)): each
 * result as Daraja's callback (under "callback", bare, or rebuilt from
 * its flat fields). *out gets the results that read as one (kind RESULT),
 * allocated; the caller frees it. Returns how many; 0 (and *out NULL) for
 * none or an unreadable answer.
 */
size_t mpesa_hub_results_parse(const char *body, size_t len,
    struct mpesa_reply **out);

/*
 * Apply a result (from the hub, or the tests) to the attempt with that
 * CheckoutRequestID: idempotent, a repeat changes nothing.
 * DUKA_ENOTFOUND when no attempt has that id.
 */
int mpesa_result_apply(struct db *db, const struct mpesa_reply *r,
    struct duka_err *err);

/*
 * Timings of the worker in milliseconds (first query, between queries,
 * give up), scaled down 50 times when DUKA_MPESA_FAST is set to a value
 * other than 0, for the tests. Read once.
 */
struct mpesa_timing {
	int64_t first_query_ms, query_every_ms, give_up_ms, retry_ms,
	    hub_every_ms, queue_max_ms;
};
const struct mpesa_timing *mpesa_timing(void);

#endif
