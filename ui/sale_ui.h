/*
 * sale_ui.h - what the sale screen's files share: the screen's state (the
 * cart on screen, the line editor, the search list, the last receipt) and
 * its dialogs, each in a file of its own (sale_tender.c: payment and
 * receipts; sale_mpesa.c: the M-PESA prompt followed live; sale_refund.c:
 * refunds by receipt number).
 *
 * Only the UI thread touches any of this.
 */
#ifndef DUKA_SALE_UI_H
#define DUKA_SALE_UI_H

#include <stdint.h>

#include "cart.h"
#include "catalog.h"
#include "outbox.h"
#include "sale.h"
#include "tui.h"
#include "widget.h"

/* Hits shown under the input while searching. */
#define SALE_HITS 8
/* Sales left awaiting an M-PESA prompt that the screen follows. */
#define SALE_AWAIT_MAX 8

struct sale_await {
	int64_t sale_id;
	int64_t attempt_id;		/* 0: no prompt queued */
	char receipt[RECEIPT_TEXT_MAX];
	int told;			/* its failure was said */
};

struct sale_state {
	struct cart *cart;
	/* The cart's identity for sale_commit: a retry after a failure
	 * cannot sell twice. A new one after every sale or clear. */
	char token[UUID_LEN];
	struct w_input in;		/* code, "3*", or a name to search */
	struct w_list lines;		/* selected line of the cart */

	int searching;			/* the input holds a name */
	struct catalog_hit hits[SALE_HITS];
	struct w_list hl;		/* selected hit */

	/* The last receipt (sale or refund) for F8 and F9. */
	int64_t last_id;
	char last_receipt[RECEIPT_TEXT_MAX];
	int64_t last_total, last_change;
	int last_refund, last_awaiting, last_printed;
	int show_last;			/* the totals area shows it (until the
					   next item) */
	int told_parked;		/* said once that parked carts wait */
	struct sale_await await[SALE_AWAIT_MAX];
	int nawait;
};

/* The cart was emptied (sold, parked, cancelled): a new identity. */
void sale_cart_reset(struct sale_state *s);

/* DUKA_OK when the till has an open shift; otherwise say so, offer the
 * shift screen, and return -1. */
int sale_need_shift(struct tui *t);

/* F2: the tender dialog; commits the sale when the tenders cover it. */
void sale_pay(struct tui *t, struct sale_state *s);

/* F8: show receipt sale_id in a scrolling box. */
void sale_receipt_preview(struct tui *t, int64_t sale_id, int reprint);
/* Print receipt sale_id; a missing printer or a failure is said in the
 * status line (the sale stays; F9 prints again). 0 on success. */
int sale_receipt_send(struct tui *t, int64_t sale_id, int reprint,
    int kick_drawer);

/* A sale committed awaiting an M-PESA prompt: queue the prompt and
 * follow it live (sale_mpesa.c). */
void sale_mpesa_start(struct tui *t, struct sale_state *s, int64_t sale_id,
    const char *receipt);
/* F2 with an empty cart: follow a sale left awaiting; 0 if there is none. */
int sale_mpesa_resume(struct tui *t, struct sale_state *s);
/* At start: the sales of this till still waiting for a prompt, from an
 * earlier run, are followed too. */
void sale_mpesa_load(struct tui *t, struct sale_state *s);
/* Every tick: sales left awaiting that got paid (or failed) are said. */
void sale_mpesa_tick(struct tui *t, struct sale_state *s);

/* F7: refund lines of a sale by its receipt number. */
void sale_refund(struct tui *t, struct sale_state *s);

#endif
