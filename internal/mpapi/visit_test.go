package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/promoter"
)

// social is a shop's sources for the visit and attribution tests.
type social struct {
	channel             channel.Channel
	kol, off, associate promoter.Promoter
	associate2          promoter.Promoter
	store               promoter.Store
}

func newSocial(t *testing.T, e *apptest.Env) social {
	t.Helper()
	ctx := context.Background()
	var s social
	var err error
	if s.channel, err = e.App.Channels.Create(ctx, "staff:1", channel.Input{Name: "橱窗", Active: true}); err != nil {
		t.Fatal(err)
	}
	if s.store, err = e.App.Promoters.CreateStore(ctx, "staff:1", promoter.StoreInput{Name: "南京西路店", Active: true}); err != nil {
		t.Fatal(err)
	}
	mk := func(kind promoter.Kind, status promoter.Status, name string) promoter.Promoter {
		in := promoter.Input{Kind: kind, Status: status, Name: name, RateBP: 500}
		if kind == promoter.KindAssociate {
			in.StoreID = &s.store.ID
		}
		p, err := e.App.Promoters.Create(ctx, "staff:1", in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	s.kol = mk(promoter.KindKOL, promoter.StatusActive, "达人甲")
	s.off = mk(promoter.KindKOL, promoter.StatusDisabled, "达人乙")
	s.associate = mk(promoter.KindAssociate, promoter.StatusActive, "导购甲")
	s.associate2 = mk(promoter.KindAssociate, promoter.StatusActive, "导购乙")
	return s
}

// sceneKey is the scene key of a mini-program code for ref.
func sceneKey(t *testing.T, e *apptest.Env, ref string) string {
	t.Helper()
	k, err := e.App.Scenes.Key(context.Background(), "pages/index/index", "home", ref)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func syncVisits(t *testing.T, e *apptest.Env) {
	t.Helper()
	if err := e.App.Attribution.Recorder().Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func visit(t *testing.T, e *apptest.Env, token string, body map[string]any) {
	t.Helper()
	if body["path"] == nil {
		body["path"] = "pages/index/index"
	}
	if body["entry"] == nil {
		body["entry"] = 1001
	}
	if r := e.Post("/api/v1/visits", token, body); r.Status != http.StatusAccepted {
		t.Fatalf("visit %v: %d %s", body, r.Status, r.Body)
	}
}

// Each visit is recorded with the source its scene or ref resolves to:
// channels and active promoters by scene key or typed ref, a sharing
// shopper; anything that does not resolve (a forged key or code, a stopped
// promoter, one's own share, garbage) is "unknown" and still answered 202;
// nothing is direct. A visit before login has no shopper; the daily counts
// and the funnel's visitors follow the visits.
func TestVisitSources(t *testing.T) {
	e := apptest.Start(t)
	s := newSocial(t, e)
	tok := e.Token("v-alice")
	alice, bob := shopperOf(t, e, "v-alice"), shopperOf(t, e, "v-bob")
	cases := []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"scene": sceneKey(t, e, s.channel.Ref()), "entry": 1047}, s.channel.Ref()},
		{map[string]any{"ref": s.channel.Ref()}, s.channel.Ref()},
		{map[string]any{"ref": s.kol.Ref(), "entry": 1007}, s.kol.Ref()},
		{map[string]any{"scene": sceneKey(t, e, s.kol.Ref())}, s.kol.Ref()},
		{map[string]any{"ref": "share:" + itoa(bob)}, "share:" + itoa(bob)},
		{map[string]any{"ref": "share:" + itoa(alice)}, "unknown"},         // one's own share
		{map[string]any{"ref": "share:999999"}, "unknown"},                 // no such shopper
		{map[string]any{"ref": "share:0" + itoa(bob)}, "unknown"},          // not the way ids are written
		{map[string]any{"ref": s.off.Ref()}, "unknown"},                    // a stopped promoter
		{map[string]any{"ref": "channel:ZZZZZZ"}, "unknown"},               // a forged code
		{map[string]any{"ref": "channel:'; DROP TABLE visits"}, "unknown"}, // garbage
		{map[string]any{"ref": "nonsense"}, "unknown"},
		{map[string]any{"scene": "AAAAAAAA"}, "unknown"}, // a key no code was made for
		{map[string]any{"scene": strings.Repeat("x", 500)}, "unknown"},
		{map[string]any{}, ""}, // direct
	}
	for _, c := range cases {
		visit(t, e, tok, c.body)
	}
	visit(t, e, "", map[string]any{"ref": s.channel.Ref()}) // before login
	syncVisits(t, e)

	var got []struct {
		ShopperID *int64
		Source    string
		Raw       string
	}
	db := e.App.DB.Conn(context.Background())
	if err := db.Raw("SELECT shopper_id, source, raw FROM visits ORDER BY id").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cases)+1 {
		t.Fatalf("%d visits recorded, want %d", len(got), len(cases)+1)
	}
	for i, c := range cases {
		if got[i].Source != c.want || got[i].ShopperID == nil || *got[i].ShopperID != alice {
			t.Errorf("visit %v: source %q shopper %v, want %q by %d", c.body, got[i].Source, got[i].ShopperID, c.want, alice)
		}
		if len([]rune(got[i].Raw)) > 64 {
			t.Errorf("raw kept at %d characters", len(got[i].Raw))
		}
	}
	if last := got[len(cases)]; last.ShopperID != nil || last.Source != s.channel.Ref() {
		t.Errorf("anonymous visit: %+v", last)
	}
	var daily, visitors int64
	db.Raw("SELECT visits FROM visits_daily WHERE source = ?", s.channel.Ref()).Scan(&daily)
	db.Raw("SELECT COUNT(*) FROM funnel_shoppers WHERE step = 'visit' AND source = ?", s.channel.Ref()).Scan(&visitors)
	if daily != 3 || visitors != 1 {
		t.Errorf("channel: %d visits counted, %d visitors; want 3 and 1", daily, visitors)
	}
	var unknown, shares, dailyVisitors int64
	db.Raw("SELECT SUM(visits) FROM visits_daily WHERE source = 'unknown'").Scan(&unknown)
	db.Raw("SELECT SUM(visits) FROM visits_daily WHERE source = 'share'").Scan(&shares)
	db.Raw("SELECT SUM(visitors) FROM visits_daily WHERE source = ?", s.channel.Ref()).Scan(&dailyVisitors)
	if unknown != 9 || shares != 1 || dailyVisitors != 1 {
		t.Errorf("%d unknown visits counted (want 9), %d shares (want 1, under \"share\"), %d channel visitors (want 1)", unknown, shares, dailyVisitors)
	}
}

