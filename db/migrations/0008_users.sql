-- 0008 users: the people who work the till, their roles and PINs, and the
-- hash chain that makes the audit log tamper-evident.

-- PINs are kept only as libsodium crypto_pwhash_str strings (Argon2id).
-- A user is never deleted (audit rows name them): deactivate instead.
CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role            TEXT NOT NULL
	                CHECK (role IN ('attendant', 'manager', 'owner')),
	pin_hash        TEXT NOT NULL,
	active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
	locked_until    TEXT,                -- UTC timestamp, NULL: not locked
	created_at      TEXT NOT NULL,
	last_login_at   TEXT
) STRICT;

-- The audit chain. Each row holds hash = SHA-256(previous row's hash ||
-- canonical form of its own fields, id included), written by audit_add()
-- in the row's own transaction (see src/audit.c for the form). SQL cannot
-- compute SHA-256, so rows written before this migration keep a NULL hash
-- here and are chained by the program afterwards: the first audit_add()
-- (and every duka command, on opening) fills them in id order. Which rows
-- may be filled that way is fixed now, in shop_meta 'audit_legacy_max_id':
-- a row above it with a NULL hash was slipped in later, and
-- `duka audit verify` names it; until they are filled, verify computes
-- the legacy rows' hashes itself, so the chain covers them from the start.
ALTER TABLE audit_log ADD COLUMN approved_by TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- (No row when the log is empty, as in every new shop: 0 is the default.)
INSERT INTO shop_meta(key, value)
SELECT 'audit_legacy_max_id', CAST(max(id) AS TEXT)
FROM audit_log HAVING max(id) IS NOT NULL;

-- Still no update, except filling in the hash of a legacy row once.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL
	AND NEW.id IS OLD.id AND NEW.at IS OLD.at
	AND NEW.user_name IS OLD.user_name AND NEW.action IS OLD.action
	AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id
	AND NEW.detail IS OLD.detail AND NEW.approved_by IS OLD.approved_by
	AND OLD.id <= coalesce((SELECT CAST(value AS INTEGER) FROM shop_meta
	                        WHERE key = 'audit_legacy_max_id'), 0))
BEGIN
	SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

CREATE INDEX audit_log_user ON audit_log(user_name, at);
CREATE INDEX audit_log_action ON audit_log(action, at);
