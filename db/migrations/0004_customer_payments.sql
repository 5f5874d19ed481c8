-- 0004 customer payments: money a customer pays towards the balance of the
-- account (sales on account raise it). Kept apart from payments, whose
-- rows each belong to a sale. Money is integer cents.

CREATE TABLE customer_payments (
	id            INTEGER PRIMARY KEY,
	customer_id   INTEGER NOT NULL REFERENCES customers(id),
	method        TEXT NOT NULL
	              CHECK (method IN ('cash', 'mpesa', 'card', 'bank')),
	amount        INTEGER NOT NULL CHECK (amount > 0),
	balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
	reference     TEXT,                  -- M-PESA code, card/bank reference
	verified      INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
	user_name     TEXT,
	at            TEXT NOT NULL,
	-- Paid means proof: cash, or a reference.
	CHECK (method = 'cash' OR reference IS NOT NULL)
) STRICT;

CREATE INDEX customer_payments_customer ON customer_payments(customer_id);
-- An M-PESA confirmation code pays once: one account payment...
CREATE UNIQUE INDEX customer_payments_mpesa_code ON customer_payments(reference)
	WHERE method = 'mpesa';

-- ...and never both a sale and an account (payments_mpesa_code in 0003
-- covers sales alone).
CREATE TRIGGER customer_payments_mpesa_once BEFORE INSERT ON customer_payments
WHEN new.method = 'mpesa' AND EXISTS (SELECT 1 FROM payments
	WHERE method = 'mpesa' AND reference = new.reference AND amount > 0)
BEGIN
	SELECT RAISE(ABORT, 'this M-PESA code already paid a sale');
END;
CREATE TRIGGER payments_mpesa_not_account BEFORE INSERT ON payments
WHEN new.method = 'mpesa' AND new.reference IS NOT NULL AND new.amount > 0
	AND EXISTS (SELECT 1 FROM customer_payments
	WHERE method = 'mpesa' AND reference = new.reference)
BEGIN
	SELECT RAISE(ABORT, 'this M-PESA code already paid a customer account');
END;
CREATE TRIGGER payments_mpesa_not_account_update
BEFORE UPDATE OF method, reference, amount ON payments
WHEN new.method = 'mpesa' AND new.reference IS NOT NULL AND new.amount > 0
	AND EXISTS (SELECT 1 FROM customer_payments
	WHERE method = 'mpesa' AND reference = new.reference)
BEGIN
	SELECT RAISE(ABORT, 'this M-PESA code already paid a customer account');
END;

-- A payment received is history: a mistake is corrected by a new row.
CREATE TRIGGER customer_payments_no_update BEFORE UPDATE ON customer_payments
BEGIN
	SELECT RAISE(ABORT, 'customer payments cannot be changed');
END;
CREATE TRIGGER customer_payments_no_delete BEFORE DELETE ON customer_payments
BEGIN
	SELECT RAISE(ABORT, 'customer payments cannot be deleted');
END;
