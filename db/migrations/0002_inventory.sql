-- 0002 inventory: products, barcodes, suppliers, batches and the
-- append-only stock ledger. Money is integer cents; quantities are integer
-- thousandths of a unit.

CREATE TABLE categories (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE
	           CHECK (length(name) BETWEEN 1 AND 60),
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE suppliers (
	id             INTEGER PRIMARY KEY,
	name           TEXT NOT NULL UNIQUE COLLATE NOCASE
	               CHECK (length(name) BETWEEN 1 AND 80),
	phone          TEXT,
	lead_time_days INTEGER NOT NULL DEFAULT 0
	               CHECK (lead_time_days BETWEEN 0 AND 365),
	created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE products (
	id             INTEGER PRIMARY KEY,
	sku            TEXT NOT NULL UNIQUE COLLATE NOCASE
	               CHECK (length(sku) BETWEEN 1 AND 32),
	name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	category_id    INTEGER REFERENCES categories(id),
	supplier_id    INTEGER REFERENCES suppliers(id),
	unit           TEXT NOT NULL CHECK (unit IN ('piece', 'kg', 'litre')),
	price          INTEGER NOT NULL CHECK (price >= 0),  -- VAT included
	cost           INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
	tax_class      TEXT NOT NULL
	               CHECK (tax_class IN ('standard', 'zero', 'exempt')),
	reorder_level  INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
	reorder_qty    INTEGER NOT NULL DEFAULT 0 CHECK (reorder_qty >= 0),
	pack_size      INTEGER NOT NULL DEFAULT 1000 CHECK (pack_size > 0),
	lead_time_days INTEGER NOT NULL DEFAULT 0
	               CHECK (lead_time_days BETWEEN 0 AND 365),
	tracks_expiry  INTEGER NOT NULL DEFAULT 0 CHECK (tracks_expiry IN (0, 1)),
	active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	reorder_date   TEXT,
	-- Cached sum of stock_movements.qty, kept in the same transaction;
	-- duka check proves that it equals the ledger.
	stock_qty      INTEGER NOT NULL DEFAULT 0,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
) STRICT;

CREATE INDEX products_category ON products(category_id);

CREATE TABLE barcodes (
	code       TEXT PRIMARY KEY,      -- normalised (UPC-A as EAN-13, ...)
	product_id INTEGER NOT NULL REFERENCES products(id),
	kind       TEXT NOT NULL,
	created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX barcodes_product ON barcodes(product_id);

CREATE TABLE batches (
	id            INTEGER PRIMARY KEY,
	product_id    INTEGER NOT NULL REFERENCES products(id),
	batch_no      TEXT NOT NULL DEFAULT '',
	expiry_date   TEXT,               -- NULL: does not expire
	received_date TEXT NOT NULL,
	unit_cost     INTEGER NOT NULL CHECK (unit_cost >= 0),
	supplier_id   INTEGER REFERENCES suppliers(id),
	qty_received  INTEGER NOT NULL CHECK (qty_received > 0),
	qty_remaining INTEGER NOT NULL CHECK (qty_remaining >= 0),
	CHECK (expiry_date IS NULL OR expiry_date >= received_date)
) STRICT;

-- First expiry first out: dated batches by date, undated ones last.
CREATE INDEX batches_fefo ON batches(product_id, expiry_date IS NULL,
	expiry_date, id) WHERE qty_remaining > 0;
CREATE INDEX batches_expiry ON batches(expiry_date) WHERE qty_remaining > 0;

CREATE TABLE stock_movements (
	id         INTEGER PRIMARY KEY,
	product_id INTEGER NOT NULL REFERENCES products(id),
	batch_id   INTEGER REFERENCES batches(id),  -- NULL: no batch (oversold)
	qty        INTEGER NOT NULL CHECK (qty <> 0),
	reason     TEXT NOT NULL CHECK (reason IN ('receive', 'sale', 'return',
	           'damage', 'expiry', 'count', 'transfer', 'correction')),
	unit_cost  INTEGER NOT NULL,
	unit_price INTEGER NOT NULL,
	reference  TEXT,
	user_name  TEXT,
	note       TEXT,
	at         TEXT NOT NULL
) STRICT;

CREATE INDEX stock_movements_product ON stock_movements(product_id, at);
CREATE INDEX stock_movements_batch ON stock_movements(batch_id);
CREATE INDEX stock_movements_at ON stock_movements(at);

-- The ledger is append-only: a mistake is corrected by a new movement.
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN
	SELECT RAISE(ABORT, 'stock movements cannot be changed');
END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN
	SELECT RAISE(ABORT, 'stock movements cannot be deleted');
END;
-- Products with history are deactivated, never deleted.
CREATE TRIGGER products_no_delete BEFORE DELETE ON products
WHEN EXISTS (SELECT 1 FROM stock_movements WHERE product_id = old.id)
BEGIN
	SELECT RAISE(ABORT, 'a product with stock history cannot be deleted');
END;

-- As-you-type search: a trigram index over name, SKU and barcodes, kept by
-- catalog.c in the transaction of every product change. "starts" holds the
-- name with "^^" before its first word and "^" before every other word, so
-- that "^^sug" finds names that start with "sug" and "^su" finds a word
-- starting with "su", each with a plain trigram match and no ranking pass.
CREATE VIRTUAL TABLE products_fts USING fts5(name, sku, codes, starts,
	tokenize = 'trigram');

-- Stock take: a count sheet (for one category or all products) collects
-- counted quantities; committing it writes one 'count' movement per
-- difference against the stock at commit time.
CREATE TABLE stock_counts (
	id           INTEGER PRIMARY KEY,
	category_id  INTEGER REFERENCES categories(id),
	state        TEXT NOT NULL DEFAULT 'open'
	             CHECK (state IN ('open', 'committed', 'cancelled')),
	user_name    TEXT,
	note         TEXT,
	started_at   TEXT NOT NULL,
	committed_at TEXT
) STRICT;

CREATE TABLE stock_count_lines (
	count_id    INTEGER NOT NULL REFERENCES stock_counts(id),
	product_id  INTEGER NOT NULL REFERENCES products(id),
	counted_qty INTEGER CHECK (counted_qty IS NULL OR counted_qty >= 0),
	PRIMARY KEY (count_id, product_id)
) STRICT, WITHOUT ROWID;
