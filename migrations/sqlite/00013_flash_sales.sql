-- +goose Up
-- Flash sales (秒杀): a limited number of units of one or more SKUs at a
-- flash price between starts_at and ends_at, at most per_shopper_limit units
-- per shopper, paid within pay_seconds. ended_at is set once the sale was
-- closed and its unsold units went back to the SKUs' stock.
CREATE TABLE flash_sales (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    title             TEXT NOT NULL,
    starts_at         DATETIME NOT NULL,
    ends_at           DATETIME NOT NULL CHECK (ends_at > starts_at),
    per_shopper_limit INTEGER NOT NULL CHECK (per_shopper_limit > 0),
    pay_seconds       INTEGER NOT NULL CHECK (pay_seconds > 0),
    ended_at          DATETIME,
    created_by        TEXT NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX flash_sales_window ON flash_sales (ends_at, starts_at);

-- One SKU of a sale and where its allotted units are: available to buy, held
-- by unpaid orders, sold (paid), or returned to the SKU's stock after the
-- sale; sold_out_at is when available first reached zero. The units were
-- taken from skus.stock through the ledger ('allot'), and the CHECK keeps
-- every unit accounted for in the database itself.
CREATE TABLE flash_sale_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    flash_sale_id BIGINT NOT NULL REFERENCES flash_sales (id),
    sku_id        BIGINT NOT NULL REFERENCES skus (id),
    product_id    BIGINT NOT NULL REFERENCES products (id),
    price         BIGINT NOT NULL CHECK (price > 0),
    allotted      BIGINT NOT NULL CHECK (allotted > 0),
    available     BIGINT NOT NULL CHECK (available >= 0),
    held          BIGINT NOT NULL DEFAULT 0 CHECK (held >= 0),
    sold          BIGINT NOT NULL DEFAULT 0 CHECK (sold >= 0),
    returned      BIGINT NOT NULL DEFAULT 0 CHECK (returned >= 0),
    sold_out_at   DATETIME,
    CHECK (allotted = available + held + sold + returned),
    UNIQUE (flash_sale_id, sku_id)
);
CREATE INDEX flash_sale_items_sku ON flash_sale_items (sku_id);

-- Units each shopper holds in the sale's unpaid and paid orders; a closed
-- order gives its units back. The guarded upsert on this row is what keeps a
-- shopper within per_shopper_limit however many requests they fire at once.
CREATE TABLE flash_sale_buyers (
    flash_sale_id BIGINT NOT NULL REFERENCES flash_sales (id),
    shopper_id    BIGINT NOT NULL REFERENCES shoppers (id),
    units         INTEGER NOT NULL CHECK (units >= 0),
    PRIMARY KEY (flash_sale_id, shopper_id)
);

CREATE INDEX orders_flash_sale ON orders (flash_sale_id, created_at) WHERE flash_sale_id IS NOT NULL;

-- +goose Down
DROP INDEX orders_flash_sale;
DROP TABLE flash_sale_buyers;
DROP TABLE flash_sale_items;
DROP TABLE flash_sales;
