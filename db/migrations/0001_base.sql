-- 0001 base: the bookkeeping every duka database has.
-- Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ'; dates are 'YYYY-MM-DD'.

CREATE TABLE schema_migrations (
	version      INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	applied_at   TEXT NOT NULL,
	duka_version TEXT NOT NULL
) STRICT;

-- Facts about this shop's database: when it was created, whether it is the
-- demo shop, and so on.
CREATE TABLE shop_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

INSERT INTO shop_meta(key, value)
VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ'));

-- Business events waiting to be sent to the hub, written in the same
-- transaction as the change they describe (see the sync protocol).
CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,          -- UUIDv7
	type       TEXT NOT NULL,
	at         TEXT NOT NULL,
	data       TEXT NOT NULL,             -- JSON, written by jansson
	state      TEXT NOT NULL DEFAULT 'pending'
	           CHECK (state IN ('pending', 'sent', 'rejected')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT,
	sent_at    TEXT
) STRICT;

CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
