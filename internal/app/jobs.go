package app

import (
	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/jobs"
)

// newJobs registers every background worker and periodic job.
func (a *App) newJobs() (*jobs.Runner, error) {
	workers := river.NewWorkers()
	var periodic []*river.PeriodicJob
	return jobs.New(a.DB, jobs.Config{Workers: workers, Periodic: periodic, Log: a.Log})
}
