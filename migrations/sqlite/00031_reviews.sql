-- +goose Up
-- Reviews (评价): one per order line, written by the shopper after receipt.
-- status: 'unchecked' (WeChat's text check could not be reached; a job
-- checks it again), 'pending' (held for the merchant), 'visible', 'hidden'
-- (by the merchant) or 'rejected' (the late check found it risky). Only
-- visible reviews are shown and counted. grade is 1 for good (4–5 stars), -1
-- for bad (1–2), 0 for 3, so each filter of the product page is an index
-- range. shopper_name is the nickname masked when the review was written
-- ("张**"), so no read needs the shoppers table and no openid can leak.
-- The follow-up (追评) lives on the same row with its own status ('' = none).
CREATE TABLE reviews (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id           BIGINT NOT NULL REFERENCES orders (id),
    order_item_id      BIGINT NOT NULL UNIQUE REFERENCES order_items (id),
    product_id         BIGINT NOT NULL,
    sku_id             BIGINT NOT NULL,
    title              TEXT NOT NULL,
    sku_text           TEXT NOT NULL,
    shopper_id         BIGINT NOT NULL REFERENCES shoppers (id),
    shopper_name       TEXT NOT NULL,
    anonymous          BOOLEAN NOT NULL,
    rating             SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    grade              SMALLINT NOT NULL CHECK (grade BETWEEN -1 AND 1),
    content            TEXT NOT NULL,
    photos             TEXT NOT NULL,
    has_photos         BOOLEAN NOT NULL,
    status             TEXT NOT NULL,
    check_label        INTEGER NOT NULL DEFAULT 0,
    follow_up_content  TEXT NOT NULL DEFAULT '',
    follow_up_photos   TEXT NOT NULL DEFAULT '[]',
    follow_up_status   TEXT NOT NULL DEFAULT '',
    follow_up_at       DATETIME,
    reply_content      TEXT NOT NULL DEFAULT '',
    reply_by           TEXT NOT NULL DEFAULT '',
    replied_at         DATETIME,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
-- The product page's filters, latest first, over visible reviews only.
CREATE INDEX reviews_product_visible ON reviews (product_id, id) WHERE status = 'visible';
CREATE INDEX reviews_product_photos ON reviews (product_id, id) WHERE status = 'visible' AND has_photos = TRUE;
CREATE INDEX reviews_product_grade ON reviews (product_id, grade, id) WHERE status = 'visible';
-- The console's list (by status) and the re-check sweep.
CREATE INDEX reviews_status ON reviews (status, id);
CREATE INDEX reviews_follow_up_status ON reviews (follow_up_status, id) WHERE follow_up_status IN ('unchecked', 'pending');
CREATE INDEX reviews_order ON reviews (order_id);

-- Per-product aggregates of the visible reviews, changed in the same
-- transaction as the review that changes them, so the summary is one row.
CREATE TABLE review_stats (
    product_id   BIGINT PRIMARY KEY,
    review_count BIGINT NOT NULL DEFAULT 0 CHECK (review_count >= 0),
    rating_sum   BIGINT NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    good_count   BIGINT NOT NULL DEFAULT 0 CHECK (good_count >= 0),
    bad_count    BIGINT NOT NULL DEFAULT 0 CHECK (bad_count >= 0),
    photo_count  BIGINT NOT NULL DEFAULT 0 CHECK (photo_count >= 0)
);

-- +goose Down
DROP TABLE review_stats;
DROP TABLE reviews;
