package catalogio

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Status is where an import stands.
type Status string

// Import states: queued → running → succeeded | rejected (a row has a
// problem; nothing written) | failed (stopped while writing, see Job.Error).
const (
	StatusQueued    Status = "queued"
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusRejected  Status = "rejected"
	StatusFailed    Status = "failed"
)

// Job is one import: its file, state, progress and outcome.
type Job struct {
	ID            int64                    `gorm:"column:id;primaryKey"`
	FileName      string                   `gorm:"column:file_name"`
	Content       string                   `gorm:"column:content"` // the file as UTF-8; read only to run it
	Actor         string                   `gorm:"column:actor"`
	Status        Status                   `gorm:"column:status"`
	Attempts      int                      `gorm:"column:attempts"`
	LeaseUntil    *time.Time               `gorm:"column:lease_until"`
	TotalRows     int                      `gorm:"column:total_rows"`
	DoneRows      int                      `gorm:"column:done_rows"`
	NewCategories int                      `gorm:"column:new_categories"`
	NewProducts   int                      `gorm:"column:new_products"`
	NewSKUs       int                      `gorm:"column:new_skus"`
	UpdatedSKUs   int                      `gorm:"column:updated_skus"`
	UnchangedSKUs int                      `gorm:"column:unchanged_skus"`
	Problems      database.JSON[[]Problem] `gorm:"column:problems"`
	Error         string                   `gorm:"column:error"` // why an import failed, in English; only jobs from before Stopped
	CreatedAt     time.Time                `gorm:"column:created_at"`
	StartedAt     *time.Time               `gorm:"column:started_at"`
	FinishedAt    *time.Time               `gorm:"column:finished_at"`
	UpdatedAt     time.Time                `gorm:"column:updated_at"`
}

// TableName maps Job to its table.
func (Job) TableName() string { return "import_jobs" }

// Finished reports whether the job has come to an end.
func (j Job) Finished() bool {
	return j.Status == StatusSucceeded || j.Status == StatusRejected || j.Status == StatusFailed
}

// Stopped is the problem that stopped a failed import: the row the catalog
// refused while it wrote (it changed under the import), or, on no line,
// the import given up after failing again and again; nil for any other job,
// and for one that failed before its problem was kept this way (see Error).
func (j Job) Stopped() *Problem {
	if j.Status != StatusFailed || len(j.Problems.V) == 0 {
		return nil
	}
	return &j.Problems.V[0]
}

// Listed are the problems to list line by line: all of them, but for a
// failed import given up as a whole (its one problem is on no line, and
// Stopped says it).
func (j Job) Listed() []Problem {
	if st := j.Stopped(); st != nil && st.Line == 0 {
		return nil
	}
	return j.Problems.V
}

// Percent is how far the write has come, 0 to 100.
func (j Job) Percent() int {
	if j.TotalRows == 0 {
		return 0
	}
	return j.DoneRows * 100 / j.TotalRows
}

// ErrImportNotFound is returned for an import id that names none.
var ErrImportNotFound = errs.NotFound("import_not_found", "catalogio.import_not_found")

// Timing of a run: a running job holds its lease, renewed by every batch;
// a lease that runs out means its process died, and the sweep hands the job
// to another worker. A job is run at most maxAttempts times.
const (
	leaseFor    = 2 * time.Minute
	queuedGrace = 30 * time.Second // a queued job is the sweep's once its own enqueue had time
	maxAttempts = 5
)

// StartImport checks an uploaded file and, when every row is good, stores
// it as a queued import job and hands it to the background jobs. A file
// with problems is not stored: every problem is returned (sorted by line)
// and nothing changes.
func (s *Service) StartImport(ctx context.Context, fileName string, content []byte, actor string) (Job, []Problem, error) {
	text, err := decode(content)
	if err != nil {
		return Job{}, []Problem{problem(0, "import.problem.not_text")}, nil
	}
	p, err := s.check(ctx, text)
	if err != nil {
		return Job{}, nil, fmt.Errorf("check import: %w", err)
	}
	if len(p.problems) > 0 {
		return Job{}, p.problems, nil
	}
	now := s.clock.Now()
	j := Job{FileName: cleanName(fileName), Content: text, Actor: actor, Status: StatusQueued,
		TotalRows: p.summary.Rows, NewCategories: p.summary.NewCategories, NewProducts: p.summary.NewProducts,
		NewSKUs: p.summary.NewSKUs, UpdatedSKUs: p.summary.UpdatedSKUs, UnchangedSKUs: p.summary.UnchangedSKUs,
		Problems: database.JSON[[]Problem]{V: []Problem{}}, CreatedAt: now, UpdatedAt: now}
	if err := s.db.Conn(ctx).Create(&j).Error; err != nil {
		return Job{}, nil, fmt.Errorf("store import: %w", err)
	}
	if s.schedule != nil {
		s.schedule(ctx, j.ID)
	}
	j.Content = ""
	return j, nil, nil
}

