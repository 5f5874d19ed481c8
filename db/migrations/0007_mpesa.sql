-- 0007 M-PESA: every STK Push prompt the till asks Daraja to send, written
-- before it is sent, with what Daraja answered. A prompt pays either a
-- pending M-PESA payment of a sale or a customer's account. Money is
-- integer cents (a prompt asks whole shillings: a multiple of 100).
--
-- state is Daraja's outcome as far as the till knows it:
--   queued     written, not sent yet (no network: sent when it returns)
--   sending    the push is on its way (a crash here means "unknown")
--   waiting    accepted (CheckoutRequestID known), waiting for the customer
--   confirmed  Daraja says paid but no receipt number has come yet
--   paid       paid, with the M-PESA receipt number
--   cancelled, timed_out, insufficient, wrong_pin, try_later, failed
--              final answers (failed: refused or unknown code: review)
--   unknown    the push may have gone out and its answer was lost, or no
--              final answer came in time: never re-sent automatically
--   not_sent   stopped before it was sent
-- abandoned = 1: the attendant stopped waiting; a late result is still
-- recorded (a late "paid" is then a double payment for reconciliation).

CREATE TABLE mpesa_attempts (
	id            INTEGER PRIMARY KEY,
	payment_id    INTEGER REFERENCES payments(id),
	customer_id   INTEGER REFERENCES customers(id),
	phone         TEXT NOT NULL CHECK (length(phone) = 12),
	amount        INTEGER NOT NULL CHECK (amount > 0 AND amount % 100 = 0),
	due           INTEGER NOT NULL CHECK (due > 0),  -- what it pays, cents
	account_ref   TEXT NOT NULL CHECK (length(account_ref) BETWEEN 1 AND 12),
	state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued',
	              'sending', 'waiting', 'confirmed', 'paid', 'cancelled',
	              'timed_out', 'insufficient', 'wrong_pin', 'try_later',
	              'failed', 'unknown', 'not_sent')),
	abandoned     INTEGER NOT NULL DEFAULT 0 CHECK (abandoned IN (0, 1)),
	merchant_request_id TEXT,
	checkout_request_id TEXT UNIQUE,
	result_code   TEXT,                  -- as Daraja sent it, a string
	result_desc   TEXT,
	mpesa_receipt TEXT,                  -- e.g. NLJ7RT61SV
	paid_amount   INTEGER,               -- cents, as the result says
	paid_phone    TEXT,
	paid_at       TEXT,                  -- Daraja's TransactionDate
	applied       INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
	queries       INTEGER NOT NULL DEFAULT 0,
	next_at       INTEGER,               -- ms since the epoch: act again
	queued_ms     INTEGER NOT NULL,      -- ms since the epoch
	sent_ms       INTEGER,               -- when the push went out
	last_error    TEXT,
	user_name     TEXT,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	CHECK ((payment_id IS NULL) <> (customer_id IS NULL)),
	-- Paid means proof: the receipt number.
	CHECK (state <> 'paid' OR mpesa_receipt IS NOT NULL),
	CHECK (applied = 0 OR state = 'paid')
) STRICT;

CREATE INDEX mpesa_attempts_payment ON mpesa_attempts(payment_id);
CREATE INDEX mpesa_attempts_active ON mpesa_attempts(next_at)
	WHERE state IN ('queued', 'sending', 'waiting', 'confirmed');
CREATE UNIQUE INDEX mpesa_attempts_receipt ON mpesa_attempts(mpesa_receipt)
	WHERE mpesa_receipt IS NOT NULL;
