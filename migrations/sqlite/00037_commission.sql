-- +goose Up
-- Promoters: how a shopper's application reads (the merchant sees it when
-- approving), and the invite code a KOL invited without an account opens in
-- the mini program to attach theirs (NULL once used, or never issued).
ALTER TABLE promoters ADD COLUMN invite_code TEXT;
CREATE UNIQUE INDEX promoters_invite ON promoters (invite_code);
CREATE INDEX promoters_status ON promoters (status, id);

-- Commission overrides of a promoter's own rate: for every promoter
-- (promoter_id NULL) or one, per category or per product. The most specific
-- wins (internal/commission/rule.go): campaign > product > category >
-- the promoter's rate; at one level a promoter's own rule beats the shop's.
CREATE TABLE commission_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope       TEXT NOT NULL,            -- 'category' | 'product'
    target_id   BIGINT NOT NULL,          -- the category or product
    promoter_id BIGINT REFERENCES promoters (id),
    rate_bp     INTEGER NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX commission_rules_target ON commission_rules (scope, target_id, COALESCE(promoter_id, 0));

-- Campaigns: a time window with its own rate, for orders placed within it,
-- optionally only for some products or categories (JSON arrays of ids; both
-- empty means every product).
CREATE TABLE commission_campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    rate_bp      INTEGER NOT NULL,
    starts_at    DATETIME NOT NULL,
    ends_at      DATETIME NOT NULL,
    product_ids  TEXT NOT NULL DEFAULT '[]',
    category_ids TEXT NOT NULL DEFAULT '[]',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX commission_campaigns_window ON commission_campaigns (ends_at);

-- Payout batches: settled balances the merchant pays outside Kaidian and
-- marks paid with the transfer's reference.
CREATE TABLE payout_batches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    status     TEXT NOT NULL,             -- 'open' | 'paid' | 'cancelled'
    cutoff     DATETIME NOT NULL,      -- settled entries up to this time
    total      BIGINT NOT NULL,
    reference  TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    paid_by    TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    paid_at    DATETIME
);

-- One line per promoter of a batch. is_open is true while the batch is:
-- the partial unique index lets a promoter's settled balance be in one
-- open batch at a time, whatever races to create batches.
CREATE TABLE payout_lines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT NOT NULL REFERENCES payout_batches (id),
    promoter_id BIGINT NOT NULL REFERENCES promoters (id),
    amount      BIGINT NOT NULL,
    is_open     BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX payout_lines_open ON payout_lines (promoter_id) WHERE is_open;
CREATE INDEX payout_lines_batch ON payout_lines (batch_id);

-- The commission ledger, append-only: a promoter's balance in a state
-- (pending, settled, paid) is the sum of that state's entries. Kinds:
-- commission (+pending, an order line paid), reversal (−pending, a refund
-- before settlement), settlement (−pending and +settled, the after-sale
-- window over), clawback (−settled, a refund after settlement), payout
-- (−settled and +paid, a batch marked paid). Each names what caused it.
CREATE TABLE commission_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    promoter_id   BIGINT NOT NULL REFERENCES promoters (id),
    state         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    order_id      BIGINT REFERENCES orders (id),
    order_item_id BIGINT REFERENCES order_items (id),
    refund_id     BIGINT REFERENCES refunds (id),
    payout_id     BIGINT REFERENCES payout_batches (id),
    base          BIGINT NOT NULL DEFAULT 0, -- fen the line's commission is computed on
    rate_bp       INTEGER NOT NULL DEFAULT 0,
    rule          TEXT NOT NULL DEFAULT '',  -- which rule set the rate: promoter, category:3, product:9, campaign:2
    created_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX commission_entries_credit ON commission_entries (order_item_id) WHERE kind = 'commission';
CREATE INDEX commission_entries_promoter ON commission_entries (promoter_id, id);
CREATE INDEX commission_entries_order ON commission_entries (order_id);
CREATE INDEX commission_entries_pending ON commission_entries (order_id) WHERE state = 'pending';

-- Days after an order completes before its commission settles: the
-- after-sale window, within which a refund reverses it instead.
ALTER TABLE shop_settings ADD COLUMN commission_settle_days INTEGER NOT NULL DEFAULT 7;

-- +goose Down
ALTER TABLE shop_settings DROP COLUMN commission_settle_days;
DROP TABLE commission_entries;
DROP TABLE payout_lines;
DROP TABLE payout_batches;
DROP TABLE commission_campaigns;
DROP TABLE commission_rules;
DROP INDEX promoters_status;
DROP INDEX promoters_invite;
ALTER TABLE promoters DROP COLUMN invite_code;
