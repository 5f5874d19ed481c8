-- 0001_base.sql - the hub's schema: shops, tills, the raw event log and the
-- tables the events are projected into, the shared catalogue and M-PESA
-- results. Every table carries shop_id (the future sharding key) and every
-- query of the hub filters by it.

CREATE TABLE shops (
	shop_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code         text NOT NULL UNIQUE
	             CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
	name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- Daraja sends no credentials: this unguessable key in the callback
	-- path names the shop.
	callback_key text NOT NULL UNIQUE,
	-- 'till': product.changed events from the tills update the catalogue;
	-- 'hub': only duka-hub product set does (the hub is the authority).
	catalog      text NOT NULL DEFAULT 'till' CHECK (catalog IN ('till', 'hub')),
	created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tills (
	till_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	shop_id      bigint NOT NULL REFERENCES shops,
	name         text NOT NULL,
	token_hash   bytea NOT NULL,          -- BLAKE2b-256 of the token's secret
	created_at   timestamptz NOT NULL DEFAULT now(),
	revoked_at   timestamptz
);
CREATE INDEX tills_shop ON tills(shop_id);

-- Every event ever received, as sent; the primary key makes ingest
-- idempotent per shop.
CREATE TABLE events (
	shop_id      bigint NOT NULL,         -- from the till's token
	id           uuid NOT NULL,
	till_id      bigint NOT NULL,
	type         text NOT NULL,
	at           text NOT NULL,
	data         jsonb NOT NULL,
	received_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (shop_id, id)
);
CREATE INDEX events_type ON events(shop_id, type, received_at);

-- The projections below are written only by the one statement of
-- hub_events.c that also inserts their event, so they are whole by
-- construction; they carry no foreign keys to events or sales because a
-- foreign key check per projected row (four or five per sale) halves the
-- ingest rate.

-- sale.completed and sale.refunded (kind 'refund', negative amounts).
CREATE TABLE sales (
	shop_id      bigint NOT NULL,
	event_id     uuid NOT NULL,
	till_id      bigint NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('sale', 'refund')),
	sale_id      bigint NOT NULL,         -- the till's own id
	refund_of    bigint,
	till_name    text,
	receipt_no   bigint,
	receipt      text,
	original     text,
	state        text,
	at           text,
	business_day text,
	user_name    text,
	customer_id  bigint,
	gross        bigint NOT NULL,
	discount     bigint NOT NULL,
	total        bigint NOT NULL,
	vat          bigint NOT NULL,
	reason       text,
	damaged      boolean,
	PRIMARY KEY (shop_id, event_id)
);
CREATE INDEX sales_day ON sales(shop_id, business_day);

CREATE TABLE sale_lines (
	shop_id      bigint NOT NULL,
	event_id     uuid NOT NULL,
	line_no      integer NOT NULL,
	product_id   bigint,
	sku          text NOT NULL,
	name         text,
	qty          bigint NOT NULL,         -- thousandths
	shelf_price  bigint,
	unit_price   bigint NOT NULL,
	discount     bigint,
	amount       bigint NOT NULL,
	vat          bigint NOT NULL,
	tax_class    text,
	PRIMARY KEY (shop_id, event_id, line_no)
);
CREATE INDEX sale_lines_sku ON sale_lines(shop_id, sku);

-- A sale's payments (event_id: its sale event, seq from 1), and those a
-- payment.updated brings that no sale event carried (event_id: that
-- event, seq 0), e.g. an M-PESA code keyed in after a prompt failed.
-- state, reference and verified follow the till's payment.updated events.
CREATE TABLE payments (
	shop_id      bigint NOT NULL,
	event_id     uuid NOT NULL,
	seq          integer NOT NULL,
	till_id      bigint NOT NULL,
	payment_id   bigint,                  -- the till's own ids
	sale_id      bigint,
	method       text NOT NULL,
	state        text NOT NULL,
	amount       bigint NOT NULL,
	change_due   bigint,
	reference    text,
	verified     boolean,
	PRIMARY KEY (shop_id, event_id, seq)
);
CREATE INDEX payments_reference ON payments(shop_id, reference);
CREATE INDEX payments_till ON payments(shop_id, till_id, payment_id);

CREATE TABLE stock_movements (
	shop_id      bigint NOT NULL,
	event_id     uuid NOT NULL,
	till_id      bigint NOT NULL,
	movement_id  bigint NOT NULL,         -- the till's own id
	product_id   bigint,
	sku          text NOT NULL,
	batch_id     bigint,
	qty          bigint NOT NULL,         -- thousandths, signed
	reason       text NOT NULL,
	unit_cost    bigint,
	unit_price   bigint,
	reference    text,
	user_name    text,
	note         text,
	at           text,
	PRIMARY KEY (shop_id, event_id)
);
CREATE INDEX stock_movements_sku ON stock_movements(shop_id, sku);

-- The catalogue the tills pull. seq comes from catalog_seq on every change;
-- writers of one shop take pg_advisory_xact_lock(shop_id) first, so that a
-- smaller seq is always committed before a larger one and a till reading
-- "seq > cursor" never skips a row.
CREATE SEQUENCE catalog_seq;
CREATE TABLE products (
	shop_id       bigint NOT NULL REFERENCES shops,
	sku           text NOT NULL,
	name          text NOT NULL,
	category      text NOT NULL DEFAULT '',
	unit          text NOT NULL DEFAULT 'piece',
	price         bigint NOT NULL CHECK (price >= 0),
	cost          bigint,
	tax_class     text NOT NULL DEFAULT 'standard',
	barcodes      jsonb NOT NULL DEFAULT '[]',
	pack_size     bigint,
	tracks_expiry boolean,
	active        boolean NOT NULL DEFAULT true,
	deleted       boolean NOT NULL DEFAULT false,
	seq           bigint NOT NULL,
	changed_by    text NOT NULL,          -- 'hub' or 'till:ID'
	updated_at    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (shop_id, sku)
);
CREATE INDEX products_seq ON products(shop_id, seq);

-- Daraja's STK callbacks, as received (ResultCode kept as text).
CREATE TABLE mpesa_results (
	shop_id             bigint NOT NULL REFERENCES shops,
	checkout_request_id text NOT NULL,
	merchant_request_id text,
	result_code         text NOT NULL,
	result_desc         text,
	amount              text,
	receipt             text,
	transaction_date    text,
	phone               text,
	raw                 jsonb NOT NULL,
	received_at         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (shop_id, checkout_request_id)
);
