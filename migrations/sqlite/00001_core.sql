-- +goose Up
-- Shoppers are mini-program users, found by openid (and unionid when the
-- mini program is bound to an Open Platform account).
CREATE TABLE shoppers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    openid        TEXT NOT NULL UNIQUE,
    unionid       TEXT,
    session_key   TEXT NOT NULL DEFAULT '',
    nickname      TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    last_login_at DATETIME NOT NULL
);
CREATE INDEX shoppers_unionid ON shoppers (unionid);

CREATE TABLE categories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id  BIGINT REFERENCES categories (id),
    name       TEXT NOT NULL,
    icon_url   TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id);

-- spec_dims is a JSON array of {"name": "颜色", "values": ["红", "蓝"]};
-- images is a JSON array of URLs.
CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    title       TEXT NOT NULL,
    subtitle    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    main_image  TEXT NOT NULL DEFAULT '',
    images      TEXT NOT NULL DEFAULT '[]',
    spec_dims   TEXT NOT NULL DEFAULT '[]',
    on_shelf    BOOLEAN NOT NULL DEFAULT TRUE,
    min_price   BIGINT NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX products_category ON products (category_id, id);

-- A SKU is the sellable unit. stock is what can still be reserved; it only
-- changes together with a row in inventory_movements, and never goes below zero.
CREATE TABLE skus (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id     BIGINT NOT NULL REFERENCES products (id),
    code           TEXT NOT NULL UNIQUE,
    spec_values    TEXT NOT NULL DEFAULT '[]',
    spec_text      TEXT NOT NULL DEFAULT '',
    image          TEXT NOT NULL DEFAULT '',
    price          BIGINT NOT NULL CHECK (price >= 0),
    original_price BIGINT NOT NULL DEFAULT 0 CHECK (original_price >= 0),
    stock          BIGINT NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reserved       BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    sold           BIGINT NOT NULL DEFAULT 0 CHECK (sold >= 0),
    on_sale        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX skus_product ON skus (product_id, id);

-- The inventory ledger: every change to skus.stock, signed. The sum of
-- quantity per SKU equals its stock.
CREATE TABLE inventory_movements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sku_id      BIGINT NOT NULL REFERENCES skus (id),
    kind        TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    stock_after BIGINT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    ref_type    TEXT NOT NULL DEFAULT '',
    ref_id      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX inventory_movements_sku ON inventory_movements (sku_id, id);
CREATE INDEX inventory_movements_ref ON inventory_movements (ref_type, ref_id);

-- One row of shop-wide settings, edited from the console.
CREATE TABLE shop_settings (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    name                    TEXT NOT NULL,
    shipping_fee            BIGINT NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    free_shipping_threshold BIGINT NOT NULL DEFAULT 0 CHECK (free_shipping_threshold >= 0),
    order_timeout_seconds   INTEGER NOT NULL DEFAULT 900 CHECK (order_timeout_seconds >= 60),
    updated_at              DATETIME NOT NULL
);
INSERT INTO shop_settings (id, name, shipping_fee, free_shipping_threshold, order_timeout_seconds, updated_at)
VALUES (1, 'Kaidian', 1000, 9900, 900, CURRENT_TIMESTAMP);

CREATE TABLE cart_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    sku_id      BIGINT NOT NULL REFERENCES skus (id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    added_price BIGINT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (shopper_id, sku_id)
);

CREATE TABLE addresses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id BIGINT NOT NULL REFERENCES shoppers (id),
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    province   TEXT NOT NULL,
    city       TEXT NOT NULL,
    district   TEXT NOT NULL,
    detail     TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX addresses_shopper ON addresses (shopper_id, id);
-- At most one default address per shopper, enforced by the database.
CREATE UNIQUE INDEX addresses_one_default ON addresses (shopper_id) WHERE is_default = 1;

-- Amounts in fen. total_amount = goods_amount + shipping_fee;
-- pay_amount = total_amount - discount_amount.
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no         TEXT NOT NULL UNIQUE,
    shopper_id       BIGINT NOT NULL REFERENCES shoppers (id),
    status           TEXT NOT NULL,
    item_count       INTEGER NOT NULL,
    goods_amount     BIGINT NOT NULL,
    shipping_fee     BIGINT NOT NULL,
    discount_amount  BIGINT NOT NULL DEFAULT 0,
    total_amount     BIGINT NOT NULL,
    pay_amount       BIGINT NOT NULL CHECK (pay_amount >= 0),
    coupon_id        BIGINT,
    flash_sale_id    BIGINT,
    remark           TEXT NOT NULL DEFAULT '',
    receiver_name    TEXT NOT NULL,
    receiver_phone   TEXT NOT NULL,
    province         TEXT NOT NULL,
    city             TEXT NOT NULL,
    district         TEXT NOT NULL,
    address_detail   TEXT NOT NULL,
    expires_at       DATETIME NOT NULL,
    paid_at          DATETIME,
    shipped_at       DATETIME,
    completed_at     DATETIME,
    closed_at        DATETIME,
    close_reason     TEXT NOT NULL DEFAULT '',
    transaction_id   TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE INDEX orders_shopper ON orders (shopper_id, id);
CREATE INDEX orders_shopper_status ON orders (shopper_id, status, id);
CREATE INDEX orders_expiry ON orders (status, expires_at);

-- Order lines snapshot what was bought and carry their own share of every
-- discount, so that partial refunds later are exact.
CREATE TABLE order_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    product_id      BIGINT NOT NULL,
    sku_id          BIGINT NOT NULL,
    title           TEXT NOT NULL,
    spec_text       TEXT NOT NULL,
    image           TEXT NOT NULL,
    unit_price      BIGINT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    line_amount     BIGINT NOT NULL,
    discount_amount BIGINT NOT NULL DEFAULT 0,
    pay_amount      BIGINT NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id, id);

CREATE TABLE order_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX order_transitions_order ON order_transitions (order_id, id);

-- Idempotency keys for POST /api/v1/orders (and later /pay): the same key
-- from the same shopper returns the same result, never a second order.
CREATE TABLE idempotency_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id   BIGINT NOT NULL REFERENCES shoppers (id),
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    resource_id  BIGINT NOT NULL,
    created_at   DATETIME NOT NULL,
    UNIQUE (shopper_id, scope, key)
);

-- Secrets Kaidian generates for itself (e.g. the JWT signing key when none is
-- configured), kept in the database so every replica shares them.
CREATE TABLE app_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- The WeChat sandbox's login codes, in the database so that a code minted by
-- one replica can be exchanged through another.
CREATE TABLE sandbox_login_codes (
    code        TEXT PRIMARY KEY,
    openid      TEXT NOT NULL,
    unionid     TEXT NOT NULL DEFAULT '',
    session_key TEXT NOT NULL,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME
);

-- +goose Down
DROP TABLE sandbox_login_codes;
DROP TABLE app_secrets;
DROP TABLE idempotency_keys;
DROP TABLE order_transitions;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE addresses;
DROP TABLE cart_items;
DROP TABLE shop_settings;
DROP TABLE inventory_movements;
DROP TABLE skus;
DROP TABLE products;
DROP TABLE categories;
DROP TABLE shoppers;
