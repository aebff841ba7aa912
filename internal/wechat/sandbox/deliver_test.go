package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// inbox is a notify_url that counts each notification's deliveries and how
// many it is handling at once.
type inbox struct {
	mu       sync.Mutex
	hold     time.Duration // how long each delivery takes to answer
	refuse   int           // answer 500 to this many deliveries first
	got      map[string]int
	inFlight int
	peak     int
	attempts []time.Time // when each delivery arrived, by the sandbox clock
	clock    func() time.Time
}

func (in *inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ID string `json:"id"`
	}
	json.NewDecoder(r.Body).Decode(&body)
	in.mu.Lock()
	in.inFlight++
	in.peak = max(in.peak, in.inFlight)
	if in.clock != nil {
		in.attempts = append(in.attempts, in.clock())
	}
	refuse := in.refuse > 0
	if refuse {
		in.refuse--
	}
	in.mu.Unlock()
	time.Sleep(in.hold)
	in.mu.Lock()
	in.inFlight--
	if !refuse {
		in.got[body.ID]++
	}
	in.mu.Unlock()
	if refuse {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (in *inbox) delivered() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.got)
}

// sandboxOn builds a paying sandbox on db and runs its delivery loop until
// the test ends.
func sandboxOn(t *testing.T, db *database.DB, keys *PayKeys, setup func(*Server)) *Server {
	t.Helper()
	s := New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.EnablePay(keys)
	if setup != nil {
		setup(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

func queue(t *testing.T, s *Server, url string, n int) {
	t.Helper()
	for i := range n {
		no := fmt.Sprintf("N%06d", i)
		if err := s.pay.enqueue(context.Background(), "TRANSACTION.SUCCESS", "支付成功", no, url, "transaction",
			map[string]any{"out_trade_no": no}); err != nil {
			t.Fatal(err)
		}
	}
	s.pay.kick()
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}

func testKeys(t *testing.T) *PayKeys {
	t.Helper()
	keys, err := LoadOrCreatePayKeys(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// Many notifications due at once go out together, never more at once than
// the pool holds, each exactly once.
func TestDueNotificationsAreSentByABoundedPool(t *testing.T) {
	in := &inbox{hold: 20 * time.Millisecond, got: map[string]int{}}
	shop := httptest.NewServer(in)
	t.Cleanup(shop.Close)
	s := sandboxOn(t, dbtest.Open(t), testKeys(t), func(s *Server) { s.SetNotifySenders(8) })

	queue(t, s, shop.URL, 200)
	waitFor(t, "200 notifications delivered", func() bool { return in.delivered() == 200 })
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.peak > 8 || in.peak < 2 {
		t.Errorf("%d deliveries at once with 8 senders", in.peak)
	}
	for id, n := range in.got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

// Two sandboxes sharing one database (replicas) send each notification once
// between them: their claims never overlap.
func TestReplicasNeverSendANotificationTwice(t *testing.T) {
	dbURL, path := dbtest.URL(t)
	open := func() *database.DB {
		db, err := database.Open(context.Background(), dbURL, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	db1 := open()
	if err := db1.Migrate(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	keys := testKeys(t)
	in := &inbox{hold: time.Millisecond, got: map[string]int{}}
	shop := httptest.NewServer(in)
	t.Cleanup(shop.Close)
	a := sandboxOn(t, db1, keys, func(s *Server) { s.SetNotifySenders(4) })
	b := sandboxOn(t, open(), keys, func(s *Server) { s.SetNotifySenders(4) })

	var wg sync.WaitGroup
	for _, s := range []*Server{a, b} {
		wg.Go(func() { queue(t, s, shop.URL, 150) }) // 300 in all, queued while both send
	}
	wg.Wait()
	waitFor(t, "300 notifications delivered", func() bool { return in.delivered() == 300 })
	time.Sleep(3 * notifyPoll) // a duplicate would arrive by now
	in.mu.Lock()
	defer in.mu.Unlock()
	for id, n := range in.got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	var attempts int64
	db1.Conn(context.Background()).Raw("SELECT COALESCE(SUM(attempts), 0) FROM sandbox_notifications").Scan(&attempts)
	if len(in.got) != 300 || attempts != 300 {
		t.Errorf("%d notifications delivered in %d attempts, want 300 in 300", len(in.got), attempts)
	}
}

// A merchant that keeps failing is retried on WeChat's schedule, not sooner:
// on the sandbox's clock each attempt waits exactly its step.
func TestFailingMerchantKeepsTheRetrySchedule(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	in := &inbox{refuse: 4, got: map[string]int{}, clock: clock}
	shop := httptest.NewServer(in)
	t.Cleanup(shop.Close)
	s := sandboxOn(t, dbtest.Open(t), testKeys(t), func(s *Server) { s.SetClock(clock) })
	count := func() int { in.mu.Lock(); defer in.mu.Unlock(); return len(in.attempts) }

	queue(t, s, shop.URL, 1)
	waitFor(t, "first attempt", func() bool { return count() == 1 })
	start := clock()
	for i, step := range RetrySchedule[:4] {
		advance(step - time.Second)
		time.Sleep(3 * notifyPoll) // polls that find nothing due
		if count() != i+1 {
			t.Fatalf("attempt %d sent a second before its %v step", i+2, step)
		}
		advance(time.Second)
		waitFor(t, fmt.Sprintf("attempt %d", i+2), func() bool { return count() == i+2 })
	}
	waitFor(t, "delivered", func() bool { return in.delivered() == 1 })
	in.mu.Lock()
	defer in.mu.Unlock()
	want := start
	for i, at := range in.attempts[1:] {
		want = want.Add(RetrySchedule[i])
		if !at.Equal(want) {
			t.Errorf("attempt %d at +%v, want +%v", i+2, at.Sub(start), want.Sub(start))
		}
	}
}

// A payment confirmed with "hold" keeps its notification until
// /wxpay/notifications/deliver names it; then each named one is sent once,
// at the concurrency asked, and recorded like any attempt.
func TestHeldNotificationsAreSentWhenAsked(t *testing.T) {
	in := &inbox{hold: 5 * time.Millisecond, got: map[string]int{}}
	shop := httptest.NewServer(in)
	t.Cleanup(shop.Close)
	s := sandboxOn(t, dbtest.Open(t), testKeys(t), nil)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	s.Mount(r.Group("/sandbox"))
	sb := httptest.NewServer(r)
	t.Cleanup(sb.Close)

	var ids []string
	for i := range 40 {
		id, err := s.pay.store(context.Background(), "TRANSACTION.SUCCESS", "支付成功", fmt.Sprintf("H%03d", i), shop.URL,
			"transaction", map[string]any{"out_trade_no": i}, true)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	s.pay.kick()
	time.Sleep(3 * notifyPoll)
	if n := in.delivered(); n != 0 {
		t.Fatalf("%d held notifications sent unasked", n)
	}
	body, _ := json.Marshal(map[string]any{"ids": ids, "concurrency": 8})
	res, err := http.Post(sb.URL+"/sandbox/wxpay/notifications/deliver", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Statuses []int     `json:"statuses"`
		Took     []float64 `json:"took_ms"`
	}
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != http.StatusOK || len(out.Statuses) != 40 || len(out.Took) != 40 {
		t.Fatalf("deliver: %d %+v", res.StatusCode, out)
	}
	for i, st := range out.Statuses {
		if st != http.StatusNoContent {
			t.Errorf("delivery %d answered %d", i, st)
		}
	}
	in.mu.Lock()
	if len(in.got) != 40 || in.peak > 8 {
		t.Errorf("%d delivered, %d at once (8 asked)", len(in.got), in.peak)
	}
	in.mu.Unlock()
	var delivered, attempts int64
	s.db.Conn(context.Background()).Raw("SELECT COUNT(*), COALESCE(SUM(attempts), 0) FROM sandbox_notifications WHERE delivered_at IS NOT NULL").Row().Scan(&delivered, &attempts)
	if delivered != 40 || attempts != 40 {
		t.Errorf("%d recorded delivered in %d attempts, want 40 in 40", delivered, attempts)
	}
}
