-- +goose Up
-- A refund of an order paid partly (or wholly) with the gift-card balance
-- gives its balance part back to the balance: gift_card_amount is that part
-- of amount (its exact proportional share of what was left to refund,
-- payment.openRefund), amount − gift_card_amount is what WeChat Pay refunds.
ALTER TABLE refunds ADD COLUMN gift_card_amount BIGINT NOT NULL DEFAULT 0 CHECK (gift_card_amount >= 0);

-- +goose Down
ALTER TABLE refunds DROP COLUMN gift_card_amount;