// A malformed report is 400 and records nothing: wrong types, unknown
// fields, a path empty or too long, an entry out of range, not JSON.
func TestVisitBadInput(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("v-bad")
	for _, body := range []any{
		map[string]any{"path": "p", "entry": "1047"},
		map[string]any{"path": 42, "entry": 1047},
		map[string]any{"path": "p", "entry": 1047, "scene": 12345678},
		map[string]any{"path": "p", "entry": 1047, "ref": []string{"x"}},
		map[string]any{"path": "p", "entry": 1047, "source": "channel:X"},
		map[string]any{"entry": 1047},
		map[string]any{"path": strings.Repeat("页", 201), "entry": 1047},
		map[string]any{"path": "p"},
		map[string]any{"path": "p", "entry": 5},
		map[string]any{"path": "p", "entry": 100000},
		"not an object",
	} {
		if r := e.Post("/api/v1/visits", tok, body); r.Status != http.StatusBadRequest {
			t.Errorf("visit %v: %d %s, want 400", body, r.Status, r.Body)
		}
	}
	if r := e.Post("/api/v1/visits", "not-a-token", map[string]any{"path": "p", "entry": 1001}); r.Status != http.StatusUnauthorized {
		t.Errorf("bad token: %d", r.Status)
	}
	syncVisits(t, e)
	var n int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM visits").Scan(&n)
	if n != 0 {
		t.Fatalf("%d visits recorded from bad input", n)
	}
}
