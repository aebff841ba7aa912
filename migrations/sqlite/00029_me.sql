-- +goose Up
-- What a shopper tells the shop about themselves on the "me" page: an avatar
-- (an image they uploaded, by URL) and the phone number WeChat's
-- getPhoneNumber vouched for (personal data: shown masked).
ALTER TABLE shoppers ADD COLUMN avatar_url TEXT NOT NULL DEFAULT '';
ALTER TABLE shoppers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE shoppers ADD COLUMN phone_country_code TEXT NOT NULL DEFAULT '';

-- A shopper's favourite products, one row per product; the id orders them
-- latest first and is the list's cursor.
CREATE TABLE favorites (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id BIGINT NOT NULL REFERENCES shoppers (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    created_at DATETIME NOT NULL,
    UNIQUE (shopper_id, product_id)
);
CREATE INDEX favorites_shopper ON favorites (shopper_id, id);

-- Products a logged-in shopper viewed: one row per product per day (the
-- shop's day, Beijing time, as YYYY-MM-DD), viewed_at the latest view that
-- day. Rows older than 90 days are deleted by a periodic job.
CREATE TABLE footprints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id BIGINT NOT NULL REFERENCES shoppers (id),
    product_id BIGINT NOT NULL REFERENCES products (id),
    day        TEXT NOT NULL,
    viewed_at  DATETIME NOT NULL,
    UNIQUE (shopper_id, product_id, day)
);
CREATE INDEX footprints_shopper ON footprints (shopper_id, viewed_at, id);
CREATE INDEX footprints_age ON footprints (viewed_at);

-- +goose Down
DROP TABLE footprints;
DROP TABLE favorites;
ALTER TABLE shoppers DROP COLUMN phone_country_code;
ALTER TABLE shoppers DROP COLUMN phone;
ALTER TABLE shoppers DROP COLUMN avatar_url;
