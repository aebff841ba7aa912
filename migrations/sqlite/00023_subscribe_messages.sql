-- +goose Up
-- Subscribe messages (issue 15). The merchant's choice of WeChat template
-- for each scene (order_paid, order_shipped, …): its id, which Kaidian value
-- fills each of the template's keywords (JSON {"thing1": "product_name"}),
-- and the mini-program page the message opens.
CREATE TABLE subscribe_templates (
    scene       TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    fields      TEXT NOT NULL,
    page        TEXT NOT NULL DEFAULT '',
    enabled     BOOLEAN NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  DATETIME NOT NULL
);

-- One-time credits: each "accept" in wx.requestSubscribeMessage lets the
-- shop send that template to that shopper once. A send takes one with a
-- guarded decrement, so two events never spend the same credit.
CREATE TABLE subscribe_credits (
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    template_id TEXT NOT NULL,
    credits     INTEGER NOT NULL CHECK (credits >= 0),
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (shopper_id, template_id)
);

-- The outbox: one row per event that should reach a shopper, written in the
-- transaction of the change that causes it (an order paid, shipped, a
-- refund settled), then sent by a job; the sweep finds rows a crash left
-- pending. status: pending → sending (a credit is held) → sent | skipped
-- (no credit, or WeChat's 43101) | failed (WeChat refused it, or retries
-- ran out). data is what the template receives, fixed when the event
-- happened.
CREATE TABLE subscribe_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scene       TEXT NOT NULL,
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    ref         TEXT NOT NULL,
    template_id TEXT NOT NULL,
    page        TEXT NOT NULL,
    data        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    errcode     INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    lease_until DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    sent_at     DATETIME
);
CREATE INDEX subscribe_events_open ON subscribe_events (created_at) WHERE status IN ('pending', 'sending');
CREATE INDEX subscribe_events_log ON subscribe_events (status, id);
CREATE INDEX subscribe_events_shopper ON subscribe_events (shopper_id, id);

-- The WeChat sandbox's own ledger of one-time credits, fed by what the
-- "phone" reports (POST /sandbox/wx/subscribe), and the messages it
-- delivered (GET /sandbox/wx/messages).
CREATE TABLE sandbox_subscribe_credits (
    openid      TEXT NOT NULL,
    template_id TEXT NOT NULL,
    credits     INTEGER NOT NULL CHECK (credits >= 0),
    PRIMARY KEY (openid, template_id)
);
CREATE TABLE sandbox_subscribe_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    openid      TEXT NOT NULL,
    template_id TEXT NOT NULL,
    page        TEXT NOT NULL,
    data        TEXT NOT NULL,
    state       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX sandbox_subscribe_messages_openid ON sandbox_subscribe_messages (openid, id);

-- +goose Down
DROP TABLE sandbox_subscribe_messages;
DROP TABLE sandbox_subscribe_credits;
DROP TABLE subscribe_events;
DROP TABLE subscribe_credits;
DROP TABLE subscribe_templates;
