package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app"
)

func TestSettingsCommand(t *testing.T) {
	cfg, log := commandConfig(t)
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := app.Settings(context.Background(), cfg, log, args, &out)
		return out.String(), err
	}
	got, err := run()
	if err != nil || !strings.Contains(got, "order_timeout=15m0s") || !strings.Contains(got, "shipping_fee=1000") {
		t.Fatalf("defaults: %q %v", got, err)
	}
	got, err = run("order_timeout=30m", "shipping_fee=800", "name=小店")
	if err != nil || !strings.Contains(got, "order_timeout=30m0s") || !strings.Contains(got, "shipping_fee=800") || !strings.Contains(got, "name=小店") {
		t.Fatalf("set: %q %v", got, err)
	}
	for _, bad := range []string{"order_timeout=10s", "shipping_fee=-1", "shipping_fee=1.5", "colour=red", "name"} {
		if _, err := run(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if got, _ := run(); !strings.Contains(got, "order_timeout=30m0s") {
		t.Fatalf("a refused change altered the settings: %q", got)
	}
}
