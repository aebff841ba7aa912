-- +goose Up
-- Where a shop's traffic comes from. A channel is a named source the
-- merchant creates (a shop window, a poster, a KOL's campaign, an event),
-- known by a short code that travels in share paths and mini-program codes.
CREATE TABLE channels (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- Physical stores whose associates (导购) promote the brand.
CREATE TABLE stores (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    city       TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- People paid a commission for the sales they bring: KOLs (external,
-- invited or applied and approved) and associates (staff of a store). A
-- promoter may be a shopper of the mini program too (shopper_id), which is
-- how the promoter routes know them. rate_bp is the default commission rate
-- in basis points (1000 = 10%).
CREATE TABLE promoters (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    code               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    status             TEXT NOT NULL,
    name               TEXT NOT NULL,
    phone              TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    shopper_id         BIGINT REFERENCES shoppers (id),
    store_id           BIGINT REFERENCES stores (id),
    rate_bp            INTEGER NOT NULL DEFAULT 0,
    commission_on_self BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE UNIQUE INDEX promoters_shopper ON promoters (shopper_id);
CREATE INDEX promoters_store ON promoters (store_id);

-- Short keys for mini-program codes: WeChat's getwxacodeunlimit carries at
-- most 32 visible characters of "scene", so a code carries a key and the
-- key names the page, the target and the source reference it stands for.
CREATE TABLE share_scenes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    scene_key  TEXT NOT NULL UNIQUE,
    page       TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    ref        TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    UNIQUE (page, target, ref)
);

-- Every order keeps the source it was credited to at placement ("channel:AB12",
-- "promoter:K7X2QD", "share:42", "unknown", or '' for a direct visit) and the
-- promoter paid for it, forever.
ALTER TABLE orders ADD COLUMN source TEXT NOT NULL DEFAULT '';
-- (No REFERENCES here: SQLite cannot drop a column that holds one.)
ALTER TABLE orders ADD COLUMN promoter_id BIGINT;
CREATE INDEX orders_promoter ON orders (promoter_id, id);

-- +goose Down
DROP INDEX orders_promoter;
ALTER TABLE orders DROP COLUMN promoter_id;
ALTER TABLE orders DROP COLUMN source;
DROP TABLE share_scenes;
DROP TABLE promoters;
DROP TABLE stores;
DROP TABLE channels;
