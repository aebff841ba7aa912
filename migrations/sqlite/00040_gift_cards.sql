-- +goose Up
-- Gift cards (礼品卡, issue 17 §3). An order gains a kind: 'goods' (every
-- order so far) or 'gift_card', an order with no lines that nothing ships
-- and that holds no stock. The cards a gift-card order buys are written
-- only when it is paid, in the transaction that applies the payment
-- (gift_card_purchases keeps what was asked for until then, with the face
-- value of the moment, as the price is the order's), one row per
-- card numbered 1..quantity within its order, so a replayed notification
-- finds them there and adds none.
ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'goods';
-- What a goods order takes from the shopper's gift-card balance (held at
-- placement, spent when paid, released when it closes unpaid); pay_amount
-- is what is left for WeChat Pay, 0 when the balance covers everything.
ALTER TABLE orders ADD COLUMN gift_card_amount BIGINT NOT NULL DEFAULT 0 CHECK (gift_card_amount >= 0);

CREATE TABLE gift_card_designs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    face_value  BIGINT NOT NULL CHECK (face_value > 0),
    price       BIGINT NOT NULL CHECK (price > 0),
    cover       TEXT NOT NULL DEFAULT '',
    theme       TEXT NOT NULL DEFAULT '',
    valid_days  INTEGER NOT NULL CHECK (valid_days > 0),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE gift_card_purchases (
    order_id    BIGINT PRIMARY KEY REFERENCES orders (id),
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    design_id   BIGINT NOT NULL REFERENCES gift_card_designs (id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    face_value  BIGINT NOT NULL CHECK (face_value > 0),
    message     TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

-- status: unsent | sending (a share token is out) | claimed (its value joined
-- the claimer's balance) | refunded (its price went back to WeChat Pay).
CREATE TABLE gift_cards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    seq         INTEGER NOT NULL,
    design_id   BIGINT NOT NULL REFERENCES gift_card_designs (id),
    buyer_id    BIGINT NOT NULL REFERENCES shoppers (id),
    face_value  BIGINT NOT NULL CHECK (face_value > 0),
    price       BIGINT NOT NULL CHECK (price > 0),
    status      TEXT NOT NULL,
    message     TEXT NOT NULL DEFAULT '',
    share_token TEXT UNIQUE,
    receiver_id BIGINT REFERENCES shoppers (id),
    expires_at  DATETIME NOT NULL,
    created_at  DATETIME NOT NULL,
    sent_at     DATETIME,
    claimed_at  DATETIME,
    UNIQUE (order_id, seq)
);
CREATE INDEX gift_cards_buyer ON gift_cards (buyer_id, id);
CREATE INDEX gift_cards_receiver ON gift_cards (receiver_id, id);

-- The balance ledger: append-only entries, each naming its card or order;
-- gift_card_balances keeps their sum per shopper, moved by guarded updates
-- in the entry's transaction, never below zero.
CREATE TABLE gift_card_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    kind        TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    card_id     BIGINT REFERENCES gift_cards (id),
    order_id    BIGINT REFERENCES orders (id),
    created_at  DATETIME NOT NULL
);
CREATE INDEX gift_card_entries_shopper ON gift_card_entries (shopper_id, id);

CREATE TABLE gift_card_balances (
    shopper_id  BIGINT PRIMARY KEY REFERENCES shoppers (id),
    balance     BIGINT NOT NULL CHECK (balance >= 0),
    updated_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE gift_card_balances;
DROP TABLE gift_card_entries;
DROP TABLE gift_cards;
DROP TABLE gift_card_purchases;
DROP TABLE gift_card_designs;
ALTER TABLE orders DROP COLUMN gift_card_amount;
ALTER TABLE orders DROP COLUMN kind;
