-- 0003 sales: customers, shifts and cash, sales with their lines, batch
-- allocations and payments, parked carts, receipt numbers and the audit
-- log. Money is integer cents (refunds negative); quantities thousandths.

CREATE TABLE customers (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
	phone        TEXT,
	credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
	balance      INTEGER NOT NULL DEFAULT 0,  -- what the customer owes
	active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at   TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX customers_name ON customers(name COLLATE NOCASE);

-- A shift of one till: opened with a float, closed by a Z report.
CREATE TABLE shifts (
	id            INTEGER PRIMARY KEY,
	till_id       TEXT NOT NULL,
	state         TEXT NOT NULL DEFAULT 'open'
	              CHECK (state IN ('open', 'closed')),
	opened_by     TEXT,
	opened_at     TEXT NOT NULL,
	float_cash    INTEGER NOT NULL CHECK (float_cash >= 0),
	closed_by     TEXT,
	closed_at     TEXT,
	z_number      INTEGER,           -- sequential per till, set at close
	expected_cash INTEGER,
	counted_cash  INTEGER,
	CHECK ((state = 'open') = (z_number IS NULL)),
	UNIQUE (till_id, z_number)
) STRICT;

CREATE UNIQUE INDEX shifts_one_open ON shifts(till_id) WHERE state = 'open';

-- Cash into or out of the drawer that is not a sale.
CREATE TABLE cash_movements (
	id        INTEGER PRIMARY KEY,
	shift_id  INTEGER NOT NULL REFERENCES shifts(id),
	kind      TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out',
	          'no_sale')),
	amount    INTEGER NOT NULL CHECK (amount >= 0),
	reason    TEXT,
	user_name TEXT,
	at        TEXT NOT NULL
) STRICT;

CREATE INDEX cash_movements_shift ON cash_movements(shift_id);

-- Lines rung up and then removed before the sale was committed (voids):
-- counted in the X and Z reports, watched by the fraud guard.
CREATE TABLE line_voids (
	id         INTEGER PRIMARY KEY,
	shift_id   INTEGER NOT NULL REFERENCES shifts(id),
	product_id INTEGER NOT NULL REFERENCES products(id),
	qty        INTEGER NOT NULL CHECK (qty > 0),
	amount     INTEGER NOT NULL,         -- what the line came to
	user_name  TEXT,
	at         TEXT NOT NULL
) STRICT;

CREATE INDEX line_voids_shift ON line_voids(shift_id);

-- The last receipt number of each till, taken in the transaction of the
-- sale itself: no gaps and no repeats, also across crashes.
CREATE TABLE receipt_counters (
	till_id TEXT PRIMARY KEY,
	last_no INTEGER NOT NULL
) STRICT;

CREATE TABLE sales (
	id           INTEGER PRIMARY KEY,
	till_id      TEXT NOT NULL,
	receipt_no   INTEGER NOT NULL,
	kind         TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
	refund_of    INTEGER REFERENCES sales(id),
	state        TEXT NOT NULL
	             CHECK (state IN ('completed', 'awaiting_payment')),
	shift_id     INTEGER NOT NULL REFERENCES shifts(id),
	cart_token   TEXT NOT NULL UNIQUE,   -- a cart commits once
	customer_id  INTEGER REFERENCES customers(id),
	user_name    TEXT,
	approved_by  TEXT,
	shelf_gross  INTEGER NOT NULL,
	gross        INTEGER NOT NULL,
	discount     INTEGER NOT NULL,       -- line and sale discounts
	total        INTEGER NOT NULL,       -- VAT included
	vat          INTEGER NOT NULL,
	at           TEXT NOT NULL,
	business_day TEXT NOT NULL,          -- shop's local date
	CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
	UNIQUE (till_id, receipt_no)
) STRICT;

CREATE INDEX sales_day ON sales(business_day);
CREATE INDEX sales_shift ON sales(shift_id);
CREATE INDEX sales_refund_of ON sales(refund_of) WHERE refund_of IS NOT NULL;

