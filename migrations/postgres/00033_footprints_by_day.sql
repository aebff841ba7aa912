-- +goose Up
-- Footprints are listed by the shopper's day, then by time within it, from
-- (shopper_id, day); old ones are pruned by day along the primary key. No
-- index holds viewed_at any more, so a product viewed again the same day
-- changes no index: on PostgreSQL the row is updated in place.
DROP INDEX footprints_age;
DROP INDEX footprints_shopper;
CREATE INDEX footprints_shopper_day ON footprints (shopper_id, day);
-- Room on each page for the new version of a row whose viewed_at moves,
-- so the update stays on its page (HOT) instead of moving the row.
ALTER TABLE footprints SET (fillfactor = 80);

-- +goose Down
ALTER TABLE footprints RESET (fillfactor);
DROP INDEX footprints_shopper_day;
CREATE INDEX footprints_shopper ON footprints (shopper_id, viewed_at, id);
CREATE INDEX footprints_age ON footprints (viewed_at);
