-- 0006 sync: what the sync worker remembers between runs (see sync.c).
-- Keys: catalog_cursor (the hub's cursor of the last catalogue page
-- applied, stored in the same transaction as the page), online ('1'/'0',
-- from the last attempt), last_error, last_ok_at and last_attempt_at
-- (milliseconds since 1970, UTC), auth_failed ('1' after a 401/403).
CREATE TABLE sync_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- The oldest unsent event and the rejected ones are asked for on every
-- status refresh.
CREATE INDEX outbox_rejected ON outbox(seq) WHERE state = 'rejected';
