-- +goose Up
-- After-sale requests. type is 'refund_only' (money back, goods kept or
-- never sent) or 'return_refund' (goods sent back first: pending → approved
-- → returning (the shopper's waybill) → received → refunded). items are the
-- order lines and quantities asked for, each with the fen it refunds
-- (JSON); photos the shopper's uploaded URLs (JSON); restock the units the
-- merchant put back on sale on receipt (JSON).
ALTER TABLE refund_requests ADD COLUMN type TEXT NOT NULL DEFAULT 'refund_only';
ALTER TABLE refund_requests ADD COLUMN items TEXT NOT NULL DEFAULT '[]';
ALTER TABLE refund_requests ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
ALTER TABLE refund_requests ADD COLUMN return_carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE refund_requests ADD COLUMN return_tracking_no TEXT NOT NULL DEFAULT '';
ALTER TABLE refund_requests ADD COLUMN returned_at DATETIME;
ALTER TABLE refund_requests ADD COLUMN received_at DATETIME;
ALTER TABLE refund_requests ADD COLUMN received_by TEXT NOT NULL DEFAULT '';
ALTER TABLE refund_requests ADD COLUMN restock TEXT NOT NULL DEFAULT '[]';
ALTER TABLE refund_requests ADD COLUMN updated_at DATETIME;

-- A shopper's requests, newest first (GET /api/v1/me/refund-requests).
CREATE INDEX refund_requests_shopper ON refund_requests (shopper_id, id);

-- Where shoppers send returned goods.
ALTER TABLE shop_settings ADD COLUMN return_name TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN return_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE shop_settings ADD COLUMN return_address TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE shop_settings DROP COLUMN return_address;
ALTER TABLE shop_settings DROP COLUMN return_phone;
ALTER TABLE shop_settings DROP COLUMN return_name;
DROP INDEX refund_requests_shopper;
ALTER TABLE refund_requests DROP COLUMN updated_at;
ALTER TABLE refund_requests DROP COLUMN restock;
ALTER TABLE refund_requests DROP COLUMN received_by;
ALTER TABLE refund_requests DROP COLUMN received_at;
ALTER TABLE refund_requests DROP COLUMN returned_at;
ALTER TABLE refund_requests DROP COLUMN return_tracking_no;
ALTER TABLE refund_requests DROP COLUMN return_carrier;
ALTER TABLE refund_requests DROP COLUMN photos;
ALTER TABLE refund_requests DROP COLUMN items;
ALTER TABLE refund_requests DROP COLUMN type;
