-- +goose Up
-- Merchant console accounts: owners manage staff, settings and large
-- refunds; staff do the day-to-day work. Passwords are bcrypt hashes.
CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    last_login_at DATETIME
);

-- Server-side console sessions. Only a hash of the cookie's token is kept,
-- so a leaked table does not log anyone in.
CREATE TABLE staff_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    account_id   BIGINT NOT NULL REFERENCES staff_accounts (id),
    csrf_token   TEXT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX staff_sessions_account ON staff_sessions (account_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Console sign-in attempts, for throttling guessing.
CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username   TEXT NOT NULL,
    ip         TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);

-- Who changed what in the console: prices, stock, coupons, refunds, staff.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);

-- The dashboard sums paid orders by day.
CREATE INDEX orders_paid_at ON orders (paid_at);

-- Settings the console adds: when a SKU counts as low on stock, and the
-- refund amount above which only an owner may refund.
ALTER TABLE shop_settings ADD COLUMN low_stock_threshold INTEGER NOT NULL DEFAULT 5;
ALTER TABLE shop_settings ADD COLUMN owner_refund_limit BIGINT NOT NULL DEFAULT 50000;

-- +goose Down
ALTER TABLE shop_settings DROP COLUMN owner_refund_limit;
ALTER TABLE shop_settings DROP COLUMN low_stock_threshold;
DROP INDEX orders_paid_at;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE staff_sessions;
DROP TABLE staff_accounts;
