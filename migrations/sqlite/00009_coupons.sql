-- +goose Up
-- Coupons the shop offers. kind: fixed (amount off, no threshold), threshold
-- (满 min_amount 减 amount), percent (percent_off % off the covered goods,
-- at most max_discount when > 0, from min_amount when > 0). scope: shop,
-- categories or products, with scope_ids the categories (each with everything
-- below it) or products covered. Shoppers claim it, or the shop issues it,
-- between starts_at and ends_at; a claimed coupon is usable until ends_at
-- (valid_days = 0) or for valid_days after it was claimed. claimed only grows
-- through a guarded update and never passes total_quantity.
CREATE TABLE coupons (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    amount            BIGINT NOT NULL DEFAULT 0 CHECK (amount >= 0),
    percent_off       INTEGER NOT NULL DEFAULT 0 CHECK (percent_off >= 0 AND percent_off < 100),
    max_discount      BIGINT NOT NULL DEFAULT 0 CHECK (max_discount >= 0),
    min_amount        BIGINT NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
    scope             TEXT NOT NULL,
    scope_ids         TEXT NOT NULL DEFAULT '[]',
    starts_at         DATETIME NOT NULL,
    ends_at           DATETIME NOT NULL,
    valid_days        INTEGER NOT NULL DEFAULT 0 CHECK (valid_days >= 0),
    total_quantity    BIGINT NOT NULL CHECK (total_quantity > 0),
    claimed           BIGINT NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= total_quantity),
    per_shopper_limit INTEGER NOT NULL CHECK (per_shopper_limit > 0),
    claimable         BOOLEAN NOT NULL DEFAULT TRUE,
    stopped_at        DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX coupons_window ON coupons (ends_at, starts_at);

-- The coupons shoppers hold, one row per claimed (or issued) coupon. seq is
-- the shopper's nth claim of that coupon, so the unique index caps claims at
-- the per-shopper limit in the database itself. status: unused | used; an
-- unused coupon past valid_until is expired. order_id is the order using it;
-- an unpaid order that closes gives it back (unused, order_id NULL).
CREATE TABLE shopper_coupons (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    coupon_id   BIGINT NOT NULL REFERENCES coupons (id),
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    source      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    status      TEXT NOT NULL,
    valid_from  DATETIME NOT NULL,
    valid_until DATETIME NOT NULL,
    order_id    BIGINT REFERENCES orders (id),
    used_at     DATETIME,
    claimed_at  DATETIME NOT NULL,
    UNIQUE (coupon_id, shopper_id, seq)
);
CREATE INDEX shopper_coupons_shopper ON shopper_coupons (shopper_id, status, id);
CREATE INDEX shopper_coupons_coupon ON shopper_coupons (coupon_id, status);
CREATE INDEX shopper_coupons_holders ON shopper_coupons (coupon_id, id);
CREATE INDEX shopper_coupons_order ON shopper_coupons (order_id);

-- Coupon statistics sum the orders that used each coupon.
CREATE INDEX orders_coupon ON orders (coupon_id);

-- +goose Down
DROP INDEX orders_coupon;
DROP TABLE shopper_coupons;
DROP TABLE coupons;
