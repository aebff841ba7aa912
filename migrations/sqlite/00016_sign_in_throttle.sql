-- +goose Up
-- Console sign-in throttling counts attempts before the password is checked,
-- one row per bucket (a username from one address, an address, a username
-- from everywhere, a known browser): a guarded upsert takes an attempt only
-- while the bucket's window has room, so replicas racing on one bucket
-- cannot pass its limit. Rows whose window has passed are deleted hourly.
CREATE TABLE login_throttle (
    bucket       TEXT PRIMARY KEY,
    window_start DATETIME NOT NULL,
    attempts     INTEGER NOT NULL CHECK (attempts >= 0)
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- Browsers an account signed in from (the cookie holds the token; the table
-- only its hash). Attempts from a known browser have a bucket of their own,
-- so others guessing the username cannot lock its owner out.
CREATE TABLE staff_devices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   BIGINT NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME NOT NULL
);
CREATE INDEX staff_devices_account ON staff_devices (account_id);
CREATE INDEX staff_devices_used ON staff_devices (last_used_at);

-- Counted after the password check, so it could be raced; replaced by login_throttle.
DROP TABLE login_attempts;

-- +goose Down
CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username   TEXT NOT NULL,
    ip         TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);
DROP TABLE staff_devices;
DROP TABLE login_throttle;
