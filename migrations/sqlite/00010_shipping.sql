-- +goose Up
-- One shipment per order: the carrier (WeChat's delivery id) and tracking
-- number, and the state of the shipping information's upload to WeChat
-- (pending → uploaded | failed). next_upload_at is when the upload sweep
-- next tries a pending one, so nothing is lost when a process stops.
CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    carrier         TEXT NOT NULL,
    tracking_no     TEXT NOT NULL,
    shipped_by      TEXT NOT NULL,
    upload_status   TEXT NOT NULL,
    upload_attempts INTEGER NOT NULL DEFAULT 0,
    upload_error    TEXT NOT NULL DEFAULT '',
    next_upload_at  DATETIME NOT NULL,
    uploaded_at     DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX shipments_upload_due ON shipments (next_upload_at) WHERE upload_status = 'pending';

-- The console's order list filters every shopper's orders by status, by the
-- day they were placed and by product, newest first.
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_created ON orders (created_at, id);
CREATE INDEX order_items_product ON order_items (product_id, order_id);

-- The refunds page lists the requests waiting for a decision, oldest first.
CREATE INDEX refund_requests_waiting ON refund_requests (status, id);

-- The WeChat sandbox's access tokens (cgi-bin/token and stable_token), in
-- the database so that every replica accepts them.
CREATE TABLE sandbox_access_tokens (
    token      TEXT PRIMARY KEY,
    appid      TEXT NOT NULL,
    stable     BOOLEAN NOT NULL,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sandbox_access_tokens_latest ON sandbox_access_tokens (appid, stable, expires_at);

-- Shipping information the sandbox received (uploadShippingInfo), with what
-- it answered, for tests and developers to look at.
CREATE TABLE sandbox_shipping_uploads (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL,
    payer_openid   TEXT NOT NULL,
    body           TEXT NOT NULL,
    errcode        INTEGER NOT NULL,
    errmsg         TEXT NOT NULL,
    created_at     DATETIME NOT NULL
);

-- How many coming shipping uploads the sandbox fails on purpose (one row).
CREATE TABLE sandbox_shipping_faults (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    remaining INTEGER NOT NULL,
    errcode   INTEGER NOT NULL,
    errmsg    TEXT NOT NULL
);

-- +goose Down
DROP TABLE sandbox_shipping_faults;
DROP TABLE sandbox_shipping_uploads;
DROP TABLE sandbox_access_tokens;
DROP INDEX refund_requests_waiting;
DROP INDEX order_items_product;
DROP INDEX orders_created;
DROP INDEX orders_status;
DROP TABLE shipments;
