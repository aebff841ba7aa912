package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"time"
)

// visitsTarget is the share of hello-world's requests a second that
// POST /visits must keep (issue 16).
const visitsTarget = 0.5

// visits loads POST /api/v1/visits as mini programs launching through the
// shop's sources: scene keys of its codes, channel and promoter refs,
// shares, forged refs and none, half of them logged in. Beside it, in the
// same run and at the same concurrency, it measures a hello-world baseline
// (-baseline, or one started in this process), so the report gives visits/s
// as a share of what the HTTP stack alone does. Afterwards it checks in the
// database that every visit answered 2xx was saved (once the shop's
// recorder has flushed): nothing answered may be lost.
func (l *load) visits(ctx context.Context, r *Report) error {
	db, err := l.database(ctx)
	if err != nil {
		return err
	}
	refs, err := l.visitRefs(ctx)
	if err != nil {
		return err
	}
	shoppers, err := l.login(ctx, l.o.Shoppers)
	if err != nil {
		return err
	}
	base, stop, err := l.baselineURL(ctx)
	if err != nil {
		return err
	}
	defer stop()

	hello := newRecorder()
	start := time.Now()
	l.drive(ctx, l.newBudget(), hello, func(int64) (string, answer) {
		return "hello", l.cl.do(ctx, "GET", base+"/", "", nil, false)
	})
	helloTook := time.Since(start)

	// Each body is made before the timed part: the load measures the shop,
	// not the encoding. Every path is unique to this run, so the check
	// below finds exactly this run's visits.
	prefix := "pages/load/" + l.o.Run + "/"
	body := func(i int64) []byte {
		v := map[string]any{"path": prefix + strconv.FormatInt(i, 10), "entry": 1007}
		switch ref := refs[int(i)%len(refs)]; {
		case len(ref) == 8: // a scene key, scanned
			v["scene"], v["entry"] = ref, 1047
		case ref != "":
			v["ref"] = ref
		}
		b, _ := json.Marshal(v)
		return b
	}
	rec := newRecorder()
	cpu := l.meterCPU(ctx)
	start = time.Now()
	l.drive(ctx, l.newBudget(), rec, func(i int64) (string, answer) {
		token := ""
		if s := shoppers[int(i)%len(shoppers)]; i%2 == 0 {
			token = s.token
		}
		return "visit", l.cl.do(ctx, "POST", l.target(int(i))+"/api/v1/visits", token, body(i), false)
	})
	r.finish(rec, time.Since(start), "visit")
	r.addSteps(hello, helloTook)
	cpu.report(ctx, r, "visit", r.Total.Count)
	accepted := r.Total.Count - sum(r.Total.Answers)
	r.check("visits answered 202", r.Total.Count > 0 && len(r.Total.Answers) == 0,
		"%d visits, %d not 2xx %v", r.Total.Count, sum(r.Total.Answers), r.Total.Answers)

	helloRate := 0.0
	if len(r.Steps) > 1 {
		helloRate = r.Steps[len(r.Steps)-1].PerSecond
	}
	r.figure("hello_per_second", helloRate)
	r.figure("visits_per_second", r.Total.PerSecond)
	if helloRate > 0 {
		ratio := r.Total.PerSecond / helloRate
		r.figure("visits_to_hello", ratio)
		within := "within"
		if ratio < visitsTarget {
			within = "NOT within"
		}
		r.note("visits: %.0f/s = %.0f%% of hello-world's %.0f/s, %s the %.0f%% target", r.Total.PerSecond, 100*ratio, helloRate, within, 100*visitsTarget)
	}

	// Nothing answered is lost: the recorder flushes every second; wait
	// for the count to reach what was answered (and not pass it), or to
	// stop moving for three seconds.
	var saved, last int64
	for still := time.Now(); ; {
		if err := db.Conn(ctx).Raw("SELECT COUNT(*) FROM visits WHERE path LIKE ?", prefix+"%").Scan(&saved).Error; err != nil {
			return err
		}
		if saved != last {
			last, still = saved, time.Now()
		}
		if saved >= accepted || time.Since(still) > 3*time.Second || sleep(ctx, 250*time.Millisecond) != nil {
			break
		}
	}
	r.check("every visit answered 2xx was saved", saved == accepted,
		"%d answered 2xx, %d in the visits table", accepted, saved)
	return nil
}

// visitRefs is the mix of what the visits carry: scene keys of the shop's
// codes, its channels' and active promoters' refs, a share, a forged ref
// and none. A shop without a channel gets one (straight into the table:
// the load has no console session), with a scene key for it.
func (l *load) visitRefs(ctx context.Context) ([]string, error) {
	db, err := l.database(ctx)
	if err != nil {
		return nil, err
	}
	var channels, promoters, scenes []string
	conn := db.Conn(ctx)
	if err := conn.Raw("SELECT code FROM channels ORDER BY id LIMIT 5").Scan(&channels).Error; err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		code, now := "LD"+l.o.Run[:4], time.Now().UTC()
		if err := conn.Exec("INSERT INTO channels (code, name, note, active, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?)",
			code, "load "+l.o.Run, true, now, now).Error; err != nil {
			return nil, fmt.Errorf("create a channel for the load: %w", err)
		}
		channels = []string{code}
	}
	if err := conn.Raw("SELECT code FROM promoters WHERE status = 'active' ORDER BY id LIMIT 5").Scan(&promoters).Error; err != nil {
		return nil, err
	}
	if err := conn.Raw("SELECT scene_key FROM share_scenes WHERE ref <> '' ORDER BY id LIMIT 5").Scan(&scenes).Error; err != nil {
		return nil, err
	}
	if len(scenes) == 0 {
		key := "LD" + l.o.Run[:6]
		if err := conn.Exec("INSERT INTO share_scenes (scene_key, page, target, ref, created_at) VALUES (?, 'pages/index/index', 'home', ?, ?)",
			key, "channel:"+channels[0], time.Now().UTC()).Error; err != nil {
			return nil, fmt.Errorf("create a scene key for the load: %w", err)
		}
		scenes = []string{key}
	}
	refs := append([]string{}, scenes...)
	for _, c := range channels {
		refs = append(refs, "channel:"+c)
	}
	for _, p := range promoters {
		refs = append(refs, "promoter:"+p)
	}
	return append(refs, "share:1", "channel:FORGED", "promoter:nobody", ""), nil
}

// baselineURL is the hello-world to measure beside the visits: -baseline,
// or one served by this process on a loopback port until stop.
func (l *load) baselineURL(ctx context.Context) (string, func(), error) {
	if l.o.Baseline != "" {
		return l.o.Baseline, func() {}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	bctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- Baseline(bctx, ln, nil) }()
	return "http://" + ln.Addr().String(), func() { cancel(); <-done }, nil
}