// cleanName keeps the base name of an uploaded file, short and on one
// line: it is shown in the console and written into the ledger's reasons.
func cleanName(name string) string {
	name = strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, path.Base(strings.ReplaceAll(name, `\`, "/")))
	if r := []rune(strings.TrimSpace(name)); len(r) > 80 {
		name = string(r[:80])
	}
	if name == "" || name == "." || name == "/" {
		return "upload.csv"
	}
	return name
}

// Import returns an import job, without its file.
func (s *Service) Import(ctx context.Context, id int64) (Job, error) {
	var js []Job
	if err := s.db.Conn(ctx).Omit("content").Where("id = ?", id).Limit(1).Find(&js).Error; err != nil {
		return Job{}, fmt.Errorf("import %d: %w", id, err)
	}
	if len(js) == 0 {
		return Job{}, ErrImportNotFound.With("import_id", id)
	}
	return js[0], nil
}

// RecentImports lists the latest imports, newest first, without their files.
func (s *Service) RecentImports(ctx context.Context, limit int) ([]Job, error) {
	var js []Job
	err := s.db.Conn(ctx).Omit("content").Order("id DESC").Limit(limit).Find(&js).Error
	return js, err
}

// Due is an import the sweep should hand to a worker, with the number of
// runs it has had.
type Due struct {
	ID       int64 `gorm:"column:id"`
	Attempts int   `gorm:"column:attempts"`
}

// DueImports lists imports the sweep should hand to a worker: queued ones
// whose own enqueue may have been lost, and running ones whose lease ran out.
func (s *Service) DueImports(ctx context.Context, limit int) ([]Due, error) {
	now := s.clock.Now()
	var due []Due
	err := s.db.Conn(ctx).Model(&Job{}).Select("id, attempts").
		Where("(status = ? AND updated_at <= ?) OR (status = ? AND lease_until < ?)",
			StatusQueued, now.Add(-queuedGrace), StatusRunning, now).
		Order("id").Limit(limit).Scan(&due).Error
	return due, err
}

// errLeaseLost stops a run whose lease another worker has taken over.
var errLeaseLost = errors.New("import lease lost")

// claim makes the job running under a new lease, if it is queued or its
// lease ran out, and returns it with its file; ok is false when the job is
// finished or another worker holds it. The attempt number it returns is
// the run's token: every later write of the run is guarded by it.
func (s *Service) claim(ctx context.Context, id int64) (Job, bool, error) {
	now := s.clock.Now()
	res := s.db.Conn(ctx).Model(&Job{}).
		Where("id = ? AND (status = ? OR (status = ? AND lease_until < ?))", id, StatusQueued, StatusRunning, now).
		Updates(map[string]any{"status": StatusRunning, "attempts": database.Expr("attempts + 1"),
			"lease_until": now.Add(leaseFor), "started_at": database.Expr("COALESCE(started_at, ?)", now),
			"done_rows": 0, "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return Job{}, false, res.Error
	}
	var j Job
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&j).Error; err != nil {
		return Job{}, false, err
	}
	return j, true, nil
}

// settle ends run j's attempt with the given changes, if the run still
// holds the job; lost reports that it did not.
func (s *Service) settle(ctx context.Context, j Job, changes map[string]any) error {
	changes["updated_at"] = s.clock.Now()
	res := s.db.Conn(ctx).Model(&Job{}).Where("id = ? AND attempts = ? AND status = ?", j.ID, j.Attempts, StatusRunning).
		Updates(changes)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errLeaseLost
	}
	return nil
}

// finish ends the job in a final state.
func (s *Service) finish(ctx context.Context, j Job, status Status, changes map[string]any) error {
	changes["status"], changes["finished_at"], changes["lease_until"] = status, s.clock.Now(), nil
	return s.settle(ctx, j, changes)
}

// release gives the job back to the queue after an error that may pass
// (the database was unreachable), so the job's retry can claim it at once.
// The error itself goes to the job queue's log, not to the merchant.
func (s *Service) release(ctx context.Context, j Job) error {
	return s.settle(context.WithoutCancel(ctx), j, map[string]any{"status": StatusQueued, "lease_until": nil})
}
