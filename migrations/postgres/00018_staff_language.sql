-- +goose Up
-- The console language each account chose ("zh-CN", "en"); empty means the
-- account has not chosen, and the browser's Accept-Language decides. The
-- staff service checks the value against the languages Kaidian speaks, so a
-- new language needs no migration.
ALTER TABLE staff_accounts ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE staff_accounts DROP COLUMN language;
