-- +goose Up
-- A parcel's progress. track_state is 'in_transit' from shipping until the
-- courier reports it signed for ('delivered'); while in transit and the shop
-- uses WeChat's logistics tracking, the tracking sweep asks WeChat for the
-- path again once next_track_at has passed.
ALTER TABLE shipments ADD COLUMN track_state TEXT NOT NULL DEFAULT 'in_transit';
ALTER TABLE shipments ADD COLUMN next_track_at DATETIME;
ALTER TABLE shipments ADD COLUMN tracked_at DATETIME;
ALTER TABLE shipments ADD COLUMN track_error TEXT NOT NULL DEFAULT '';
CREATE INDEX shipments_track_due ON shipments (next_track_at) WHERE track_state = 'in_transit';

-- What happened to a parcel, newest shown first: entered by the merchant
-- (source 'merchant') or read from WeChat's logistics path ('wechat', with
-- WeChat's action_type as kind; these are replaced as a whole on each read).
CREATE TABLE shipment_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    shipment_id BIGINT NOT NULL REFERENCES shipments (id),
    at          DATETIME NOT NULL,
    text        TEXT NOT NULL,
    source      TEXT NOT NULL,
    kind        INTEGER NOT NULL DEFAULT 0,
    actor       TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX shipment_events_shipment ON shipment_events (shipment_id, at);

-- Shipped orders the shopper never confirmed complete this many days after
-- shipping; wechat_tracking says whether parcels are followed through
-- WeChat's logistics tracking or only through what the merchant enters.
ALTER TABLE shop_settings ADD COLUMN auto_complete_days INTEGER NOT NULL DEFAULT 10;
ALTER TABLE shop_settings ADD COLUMN wechat_tracking BOOLEAN NOT NULL DEFAULT FALSE;

-- The auto-complete sweep finds shipped orders by the time they shipped.
CREATE INDEX orders_shipped ON orders (shipped_at) WHERE status = 'shipped';

-- The sandbox's courier paths (logistics path/get), fed by
-- POST /sandbox/wx/express/path as a courier would.
CREATE TABLE sandbox_express_paths (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL,
    waybill_id  TEXT NOT NULL,
    action_time BIGINT NOT NULL,
    action_type INTEGER NOT NULL,
    action_msg  TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX sandbox_express_paths_waybill ON sandbox_express_paths (delivery_id, waybill_id, action_time);

-- +goose Down
DROP TABLE sandbox_express_paths;
DROP INDEX orders_shipped;
ALTER TABLE shop_settings DROP COLUMN wechat_tracking;
ALTER TABLE shop_settings DROP COLUMN auto_complete_days;
DROP TABLE shipment_events;
DROP INDEX shipments_track_due;
ALTER TABLE shipments DROP COLUMN track_error;
ALTER TABLE shipments DROP COLUMN tracked_at;
ALTER TABLE shipments DROP COLUMN next_track_at;
ALTER TABLE shipments DROP COLUMN track_state;
