-- +goose Up
-- The console's product list filters by shelf state and by low stock on
-- shops of thousands of products; each filter walks its own index in the
-- list's order (newest first) instead of reading every product.
CREATE INDEX products_shelf ON products (on_shelf, id);
-- Only SKUs on sale count as running low (the dashboard's rule too).
CREATE INDEX skus_low_stock ON skus (stock, product_id) WHERE on_sale;

-- +goose Down
DROP INDEX skus_low_stock;
DROP INDEX products_shelf;
