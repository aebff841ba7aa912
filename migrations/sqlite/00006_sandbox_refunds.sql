-- +goose Up
-- Refunds as the WeChat Pay sandbox keeps them.
CREATE TABLE sandbox_refunds (
    out_refund_no  TEXT PRIMARY KEY,
    refund_id      TEXT NOT NULL UNIQUE,
    out_trade_no   TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    amount_total   BIGINT NOT NULL,
    refund         BIGINT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    notify_url     TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    create_time    DATETIME NOT NULL,
    complete_at    DATETIME NOT NULL,
    success_time   DATETIME
);
CREATE INDEX sandbox_refunds_trade ON sandbox_refunds (out_trade_no);

-- +goose Down
DROP TABLE sandbox_refunds;
