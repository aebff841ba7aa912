-- +goose Up
-- Mini-program codes WeChat drew, kept so each (scene, width) is asked for
-- once: getwxacodeunlimit is rate-limited (about 5,000 a minute for the
-- whole mini program) and a scene key's code never changes. Kept in the
-- database, not on one replica's disk, so every replica serves it.
CREATE TABLE share_codes (
    scene_key  TEXT NOT NULL,
    width      INTEGER NOT NULL,
    png        BLOB NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (scene_key, width)
);

-- +goose Down
DROP TABLE share_codes;
