package loadgen

import (
	"context"
	"strings"
)

// The servers' CPU per operation. Throughput on a shared machine says as
// much about the neighbours as about Kaidian; the CPU a replica spends on
// one checkout loop, one notification or one accepted flash order hardly
// moves with them, so it is what a change is judged by. Each replica's
// metrics carry process_cpu_seconds_total (user + system time from /proc,
// 10 ms ticks); the scenario reads it from every replica right before and
// right after its timed part (notify-orders around each delivery only, not
// the rounds' setup) and reports the difference summed over the replicas
// (server_cpu_s) and divided by the scenario's operations
// (server_cpu_ms_per_<op>). A replica whose metrics cannot be read leaves
// the figures out, with a note: a partial sum would read as a saving.

// cpuMark is the replicas' CPU seconds at one moment; nil when any replica
// could not be read.
type cpuMark []float64

// serverCPU reads every replica's CPU seconds.
func (l *load) serverCPU(ctx context.Context) cpuMark {
	if l.mem == nil {
		return nil
	}
	m := make(cpuMark, len(l.mem.urls))
	for i, u := range l.mem.urls {
		if u == "" {
			return nil
		}
		s, err := l.mem.read(ctx, i)
		if err != nil || !s.hasCPU {
			return nil
		}
		m[i] = s.cpu
	}
	return m
}

// cpuMeter adds up the replicas' CPU over one or more timed stretches.
type cpuMeter struct {
	l      *load
	secs   float64
	broken bool
	ran    bool // a stretch was measured
	from   cpuMark
}

// meterCPU starts a meter and its first stretch.
func (l *load) meterCPU(ctx context.Context) *cpuMeter {
	c := &cpuMeter{l: l}
	c.resume(ctx)
	return c
}

// resume starts a stretch.
func (c *cpuMeter) resume(ctx context.Context) {
	c.from = c.l.serverCPU(ctx)
	c.broken = c.broken || c.from == nil
}

// pause ends a stretch and adds its CPU.
func (c *cpuMeter) pause(ctx context.Context) {
	to := c.l.serverCPU(ctx)
	if to == nil || c.from == nil {
		c.broken = true
		return
	}
	for i := range to {
		c.secs += to[i] - c.from[i]
	}
	c.from, c.ran = nil, true
}

// report ends the last stretch (when one is open) and puts the CPU in r,
// per op (the figure server_cpu_ms_per_<op>) when ops > 0.
func (c *cpuMeter) report(ctx context.Context, r *Report, op string, ops int64) {
	if c.from != nil {
		c.pause(ctx)
	}
	if c.broken || !c.ran {
		r.note("server CPU not read: every replica's metrics are needed (-metrics)")
		return
	}
	r.figure("server_cpu_s", round3(c.secs))
	if ops > 0 {
		perOp := c.secs * 1000 / float64(ops)
		r.figure("server_cpu_ms_per_"+op, round3(perOp))
		r.note("server CPU in the timed part (process_cpu_seconds_total, all replicas): %.2f s, %.3f ms per %s over %d",
			c.secs, perOp, strings.ReplaceAll(op, "_", " "), ops)
	}
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }
