-- +goose Up
-- CSV imports of products, SKUs and stock from the console. The uploaded
-- file (as UTF-8 text) is kept on the row so that the background job can run
-- it, and run it again after a crash; the row also carries the job's state
-- (queued → running → succeeded | rejected | failed), its progress, what the
-- check on upload found the file would change, and every problem found.
-- A running job holds a lease: the import sweep hands a job whose lease ran
-- out (its process died) to another worker; attempts counts the runs.
CREATE TABLE import_jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name      TEXT NOT NULL,
    content        TEXT NOT NULL,
    actor          TEXT NOT NULL,
    status         TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    lease_until    DATETIME,
    total_rows     INTEGER NOT NULL DEFAULT 0,
    done_rows      INTEGER NOT NULL DEFAULT 0,
    new_categories INTEGER NOT NULL DEFAULT 0,
    new_products   INTEGER NOT NULL DEFAULT 0,
    new_skus       INTEGER NOT NULL DEFAULT 0,
    updated_skus   INTEGER NOT NULL DEFAULT 0,
    unchanged_skus INTEGER NOT NULL DEFAULT 0,
    problems       TEXT NOT NULL DEFAULT '[]',
    error          TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    started_at     DATETIME,
    finished_at    DATETIME,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX import_jobs_due ON import_jobs (status, lease_until);

-- +goose Down
DROP TABLE import_jobs;
