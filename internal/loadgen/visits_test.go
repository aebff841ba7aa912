package loadgen

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/channel"
)

// The visits scenario against a shop: every visit answered 202, all of
// them in the visits table after the flush, visits/s reported beside the
// hello-world measured in the same run; a shop that loses visits fails the
// check.
func TestVisits(t *testing.T) {
	e := shop(t)
	if _, err := e.App.Channels.Create(context.Background(), "staff:1", channel.Input{Name: "海报", Active: true}); err != nil {
		t.Fatal(err)
	}
	o := options(e, "visits")
	o.Requests = 300
	r := run(t, o)
	requirePass(t, r)
	if r.Total.Count != 300 || r.Figures["hello_per_second"] <= 0 || r.Figures["visits_to_hello"] <= 0 {
		t.Fatalf("report %+v", r)
	}
	var n int64
	e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM visits WHERE source LIKE 'channel:%'").Scan(&n)
	if n == 0 {
		t.Fatal("no visit credited to the channel")
	}

	// A shop whose visits vanish after the answer: the check fails.
	if e.App.DB.Dialect != "sqlite" {
		t.Skip("the losing shop is made with a SQLite trigger")
	}
	if err := e.App.DB.Conn(context.Background()).Exec("CREATE TRIGGER lose_visits AFTER INSERT ON visits WHEN NEW.id % 7 = 0 BEGIN DELETE FROM visits WHERE id = NEW.id; END").Error; err != nil {
		t.Fatal(err)
	}
	o.Run = "lose"
	requireFail(t, run(t, o).Checks, "every visit answered 2xx was saved")
}
