-- +goose Up
-- Every WeChat Pay notification Kaidian accepted, once per notification id,
-- with what it did: applied, duplicate, mismatch (recorded, not applied) or
-- ignored (not a success).
CREATE TABLE payment_notifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    notify_id      TEXT NOT NULL UNIQUE,
    event_type     TEXT NOT NULL,
    out_trade_no   TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    trade_state    TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    outcome        TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL
);
CREATE INDEX payment_notifications_order ON payment_notifications (out_trade_no);

-- +goose Down
DROP TABLE payment_notifications;
