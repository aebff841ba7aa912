package sandbox

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultNotifySenders is how many notifications one sandbox has in flight
// at once. WeChat sends within a second of payment and many at once; a
// bounded pool keeps a slow merchant from holding unbounded goroutines and
// connections.
const DefaultNotifySenders = 32

// notifyPoll is how often the sender looks for due notifications it was not
// told about: retries coming due, and notifications another replica queued.
// A payment in this process wakes it at once (kick).
const notifyPoll = 100 * time.Millisecond

// SetNotifySenders sets how many notifications are sent at once (at least
// one); call it before Run.
func (s *Server) SetNotifySenders(n int) {
	if s.pay != nil && n > 0 {
		s.pay.senders = n
	}
}

// kick tells the sender a notification was committed, so it is sent now
// rather than at the next poll. It never blocks; kicks coalesce.
func (p *pay) kick() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// dispatcher sends due notifications with at most cap(slots) in flight.
type dispatcher struct {
	p      *pay
	client *http.Client
	slots  chan struct{}
	// saturated is set when the last claim was cut short by the pool's size,
	// so a sender finishing wakes the dispatcher to claim more.
	mu        sync.Mutex
	saturated bool
	wg        sync.WaitGroup
}

func (p *pay) newDispatcher() *dispatcher {
	return &dispatcher{p: p, slots: make(chan struct{}, p.senders), client: p.client}
}

// notifyClient is the HTTP client notifications go out on. It keeps up to
// 256 connections per merchant alive (the default keeps two, so a pool of
// senders would open a new connection for most deliveries).
func notifyClient() *http.Client {
	return &http.Client{
		Timeout:   5 * time.Second, // WeChat waits 5 s for an answer
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second},
	}
}

// dispatch claims as many due notifications as there are free senders and
// starts sending them. When the pool fills up more may be due: the next
// sender to finish then kicks.
func (d *dispatcher) dispatch(ctx context.Context) {
	free := cap(d.slots) - len(d.slots) // only dispatch fills slots, so this never overcounts
	if free == 0 {
		d.setSaturated(true)
		return
	}
	due, err := d.p.claimDue(ctx, free)
	if err != nil {
		if ctx.Err() == nil { // not merely shutting down
			d.p.log.Error("sandbox notify: claim due", "error", err)
		}
		return
	}
	d.setSaturated(len(due) == free)
	for _, n := range due {
		d.slots <- struct{}{}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.p.deliver(ctx, d.client, n)
			<-d.slots
			if d.setSaturated(false) {
				d.p.kick()
			}
		}()
	}
}

// setSaturated sets the flag and says what it was.
func (d *dispatcher) setSaturated(v bool) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	was := d.saturated
	d.saturated = v
	return was
}

// claimDue takes up to limit due notifications in one statement: each one's
// attempt is counted and its next attempt scheduled (WeChat's retry
// schedule, by how many attempts it already had) before it is sent, so
// replicas sharing the database never send the same attempt twice, and an
// attempt lost with its process is retried on schedule. On PostgreSQL rows
// another replica is claiming are skipped, not waited for; on SQLite the
// write lock serialises claims. The outer WHERE repeats the due check, so
// a row claimed meanwhile is never claimed again.
func (p *pay) claimDue(ctx context.Context, limit int) ([]notification, error) {
	now := p.now()
	var next strings.Builder
	args := make([]any, 0, len(RetrySchedule)+4)
	next.WriteString("CASE attempts")
	for i := range RetrySchedule {
		next.WriteString(" WHEN " + strconv.Itoa(i) + " THEN " + p.db.TimeArg())
		args = append(args, p.nextAttempt(i+1, now))
	}
	next.WriteString(" ELSE NULL END")
	args = append(args, now, limit, now)
	var due []notification
	err := p.db.Conn(ctx).Raw(`UPDATE sandbox_notifications SET attempts = attempts + 1, next_attempt_at = `+next.String()+`
		WHERE id IN (SELECT id FROM sandbox_notifications WHERE delivered_at IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at LIMIT ?`+p.db.SkipLockedSQL()+`)
		AND delivered_at IS NULL AND next_attempt_at <= ?
		RETURNING id, notify_id, event_type, out_trade_no, url, body, attempts`, args...).Scan(&due).Error
	return due, err
}

// deliver sends one claimed attempt and records the answer.
func (p *pay) deliver(ctx context.Context, client *http.Client, n notification) {
	status, errText := p.post(ctx, client, n)
	p.record(ctx, n.ID, status, errText)
}

// attempt is one delivery's answer, waiting to be recorded.
type attempt struct {
	id      int64
	status  int
	errText string
	at      time.Time
}

// recorder writes answers in batches: each sender that finishes adds its
// answer, and whoever finds no write under way writes everything pending
// in one transaction, again until nothing is left (group commit). Alone, an
// answer is written at once; with 32 senders finishing together, one
// commit (one fsync on SQLite, where every commit waits for the disk)
// records them all instead of one commit each.
type recorder struct {
	mu      sync.Mutex
	pending []attempt
	writing bool
}

// record keeps an attempt's answer; a 2xx one ends the notification's
// retries. A call that finds a write under way returns at once: that
// writer takes the answer in its next batch before it stops.
func (p *pay) record(ctx context.Context, id int64, status int, errText string) {
	r := &p.recorder
	r.mu.Lock()
	r.pending = append(r.pending, attempt{id: id, status: status, errText: errText, at: p.now()})
	if r.writing {
		r.mu.Unlock()
		return // the writer under way takes it in its next batch
	}
	r.writing = true
	for len(r.pending) > 0 {
		batch := r.pending
		r.pending = nil
		r.mu.Unlock()
		if err := p.writeAttempts(ctx, batch); err != nil && ctx.Err() == nil {
			p.log.Error("sandbox notify: record attempts", "error", err, "attempts", len(batch))
		}
		r.mu.Lock()
	}
	r.writing = false
	r.mu.Unlock()
}

func (p *pay) writeAttempts(ctx context.Context, batch []attempt) error {
	return p.db.Tx(ctx, func(ctx context.Context) error {
		for _, a := range batch {
			set := map[string]any{"last_status": a.status, "last_error": a.errText}
			if a.status >= 200 && a.status < 300 {
				set["delivered_at"], set["next_attempt_at"] = a.at, nil
			}
			if err := p.db.Conn(ctx).Model(&notification{}).Where("id = ?", a.id).Updates(set).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
