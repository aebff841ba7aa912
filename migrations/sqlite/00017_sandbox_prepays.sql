-- +goose Up
-- Every prepay_id the WeChat Pay sandbox handed out. WeChat gives a new
-- prepay_id each time an unpaid order is prepaid again, and the earlier ones
-- stay payable until their own two hours are up, so an order has several.
-- Existing orders keep their current prepay_id, issued when last updated.
CREATE TABLE sandbox_prepays (
    prepay_id    TEXT PRIMARY KEY,
    out_trade_no TEXT NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX sandbox_prepays_trade ON sandbox_prepays (out_trade_no);
INSERT INTO sandbox_prepays (prepay_id, out_trade_no, created_at)
    SELECT prepay_id, out_trade_no, updated_at FROM sandbox_pay_orders;

-- +goose Down
DROP TABLE sandbox_prepays;
