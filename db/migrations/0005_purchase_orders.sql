-- 0005 purchase orders: what was ordered from a supplier and has not
-- arrived yet, the "stock on order" of the reorder suggestions. The goods
-- themselves come in through stock_receive (a batch and a receive
-- movement); an order line only counts how much of it has arrived.
-- Quantities are integer thousandths of the product's unit.

CREATE TABLE purchase_orders (
	id            INTEGER PRIMARY KEY,
	supplier_id   INTEGER NOT NULL REFERENCES suppliers(id),
	state         TEXT NOT NULL DEFAULT 'open'
	              CHECK (state IN ('open', 'received', 'cancelled')),
	created_at    TEXT NOT NULL,
	expected_date TEXT,                  -- YYYY-MM-DD, NULL: not said
	user_name     TEXT,
	closed_at     TEXT,                  -- when it was received or cancelled
	CHECK ((state = 'open') = (closed_at IS NULL))
) STRICT;

CREATE INDEX purchase_orders_open ON purchase_orders(supplier_id)
	WHERE state = 'open';

-- One line per product and order; more of a product is a bigger line.
CREATE TABLE purchase_order_lines (
	order_id     INTEGER NOT NULL REFERENCES purchase_orders(id),
	product_id   INTEGER NOT NULL REFERENCES products(id),
	line_no      INTEGER NOT NULL,       -- from 1, in the order given
	qty          INTEGER NOT NULL CHECK (qty > 0),
	-- What has arrived; may pass qty when the supplier sends more.
	qty_received INTEGER NOT NULL DEFAULT 0 CHECK (qty_received >= 0),
	PRIMARY KEY (order_id, product_id),
	UNIQUE (order_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE INDEX purchase_order_lines_product ON purchase_order_lines(product_id);

-- A received or cancelled order is history: only an open order changes,
-- and only from open to received or cancelled.
CREATE TRIGGER purchase_orders_closed BEFORE UPDATE ON purchase_orders
WHEN old.state <> 'open' OR new.supplier_id <> old.supplier_id
	OR new.created_at <> old.created_at
BEGIN
	SELECT RAISE(ABORT, 'a received or cancelled order cannot be changed');
END;
CREATE TRIGGER purchase_orders_no_delete BEFORE DELETE ON purchase_orders
BEGIN
	SELECT RAISE(ABORT, 'purchase orders cannot be deleted');
END;
-- Lines change only while their order is open, and what arrived only grows.
CREATE TRIGGER purchase_order_lines_closed BEFORE UPDATE
	ON purchase_order_lines
WHEN (SELECT state FROM purchase_orders WHERE id = old.order_id) <> 'open'
	OR new.order_id <> old.order_id OR new.product_id <> old.product_id
	OR new.line_no <> old.line_no OR new.qty <> old.qty
	OR new.qty_received < old.qty_received
BEGIN
	SELECT RAISE(ABORT, 'only what arrived of an open order can change');
END;
CREATE TRIGGER purchase_order_lines_insert_closed BEFORE INSERT
	ON purchase_order_lines
WHEN (SELECT state FROM purchase_orders WHERE id = new.order_id) <> 'open'
BEGIN
	SELECT RAISE(ABORT, 'lines cannot be added to a closed order');
END;
CREATE TRIGGER purchase_order_lines_no_delete BEFORE DELETE
	ON purchase_order_lines
BEGIN
	SELECT RAISE(ABORT, 'purchase order lines cannot be deleted');
END;
