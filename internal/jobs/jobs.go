// Package jobs runs Kaidian's durable background work on River, over the same
// database as everything else: jobs survive restarts, and with several
// replicas on one PostgreSQL each job runs on one of them, and periodic jobs
// are enqueued only by the elected leader.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/kaidian/kaidian/internal/database"
)

// Runner starts and stops the job workers and enqueues jobs.
type Runner struct {
	queue *Queue
	start func(ctx context.Context) error
	stop  func(ctx context.Context) error
}

// Config is what the workers need from the app.
type Config struct {
	// Queue is where the services enqueue; New attaches the client to it.
	Queue    *Queue
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	Log      *slog.Logger
}

// Queue is where jobs are enqueued. It exists before the River client, to
// break a cycle: river.NewClient reads the filled Workers bundle, the
// workers hold the services, and the services enqueue. So the app makes the
// Queue first and passes it (or schedulers over it) to the services'
// constructors, registers the workers, and New attaches the one working
// client to the Queue before anything is served. A separate insert-only
// client made up front would need no attaching, but River starts a job
// inserted through the client that works it at once, while one inserted
// elsewhere waits for the next poll (200ms on SQLite, which has no NOTIFY).
type Queue struct {
	insert atomic.Pointer[insertFunc]
}

type insertFunc func(ctx context.Context, params []river.InsertManyParams) error

// ErrNoClient is what Enqueue answers before New has attached a River client.
var ErrNoClient = errors.New("jobs: queue has no River client yet")

// NewQueue returns a queue with no client yet; New attaches one.
func NewQueue() *Queue { return &Queue{} }

// Enqueue inserts jobs; unique jobs already waiting are skipped by River.
func (q *Queue) Enqueue(ctx context.Context, params ...river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	insert := q.insert.Load()
	if insert == nil {
		return ErrNoClient
	}
	return (*insert)(ctx, params)
}

// New builds a River client on the database's own pool and attaches it to
// cfg.Queue, which must not have one yet. River's client type is generic
// over the driver's transaction type, so the two engines each get their own
// client behind the same three functions.
func New(db *database.DB, cfg Config) (*Runner, error) {
	if cfg.Queue == nil || cfg.Queue.insert.Load() != nil {
		return nil, errors.New("jobs: New needs a queue of its own")
	}
	rc := &river.Config{
		Logger:       slog.New(quiet{cfg.Log.Handler()}),
		Workers:      cfg.Workers,
		PeriodicJobs: cfg.Periodic,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 8}},
		// Finished jobs are kept a day for inspection, then pruned.
		CompletedJobRetentionPeriod: 24 * time.Hour,
		JobTimeout:                  time.Minute,
		// A job whose process was killed stays "running" until rescued, and
		// a running order.expire blocks its unique successor: River's default
		// of an hour would leave such an order's stock reserved that long.
		// Every worker is idempotent, so rescue soon after the longest job
		// timeout (the catalog import's 10 minutes).
		RescueStuckJobsAfter: 15 * time.Minute,
	}
	if db.Dialect == database.Postgres {
		c, err := river.NewClient(riverpgxv5.New(db.PgxPool()), rc)
		return runner(cfg.Queue, c, err)
	}
	// SQLite has no LISTEN/NOTIFY: River polls, so poll often enough that a
	// freshly enqueued job starts promptly.
	rc.FetchPollInterval = 200 * time.Millisecond
	rc.FetchCooldown = 50 * time.Millisecond
	c, err := river.NewClient(riversqlite.New(db.SQL()), rc)
	return runner(cfg.Queue, c, err)
}

// runner wraps either engine's client in the same three functions and
// attaches its inserts to q. CompareAndSwap keeps a second client off a
// queue that raced New's check.
func runner[TTx any](q *Queue, c *river.Client[TTx], err error) (*Runner, error) {
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	insert := insertFunc(func(ctx context.Context, p []river.InsertManyParams) error {
		_, err := c.InsertMany(ctx, p)
		return err
	})
	if !q.insert.CompareAndSwap(nil, &insert) {
		return nil, errors.New("jobs: New needs a queue of its own")
	}
	return &Runner{queue: q, start: c.Start, stop: c.Stop}, nil
}

// Start begins working jobs until Stop.
func (r *Runner) Start(ctx context.Context) error { return r.start(ctx) }

// Stop lets running jobs finish (within ctx) and stops fetching new ones.
func (r *Runner) Stop(ctx context.Context) error { return r.stop(ctx) }

// Enqueue inserts jobs through the runner's queue.
func (r *Runner) Enqueue(ctx context.Context, params ...river.InsertManyParams) error {
	return r.queue.Enqueue(ctx, params...)
}

// quiet passes River's warnings and errors on but drops its routine info
// lines (it reports job counts every few seconds).
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && q.Handler.Enabled(ctx, l)
}

func (q quiet) WithAttrs(as []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(as)} }

func (q quiet) WithGroup(name string) slog.Handler { return quiet{q.Handler.WithGroup(name)} }
