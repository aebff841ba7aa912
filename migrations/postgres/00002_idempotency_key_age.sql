-- +goose Up
-- Keys older than a day are pruned hourly; the index keeps that a range scan.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP INDEX idempotency_keys_created;
