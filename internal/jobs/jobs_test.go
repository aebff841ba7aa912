package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/jobs"
)

type pingArgs struct{ N int }

func (pingArgs) Kind() string { return "test.ping" }

// pingWorker reports each job it works on a channel.
type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	got chan int
}

func (w *pingWorker) Work(_ context.Context, j *river.Job[pingArgs]) error {
	w.got <- j.Args.N
	return nil
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// A queue handed to services before the River client exists refuses jobs
// instead of dropping them silently, so the services' schedulers log it and
// their sweeps pick the work up.
func TestQueueWithoutClientRefuses(t *testing.T) {
	q := jobs.NewQueue()
	err := q.Enqueue(context.Background(), river.InsertManyParams{Args: pingArgs{N: 1}})
	if !errors.Is(err, jobs.ErrNoClient) {
		t.Fatalf("Enqueue before New = %v, want ErrNoClient", err)
	}
	if err := q.Enqueue(context.Background()); err != nil {
		t.Fatalf("Enqueue of nothing = %v, want nil", err)
	}
}

// The queue made first carries jobs to the workers registered afterwards
// once New has attached the client: the wiring order the app relies on.
func TestQueueMadeFirstReachesWorkers(t *testing.T) {
	db := dbtest.Open(t)
	q := jobs.NewQueue()
	w := &pingWorker{got: make(chan int, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	r, err := jobs.New(db, jobs.Config{Queue: q, Workers: workers, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Stop(context.WithoutCancel(ctx)); err != nil {
			t.Error(err)
		}
	})
	if err := q.Enqueue(ctx, river.InsertManyParams{Args: pingArgs{N: 7}}); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-w.got:
		if n != 7 {
			t.Fatalf("worked job %d, want 7", n)
		}
	case <-ctx.Done():
		t.Fatal("the job enqueued on the queue was never worked")
	}
}

// A queue belongs to one client: a second New on it (or New without one)
// fails rather than leaving the services enqueueing into one of two clients.
func TestNewNeedsAQueueOfItsOwn(t *testing.T) {
	db := dbtest.Open(t)
	workers := river.NewWorkers()
	river.AddWorker(workers, &pingWorker{got: make(chan int, 1)})
	if _, err := jobs.New(db, jobs.Config{Workers: workers, Log: quietLog()}); err == nil {
		t.Fatal("New without a queue succeeded")
	}
	q := jobs.NewQueue()
	if _, err := jobs.New(db, jobs.Config{Queue: q, Workers: workers, Log: quietLog()}); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.New(db, jobs.Config{Queue: q, Workers: workers, Log: quietLog()}); err == nil {
		t.Fatal("a second New on the same queue succeeded")
	}
}
