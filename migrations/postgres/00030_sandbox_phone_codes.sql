-- +goose Up
-- The sandbox's getPhoneNumber codes: what the phone's button hands the mini
-- program, exchanged once, within five minutes, through getuserphonenumber.
CREATE TABLE sandbox_phone_codes (
    code         TEXT PRIMARY KEY,
    openid       TEXT NOT NULL,
    phone        TEXT NOT NULL,
    country_code TEXT NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX sandbox_phone_codes_expiry ON sandbox_phone_codes (expires_at);

-- +goose Down
DROP TABLE sandbox_phone_codes;
