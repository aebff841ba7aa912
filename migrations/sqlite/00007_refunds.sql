-- +goose Up
-- What has been refunded of an order, kept on the order so every reader sees it;
-- it only ever grows, by refunds that succeeded.
ALTER TABLE orders ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;

-- A refund of (part of) a paid order through WeChat Pay. out_refund_no is
-- ours and never changes, so retrying a create can never refund twice.
-- status: processing → succeeded | failed. next_check_at is when the refund
-- sweep next asks WeChat about a processing refund (create not yet accepted,
-- or no notification yet); restock lists the order lines whose units go back
-- to stock when the refund succeeds.
CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id       BIGINT NOT NULL REFERENCES orders (id),
    out_refund_no  TEXT NOT NULL UNIQUE,
    refund_id      TEXT NOT NULL DEFAULT '',
    amount         BIGINT NOT NULL CHECK (amount > 0),
    reason         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    wechat_status  TEXT NOT NULL DEFAULT '',
    restock        TEXT NOT NULL DEFAULT '[]',
    request_id     BIGINT,
    actor          TEXT NOT NULL,
    submitted      BOOLEAN NOT NULL DEFAULT FALSE,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    next_check_at  DATETIME NOT NULL,
    succeeded_at   DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_due ON refunds (next_check_at) WHERE status = 'processing';

-- A shopper's request for a refund, decided by the merchant: pending →
-- approved (a refund is started) | declined. One pending request per order.
CREATE TABLE refund_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      BIGINT NOT NULL REFERENCES orders (id),
    shopper_id    BIGINT NOT NULL REFERENCES shoppers (id),
    amount        BIGINT NOT NULL CHECK (amount > 0),
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,
    decided_by    TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    refund_id     BIGINT REFERENCES refunds (id),
    created_at    DATETIME NOT NULL,
    decided_at    DATETIME
);
CREATE INDEX refund_requests_order ON refund_requests (order_id);
CREATE UNIQUE INDEX refund_requests_one_pending ON refund_requests (order_id) WHERE status = 'pending';

-- An Idempotency-Key on the pay call replays the very answer it gave.
ALTER TABLE idempotency_keys ADD COLUMN response TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN response;
DROP TABLE refund_requests;
DROP TABLE refunds;
ALTER TABLE orders DROP COLUMN refunded_amount;
