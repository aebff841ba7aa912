-- +goose Up
-- An account whose password Kaidian generated (the first owner) must choose
-- its own at its first sign-in, before the console does anything else: the
-- generated one was shown on a terminal or written to a file.
ALTER TABLE staff_accounts ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE staff_accounts DROP COLUMN must_change_password;
