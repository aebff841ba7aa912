-- +goose Up
-- Search and sort (issue 15). sales is units sold (paid, minus units
-- refunded back to stock): the sum of the product's skus.sold, copied here
-- by the catalog's sales sweep so that checkout writes nothing more and the
-- "best sellers" sort walks an index. search_text is the title normalised
-- as the catalog's SearchText does it (NFKC, lower case), written with the
-- title; SQLite's LOWER folds ASCII only, a start that the catalog's hourly
-- pass replaces with the real normalisation. SQLite matches it with LIKE
-- over the table (a shop's few thousand titles); PostgreSQL has a trigram
-- index.
ALTER TABLE products ADD COLUMN sales BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE products SET search_text = LOWER(title),
    sales = COALESCE((SELECT SUM(sold) FROM skus WHERE skus.product_id = products.id), 0);
-- Each sort of the shopper's list walks its own index, on-shelf rows only.
CREATE INDEX products_by_sales ON products (sales DESC, id DESC) WHERE on_shelf = TRUE;
CREATE INDEX products_by_price ON products (min_price, id) WHERE on_shelf = TRUE;

-- Words the merchant pins to the top of the hot searches, in position order.
CREATE TABLE search_pins (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    word       TEXT NOT NULL,
    norm       TEXT NOT NULL UNIQUE,
    position   INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);

-- Searches counted per normalised word per day (China time, "2026-12-06"): a
-- replica adds its batch of counts in one statement every few seconds.
-- word is the spelling last seen, for display.
CREATE TABLE search_counts (
    day      TEXT NOT NULL,
    norm     TEXT NOT NULL,
    word     TEXT NOT NULL,
    searches BIGINT NOT NULL,
    PRIMARY KEY (day, norm)
);

-- A logged-in shopper's recent distinct searches (the newest few kept).
CREATE TABLE search_history (
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    norm        TEXT NOT NULL,
    word        TEXT NOT NULL,
    searched_at DATETIME NOT NULL,
    PRIMARY KEY (shopper_id, norm)
);
CREATE INDEX search_history_recent ON search_history (shopper_id, searched_at DESC);

-- +goose Down
DROP TABLE search_history;
DROP TABLE search_counts;
DROP TABLE search_pins;
DROP INDEX products_by_price;
DROP INDEX products_by_sales;
ALTER TABLE products DROP COLUMN search_text;
ALTER TABLE products DROP COLUMN sales;
