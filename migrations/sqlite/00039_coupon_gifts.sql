-- +goose Up
-- Coupons a shopper gives a friend (issue 17 §1). A giftable coupon's holder
-- may offer one unused copy through a share token; exactly one friend claims
-- it. The giver's copy is locked while the share is open (status gifting in
-- shopper_coupons) and marked gifted when claimed; the friend receives a new
-- copy of their own (source gift), so each shopper's per-shopper limit counts
-- what they received and coupons.claimed, what left the shop's stock, does
-- not move. status: open | claimed | cancelled; at most one open share per
-- held coupon, so sharing twice answers the same token.
ALTER TABLE coupons ADD COLUMN giftable BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE coupon_shares (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    token            TEXT NOT NULL UNIQUE,
    held_id          BIGINT NOT NULL REFERENCES shopper_coupons (id),
    coupon_id        BIGINT NOT NULL REFERENCES coupons (id),
    giver_id         BIGINT NOT NULL REFERENCES shoppers (id),
    status           TEXT NOT NULL,
    receiver_id      BIGINT REFERENCES shoppers (id),
    received_held_id BIGINT REFERENCES shopper_coupons (id),
    created_at       DATETIME NOT NULL,
    closed_at        DATETIME
);
CREATE UNIQUE INDEX coupon_shares_open ON coupon_shares (held_id) WHERE status = 'open';
CREATE INDEX coupon_shares_held ON coupon_shares (held_id, id);

-- Share-to-unlock campaigns (裂变券, issue 17 §1): a shopper shares, each new
-- friend who claims through the share gets the invite coupon and counts
-- once; at friends_needed the sharer gets the reward coupon, once
-- (rewarded_at is set by one guarded update). One share per shopper and
-- campaign; one claim per friend and share (unique), and a friend who
-- already holds the invite coupon is refused, so no one counts twice.
-- A claim keeps the friend's masked nickname and avatar as they were, for
-- the sharer's progress page.
CREATE TABLE unlock_campaigns (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL,
    reward_coupon_id BIGINT NOT NULL REFERENCES coupons (id),
    invite_coupon_id BIGINT NOT NULL REFERENCES coupons (id),
    friends_needed   INTEGER NOT NULL CHECK (friends_needed > 0),
    starts_at        DATETIME NOT NULL,
    ends_at          DATETIME NOT NULL,
    stopped_at       DATETIME,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);

CREATE TABLE unlock_shares (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    token            TEXT NOT NULL UNIQUE,
    campaign_id      BIGINT NOT NULL REFERENCES unlock_campaigns (id),
    sharer_id        BIGINT NOT NULL REFERENCES shoppers (id),
    claimed          INTEGER NOT NULL DEFAULT 0 CHECK (claimed >= 0),
    rewarded_held_id BIGINT REFERENCES shopper_coupons (id),
    rewarded_at      DATETIME,
    created_at       DATETIME NOT NULL,
    UNIQUE (campaign_id, sharer_id)
);

CREATE TABLE unlock_claims (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    share_id   BIGINT NOT NULL REFERENCES unlock_shares (id),
    friend_id  BIGINT NOT NULL REFERENCES shoppers (id),
    held_id    BIGINT NOT NULL REFERENCES shopper_coupons (id),
    friend_name   TEXT NOT NULL DEFAULT '',
    friend_avatar TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    UNIQUE (share_id, friend_id)
);

-- +goose Down
DROP TABLE unlock_claims;
DROP TABLE unlock_shares;
DROP TABLE unlock_campaigns;
DROP TABLE coupon_shares;
ALTER TABLE coupons DROP COLUMN giftable;
