-- +goose Up
-- Notifications the WeChat Pay sandbox sends, and retries on WeChat's
-- schedule until the merchant answers 2xx.
CREATE TABLE sandbox_notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    notify_id       TEXT NOT NULL UNIQUE,
    event_type      TEXT NOT NULL,
    out_trade_no    TEXT NOT NULL,
    url             TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME,
    delivered_at    DATETIME,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL
);
CREATE INDEX sandbox_notifications_due ON sandbox_notifications (next_attempt_at);

-- +goose Down
DROP TABLE sandbox_notifications;
