package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// expireKind is the River job kind that closes one unpaid order
// (internal/worker.ExpireOrderArgs); named here rather than imported, as
// the load command reads the shop's tables, not its workers.
const expireKind = "order.expire"

// jobSettle bounds the wait for River to record jobs as finished: it marks
// them completed in batches, a moment after their work committed.
const jobSettle = 15 * time.Second

type expireJob struct {
	OrderNo string
	State   string
	Attempt int
}

// checkExpireJobs verifies that each of the orders had an order.expire
// job and every such job completed on its first attempt: with several
// replicas, River's unique jobs and its single leader are what keep two
// expiries of one order from running at once, and a failed or retried one
// would show here.
func checkExpireJobs(ctx context.Context, r *Report, db *database.DB, orderNos []string) {
	const name = "expiry jobs ran once each (River)"
	if len(orderNos) == 0 {
		r.skip(name, "no unpaid orders to expire")
		return
	}
	var jobs []expireJob
	var err error
	for deadline := time.Now().Add(jobSettle); ; {
		jobs, err = expireJobs(ctx, db, orderNos)
		if err != nil || settled(jobs) || time.Now().After(deadline) || sleep(ctx, 200*time.Millisecond) != nil {
			break
		}
	}
	if err != nil {
		if db.Dialect == database.SQLite {
			r.skip(name, "cannot read River's jobs on SQLite: "+err.Error())
		} else {
			r.check(name, false, "query: %v", err)
		}
		return
	}
	per := map[string][]expireJob{}
	for _, j := range jobs {
		per[j.OrderNo] = append(per[j.OrderNo], j)
	}
	// A sweep that read an order as due just before its job closed it may
	// enqueue one more job once the first has completed (uniqueness holds
	// only while a job waits or runs, see worker.ExpireOrderArgs); that job
	// finds the order closed and changes nothing. What must hold is that
	// every job completed on its first attempt, and each order was closed
	// once (checked from its history).
	var bad []string
	extra := 0
	for _, no := range orderNos {
		js := per[no]
		ok := len(js) >= 1
		for _, j := range js {
			ok = ok && j.State == "completed" && j.Attempt <= 1
		}
		if !ok {
			bad = append(bad, fmt.Sprintf("%s: %+v", no, js))
		}
		if len(js) > 1 {
			extra += len(js) - 1
		}
	}
	r.check(name, len(bad) == 0, "%d orders, %d %s jobs (%d no-op repeats after a completed one), %d without a job completed on its first attempt %v",
		len(orderNos), len(jobs), expireKind, extra, len(bad), first(bad, 3))
}

// settled reports whether every job has finished one way or another.
func settled(jobs []expireJob) bool {
	for _, j := range jobs {
		switch j.State {
		case "completed", "cancelled", "discarded":
		default:
			return false
		}
	}
	return true
}

// expireJobs reads the order.expire jobs of the orders. River keeps args
// as jsonb on PostgreSQL and as SQLite's binary JSON on SQLite.
func expireJobs(ctx context.Context, db *database.DB, orderNos []string) ([]expireJob, error) {
	arg := "args->>'order_no'"
	if db.Dialect == database.SQLite {
		arg = "json_extract(args, '$.order_no')"
	}
	var out []expireJob
	for i := 0; i < len(orderNos); i += chunk {
		var part []expireJob
		err := db.Conn(ctx).Raw("SELECT "+arg+" AS order_no, state, attempt FROM river_job WHERE kind = ? AND "+arg+" IN ?",
			expireKind, orderNos[i:min(i+chunk, len(orderNos))]).Scan(&part).Error
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}
