-- +goose Up
-- The sandbox's content check (msg_sec_check) finds a user's last wx.login
-- by openid, to answer 61010 after two hours without a visit as WeChat does.
CREATE INDEX sandbox_login_codes_openid ON sandbox_login_codes (openid, expires_at);

-- +goose Down
DROP INDEX sandbox_login_codes_openid;
