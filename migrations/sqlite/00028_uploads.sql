-- +goose Up
-- Images shoppers uploaded (POST /api/v1/uploads), re-encoded and stored
-- under DataDir/uploads as name. Kept per shopper so that a review, a
-- return or an avatar can name only its own shopper's photos.
CREATE TABLE uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shopper_id BIGINT NOT NULL REFERENCES shoppers (id),
    name       TEXT NOT NULL UNIQUE,
    bytes      BIGINT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);
-- A shopper's uploads of a day are counted against the daily limit.
CREATE INDEX uploads_shopper ON uploads (shopper_id, created_at);

-- +goose Down
DROP TABLE uploads;
