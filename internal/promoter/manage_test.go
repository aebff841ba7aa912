package promoter_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/testkit"
)

// Status moves go only from the status they start at: an application is
// approved or rejected once, only an active promoter is disabled, only a
// disabled one enabled; each move that happens is audited.
func TestStatusMoves(t *testing.T) {
	db := dbtest.Open(t)
	clk := clock.New()
	log := audit.New(db, clk)
	svc := promoter.New(db, log, clk)
	ctx := context.Background()
	p, err := svc.Apply(ctx, testkit.Shopper(t, db, "applicant"), promoter.ApplyInput{Name: "申请人"})
	testkit.Must(t, err)
	if p.Status != promoter.StatusPending || p.RateBP != 0 {
		t.Fatalf("application: %+v", p)
	}
	_, err = svc.Approve(ctx, "staff:1", p.ID, promoter.MaxRateBP+1)
	testkit.WantField(t, err, "rate")
	for _, step := range []struct {
		move func(context.Context, string, int64) (promoter.Promoter, error)
		want promoter.Status // "" for refused
	}{
		{svc.Disable, ""}, {svc.Enable, ""},
		{func(ctx context.Context, a string, id int64) (promoter.Promoter, error) {
			return svc.Approve(ctx, a, id, 1200)
		}, promoter.StatusActive},
		{svc.Reject, ""}, {svc.Enable, ""},
		{svc.Disable, promoter.StatusDisabled}, {svc.Disable, ""},
		{svc.Enable, promoter.StatusActive},
	} {
		got, err := step.move(ctx, "staff:1", p.ID)
		switch {
		case step.want == "" && err == nil:
			t.Fatalf("move allowed from %s: %+v", p.Status, got)
		case step.want == "":
			testkit.WantCode(t, err, "promoter_status")
		case err != nil || got.Status != step.want:
			t.Fatalf("move: %+v %v, want %s", got, err, step.want)
		}
		if p, err = svc.Get(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if p.RateBP != 1200 {
		t.Fatalf("approved at %d bp, want 1200", p.RateBP)
	}
	es, _, err := log.List(ctx, audit.Query{SubjectType: "promoter", Page: page.Request{Limit: 20}})
	testkit.Must(t, err)
	if len(es) != 4 { // create, approve, disable, enable
		t.Fatalf("%d audit entries, want 4", len(es))
	}
	active, _, err := svc.List(ctx, promoter.Query{Status: promoter.StatusActive, Page: page.Request{Limit: 10}})
	testkit.Must(t, err)
	if len(active) != 1 || active[0].ID != p.ID {
		t.Fatalf("active promoters: %+v", active)
	}
}
