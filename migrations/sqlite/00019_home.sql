-- +goose Up
-- The mini program's home page as the merchant curates it (internal/home).
-- Banners and sections show in position order while enabled and within
-- their window (a NULL bound is open).
CREATE TABLE home_banners (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    image      TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    link_type  TEXT NOT NULL CHECK (link_type IN ('none', 'product', 'category', 'flash_sale', 'page')),
    link_id    BIGINT NOT NULL DEFAULT 0,
    link_page  TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    starts_at  DATETIME,
    ends_at    DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);

-- A section of products (picked ids in product_ids, or a rule), flash sales
-- or claimable coupons, showing at most item_limit of them.
CREATE TABLE home_sections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('products', 'flash_sales', 'coupons')),
    title       TEXT NOT NULL DEFAULT '',
    rule        TEXT NOT NULL DEFAULT '',
    product_ids TEXT NOT NULL DEFAULT '[]',
    category_id BIGINT NOT NULL DEFAULT 0,
    item_limit  INTEGER NOT NULL CHECK (item_limit > 0),
    position    INTEGER NOT NULL,
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    starts_at   DATETIME,
    ends_at     DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);

-- The notice line: one row, always there, so editing it is an update (and
-- its row is the lock every home page edit takes).
CREATE TABLE home_notice (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    text       TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);
INSERT INTO home_notice (id, text, updated_at) VALUES (1, '', CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE home_notice;
DROP TABLE home_sections;
DROP TABLE home_banners;
