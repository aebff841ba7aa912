-- +goose Up
-- Every visit the mini program reports (POST /api/v1/visits): how it began
-- (entry: WeChat's launch scene number), the page, the scene key or ref it
-- carried (raw, as sent) and the source it was resolved to ("channel:…",
-- "promoter:…", "share:<shopper>", "unknown", or '' direct). shopper_id is
-- NULL for a visit reported before wx.login. Written in batches off the
-- request's path; day is the shop's day (Beijing time), YYYY-MM-DD.
CREATE TABLE visits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id BIGINT,
    source     TEXT NOT NULL,
    entry      INTEGER NOT NULL,
    path       TEXT NOT NULL,
    raw        TEXT NOT NULL DEFAULT '',
    day        TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX visits_day ON visits (day, source);

-- The funnel by day and source, counted in the same transaction as the
-- visits themselves, so a 90-day report reads 90 × sources rows: visits,
-- visitors (logged-in shoppers, once a day) and cart shoppers (once a
-- day). Shares are one source here ("share"), whoever shared.
CREATE TABLE visits_daily (
    day           TEXT NOT NULL,
    source        TEXT NOT NULL,
    visits        BIGINT NOT NULL DEFAULT 0,
    visitors      BIGINT NOT NULL DEFAULT 0,
    cart_shoppers BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, source)
);

-- The shoppers counted by the funnel, once per day, source and step:
-- 'visit' (a logged-in visitor through that source) and 'cart' (a shopper
-- who added to the cart, under the source an order would be credited to
-- at that moment). A row new in a batch adds one to visits_daily.
CREATE TABLE funnel_shoppers (
    day        TEXT NOT NULL,
    source     TEXT NOT NULL,
    step       TEXT NOT NULL,
    shopper_id BIGINT NOT NULL,
    PRIMARY KEY (step, day, source, shopper_id)
);

-- Each shopper's first and last touch: the first and the latest source
-- (not direct) they came through. One row per shopper, upserted from each
-- batch of visits; placing an order reads it.
CREATE TABLE shopper_touches (
    shopper_id   BIGINT PRIMARY KEY,
    first_source TEXT NOT NULL,
    first_at     DATETIME NOT NULL,
    last_source  TEXT NOT NULL,
    last_at      DATETIME NOT NULL
);

-- A shopper bound to a store associate (导购): set by a real scan of the
-- associate's mini-program code, kept against other associates' codes
-- until locked_until, moved by the merchant (the brand keeps its customers).
CREATE TABLE bindings (
    shopper_id   BIGINT PRIMARY KEY,
    promoter_id  BIGINT NOT NULL REFERENCES promoters (id),
    bound_at     DATETIME NOT NULL,
    locked_until DATETIME NOT NULL,
    moved_by     TEXT NOT NULL DEFAULT '',
    updated_at   DATETIME NOT NULL
);
CREATE INDEX bindings_promoter ON bindings (promoter_id, shopper_id);

-- How orders are credited (last touch within a window, or first touch) and
-- how long a binding holds against other associates.
ALTER TABLE shop_settings ADD COLUMN attribution_rule TEXT NOT NULL DEFAULT 'last_touch';
ALTER TABLE shop_settings ADD COLUMN attribution_window_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE shop_settings ADD COLUMN binding_lock_days INTEGER NOT NULL DEFAULT 30;

-- The console's orders list filtered by source, and the funnel's orders by
-- source over a period.
CREATE INDEX orders_source ON orders (source, created_at, id);

-- +goose Down
DROP INDEX orders_source;
ALTER TABLE shop_settings DROP COLUMN binding_lock_days;
ALTER TABLE shop_settings DROP COLUMN attribution_window_days;
ALTER TABLE shop_settings DROP COLUMN attribution_rule;
DROP TABLE bindings;
DROP TABLE shopper_touches;
DROP TABLE funnel_shoppers;
DROP TABLE visits_daily;
DROP TABLE visits;
