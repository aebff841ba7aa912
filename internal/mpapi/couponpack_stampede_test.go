package mpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// TestCouponPackStampede: a crowd grabs one 100-coupon pack at once through
// the HTTP API — 1,000 shoppers on SQLite; on PostgreSQL 10,000 spread over
// three replicas on the one database. Exactly 100 get a coupon, the amounts
// sum to the pack's total to the fen, nobody gets two (each of the hundred
// also grabs a second time, concurrently with the first), every other
// shopper is told pack_empty, and the pack as read afterwards agrees.
func TestCouponPackStampede(t *testing.T) {
	const count, total = 100, 100_00 // ¥100 in 100 coupons of at least ¥0.10
	e := apptest.Start(t)
	servers, crowd := []*apptest.Env{e}, 1000
	if os.Getenv(dbtest.EnvURL) != "" {
		cfg := e.App.Config
		servers, crowd = append(servers, apptest.Boot(t, cfg), apptest.Boot(t, cfg)), 10_000
	}
	campaign := packCampaign(t, e, total, count, 10)
	ctx := context.Background()
	ch, err := e.App.Channels.Create(ctx, "test", channel.Input{Name: "社群", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	pack, err := e.App.Packs.IssueForChannel(ctx, "test", campaign.ID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	tokens := crowdTokens(t, e, crowd)

	// Each replica gets its own pool of connections, as a load balancer's
	// would be; every request is in flight at once, queued at most here.
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxConnsPerHost: 400, MaxIdleConnsPerHost: 400}}
	type answer struct {
		status       int
		code         string
		amount, held int64
		again        bool
	}
	answers := make([]answer, crowd+count)
	var wg sync.WaitGroup
	start := make(chan struct{})
	began := time.Now()
	for i := range answers {
		who := i % crowd // the first hundred shoppers send a second grab of their own
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			url := servers[i%len(servers)].URL + "/api/v1/coupon-packs/" + pack.Token + "/grab"
			req, _ := http.NewRequest(http.MethodPost, url, nil)
			req.Header.Set("Authorization", "Bearer "+tokens[who])
			res, err := client.Do(req)
			if err != nil {
				answers[i].code = err.Error()
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			var b struct {
				Amount int64
				Again  bool
				Coupon struct{ ID int64 }
				Error  struct{ Code string }
			}
			json.Unmarshal(body, &b)
			answers[i] = answer{status: res.StatusCode, code: b.Error.Code, amount: b.Amount, held: b.Coupon.ID, again: b.Again}
		}()
	}
	close(start)
	wg.Wait()
	took := time.Since(began)

	statuses := map[string]int{}
	byShopper := map[int]answer{}
	var sum int64
	for i, a := range answers {
		statuses[fmt.Sprint(a.status, a.code)]++
		if a.status != http.StatusCreated && a.status != http.StatusOK {
			continue
		}
		who := i % crowd
		if first, ok := byShopper[who]; ok {
			if first.held != a.held || first.amount != a.amount {
				t.Fatalf("shopper %d got two grabs: %+v and %+v", who, first, a)
			}
			continue
		}
		byShopper[who] = a
		sum += a.amount
	}
	if statuses["201"] != count || len(byShopper) != count || sum != total ||
		statuses["409pack_empty"]+statuses["201"]+statuses["200"] != len(answers) {
		t.Fatalf("%d grabs by %d shoppers over %d replicas: statuses %v, %d shoppers holding %d fen",
			len(answers), crowd, len(servers), statuses, len(byShopper), sum)
	}
	var v packBody
	e.Get("/api/v1/coupon-packs/"+pack.Token, "").Decode(t, &v)
	if v.State != "empty" || v.GrabbedCount != count || v.GrabbedAmount != total || len(v.Grabs) != count {
		t.Fatalf("the pack afterwards: %s, %d grabbed, %d fen", v.State, v.GrabbedCount, v.GrabbedAmount)
	}
	t.Logf("%d grabs (%d shoppers, %d replicas) in %v: %v", len(answers), crowd, len(servers), took.Round(time.Millisecond), statuses)
}

// crowdTokens makes n shoppers and a token for each, eight at a time.
func crowdTokens(t *testing.T, e *apptest.Env, n int) []string {
	t.Helper()
	tokens := make([]string, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				sh, err := e.App.Customers.Login(context.Background(), customer.Identity{OpenID: fmt.Sprint("crowd-", i), SessionKey: "k"})
				if err == nil {
					tokens[i], _, err = e.App.Tokens.Issue(sh.ID)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	return tokens
}

// TestCouponPackSameShopperAtOnce: twenty shoppers each send three grabs of
// a pack of twenty coupons at once. Each gets exactly one coupon: one 201,
// the others 200 with that same coupon (on PostgreSQL the losers meet the
// unique index and read the winner's grab back), never a second coupon,
// and never pack_empty: a shopper's grab that loses the last slot to their
// own other grab answers that grab.
func TestCouponPackSameShopperAtOnce(t *testing.T) {
	e := apptest.Start(t)
	campaign := packCampaign(t, e, 2000, 20, 10)
	ctx := context.Background()
	ch, err := e.App.Channels.Create(ctx, "test", channel.Input{Name: "社群", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	pack, err := e.App.Packs.IssueForChannel(ctx, "test", campaign.ID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	tokens := crowdTokens(t, e, 20)
	type answer struct {
		status int
		held   int64
	}
	answers := make([][3]answer, len(tokens))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range tokens {
		for j := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r := e.Post("/api/v1/coupon-packs/"+pack.Token+"/grab", tokens[i], nil)
				var g grabBody
				json.Unmarshal(r.Body, &g)
				answers[i][j] = answer{r.Status, g.Coupon.ID}
			}()
		}
	}
	close(start)
	wg.Wait()
	for i, as := range answers {
		created := 0
		for _, a := range as {
			switch {
			case a.status == http.StatusCreated:
				created++
			case a.status != http.StatusOK:
				t.Fatalf("shopper %d: %+v", i, as)
			}
			if a.held == 0 || a.held != as[0].held {
				t.Fatalf("shopper %d got different coupons: %+v", i, as)
			}
		}
		if created != 1 {
			t.Fatalf("shopper %d: %d grabs created: %+v", i, created, as)
		}
	}
}
