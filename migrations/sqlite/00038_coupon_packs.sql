-- +goose Up
-- Lucky coupon packs (拼手气): a campaign gives shoppers packs to share in a
-- group chat; each pack splits total fen into count coupons of random
-- amounts (each at least min_amount), the first count friends who open it
-- each grab one. The coupon terms every grabbed coupon gets: threshold (0:
-- 无门槛, otherwise 满 threshold 减 the amount), scope with scope_ids, and
-- valid_days after the grab. on_paid: a shopper whose paid order reaches
-- min_order gets one pack per order, at most per_shopper from this campaign;
-- the console can also issue packs for a channel. A pack can be grabbed for
-- pack_hours after it was given.
CREATE TABLE coupon_pack_campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    total       BIGINT NOT NULL CHECK (total > 0),
    count       INTEGER NOT NULL CHECK (count > 0),
    min_amount  BIGINT NOT NULL CHECK (min_amount > 0),
    threshold   BIGINT NOT NULL DEFAULT 0 CHECK (threshold >= 0),
    scope       TEXT NOT NULL,
    scope_ids   TEXT NOT NULL DEFAULT '[]',
    valid_days  INTEGER NOT NULL CHECK (valid_days > 0),
    on_paid     BOOLEAN NOT NULL DEFAULT TRUE,
    min_order   BIGINT NOT NULL DEFAULT 0 CHECK (min_order >= 0),
    per_shopper INTEGER NOT NULL CHECK (per_shopper > 0),
    pack_hours  INTEGER NOT NULL CHECK (pack_hours > 0),
    starts_at   DATETIME NOT NULL,
    ends_at     DATETIME NOT NULL,
    stopped_at  DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX coupon_pack_campaigns_window ON coupon_pack_campaigns (ends_at, starts_at);

-- One pack, given to giver_id for a paid order (order_id), or issued from the
-- console for a channel (no giver). ref is the source its share carries
-- (share:<giver id>, channel:<code>). giver_seq is the giver's nth pack of
-- the campaign, so the unique index caps packs at per_shopper in the
-- database itself; one order gets at most one pack of a campaign.
CREATE TABLE coupon_packs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id BIGINT NOT NULL REFERENCES coupon_pack_campaigns (id),
    token       TEXT NOT NULL UNIQUE,
    giver_id    BIGINT REFERENCES shoppers (id),
    giver_seq   INTEGER,
    order_id    BIGINT REFERENCES orders (id),
    ref         TEXT NOT NULL,
    actor       TEXT NOT NULL,
    total       BIGINT NOT NULL CHECK (total > 0),
    count       INTEGER NOT NULL CHECK (count > 0),
    expires_at  DATETIME NOT NULL,
    created_at  DATETIME NOT NULL,
    UNIQUE (campaign_id, order_id),
    UNIQUE (campaign_id, giver_id, giver_seq)
);
CREATE INDEX coupon_packs_giver ON coupon_packs (giver_id, id);
CREATE INDEX coupon_packs_campaign ON coupon_packs (campaign_id, id);

-- A pack's coupons, amounts decided when the pack was made (they sum to the
-- pack's total). A grab claims the first free slot with one guarded
-- statement; (pack_id, shopper_id) is unique, so nobody grabs twice even
-- across replicas. coupon_id is the grabbed coupon in the shopper's wallet
-- (shopper_coupons.id); name and avatar are the grabber's, as shown to
-- everyone who opens the pack (the nickname masked when written).
CREATE TABLE coupon_pack_slots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pack_id    BIGINT NOT NULL REFERENCES coupon_packs (id),
    slot       INTEGER NOT NULL,
    amount     BIGINT NOT NULL CHECK (amount > 0),
    shopper_id BIGINT REFERENCES shoppers (id),
    coupon_id  BIGINT REFERENCES shopper_coupons (id),
    name       TEXT NOT NULL DEFAULT '',
    avatar_url TEXT NOT NULL DEFAULT '',
    grabbed_at DATETIME,
    UNIQUE (pack_id, slot),
    UNIQUE (pack_id, shopper_id)
);
CREATE INDEX coupon_pack_slots_free ON coupon_pack_slots (pack_id, slot) WHERE shopper_id IS NULL;

-- A grabbed coupon is a real coupon: one coupons row per grab, with the
-- grab's own amount. origin says who made a coupon: '' the merchant, 'pack'
-- a lucky pack; the console's coupon list shows the merchant's only.
ALTER TABLE coupons ADD COLUMN origin TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE coupons DROP COLUMN origin;
DROP TABLE coupon_pack_slots;
DROP TABLE coupon_packs;
DROP TABLE coupon_pack_campaigns;