CREATE TABLE sale_lines (
	sale_id       INTEGER NOT NULL REFERENCES sales(id),
	line_no       INTEGER NOT NULL,      -- from 1
	product_id    INTEGER NOT NULL REFERENCES products(id),
	sku           TEXT NOT NULL,
	name          TEXT NOT NULL,
	unit          TEXT NOT NULL,
	tax_class     TEXT NOT NULL,
	qty           INTEGER NOT NULL CHECK (qty > 0),
	shelf_price   INTEGER NOT NULL,
	unit_price    INTEGER NOT NULL,      -- after a price override
	line_discount INTEGER NOT NULL,
	sale_discount INTEGER NOT NULL,      -- share of the whole-sale discount
	amount        INTEGER NOT NULL,      -- paid, VAT included
	vat           INTEGER NOT NULL,
	refund_of_line INTEGER,              -- refunds: the original line_no
	PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE INDEX sale_lines_product ON sale_lines(product_id);

-- Which batches (FEFO) each line's stock came from or went back to.
CREATE TABLE sale_allocations (
	sale_id     INTEGER NOT NULL REFERENCES sales(id),
	line_no     INTEGER NOT NULL,
	movement_id INTEGER NOT NULL UNIQUE REFERENCES stock_movements(id),
	batch_id    INTEGER REFERENCES batches(id),
	qty         INTEGER NOT NULL,        -- as the movement: - sold, + back
	unit_cost   INTEGER NOT NULL,
	PRIMARY KEY (sale_id, line_no, movement_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
	id          INTEGER PRIMARY KEY,
	sale_id     INTEGER NOT NULL REFERENCES sales(id),
	method      TEXT NOT NULL
	            CHECK (method IN ('cash', 'mpesa', 'card', 'bank', 'account')),
	state       TEXT NOT NULL
	            CHECK (state IN ('pending', 'paid', 'failed', 'cancelled')),
	amount      INTEGER NOT NULL,        -- applied to the sale
	tendered    INTEGER,                 -- cash handed over
	change_due  INTEGER,                 -- cash given back
	reference   TEXT,                    -- M-PESA code, card/bank reference
	verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
	customer_id INTEGER REFERENCES customers(id),
	phone       TEXT,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	-- Paid means proof: cash, or a reference (M-PESA receipt, card slip).
	CHECK (state <> 'paid' OR method IN ('cash', 'account')
	       OR reference IS NOT NULL)
) STRICT;

CREATE INDEX payments_sale ON payments(sale_id);
CREATE INDEX payments_pending ON payments(state) WHERE state = 'pending';
-- An M-PESA confirmation code pays one sale only.
CREATE UNIQUE INDEX payments_mpesa_code ON payments(reference)
	WHERE method = 'mpesa' AND reference IS NOT NULL AND amount > 0;

-- Carts put aside to serve the next customer; JSON written by sale.c.
CREATE TABLE parked_carts (
	id        INTEGER PRIMARY KEY,
	till_id   TEXT NOT NULL,
	label     TEXT,
	user_name TEXT,
	cart      TEXT NOT NULL,
	parked_at TEXT NOT NULL
) STRICT;

-- Who changed what. (The users issue chains these rows with hashes.)
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user_name TEXT,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id INTEGER,
	detail    TEXT
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
-- A committed sale is never edited: refunds are new rows.
CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines
BEGIN
	SELECT RAISE(ABORT, 'sale lines cannot be changed');
END;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines
BEGIN
	SELECT RAISE(ABORT, 'sale lines cannot be deleted');
END;
-- Of a committed sale only the state may change (a pending M-PESA payment
-- that is paid completes it); everything else is history.
CREATE TRIGGER sales_no_edit BEFORE UPDATE OF till_id, receipt_no, kind,
	refund_of, shift_id, cart_token, customer_id, user_name, approved_by,
	shelf_gross, gross, discount, total, vat, at, business_day ON sales
BEGIN
	SELECT RAISE(ABORT, 'a committed sale cannot be changed');
END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales
BEGIN
	SELECT RAISE(ABORT, 'a committed sale cannot be deleted');
END;
