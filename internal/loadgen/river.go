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

// checkExpireJobs verifies that each of the orders was closed by exactly
// one order.expire job, which completed on its first attempt: with several
// replicas, River's unique jobs and its single leader are what keep an
// expiry from running twice, and this is where a second run would show.
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
	var bad []string
	for _, no := range orderNos {
		js := per[no]
		if len(js) != 1 || js[0].State != "completed" || js[0].Attempt > 1 {
			bad = append(bad, fmt.Sprintf("%s: %+v", no, js))
		}
	}
	r.check(name, len(bad) == 0, "%d orders, %d %s jobs, %d not exactly one completed first attempt %v",
		len(orderNos), len(jobs), expireKind, len(bad), first(bad, 3))
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
