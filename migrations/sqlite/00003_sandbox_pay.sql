-- +goose Up
-- The WeChat Pay sandbox's own orders (what WeChat keeps on its side), in the
-- database so that every replica's sandbox sees the same state.
CREATE TABLE sandbox_pay_orders (
    out_trade_no   TEXT PRIMARY KEY,
    mchid          TEXT NOT NULL,
    appid          TEXT NOT NULL,
    description    TEXT NOT NULL,
    notify_url     TEXT NOT NULL,
    attach         TEXT NOT NULL DEFAULT '',
    amount_total   BIGINT NOT NULL,
    payer_openid   TEXT NOT NULL,
    time_expire    DATETIME NOT NULL,
    request_hash   TEXT NOT NULL,
    prepay_id      TEXT NOT NULL UNIQUE,
    trade_state    TEXT NOT NULL,
    transaction_id TEXT NOT NULL DEFAULT '',
    success_time   DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- +goose Down
DROP TABLE sandbox_pay_orders;
