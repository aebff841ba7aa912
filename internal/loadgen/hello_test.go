package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/config"
)

// baselineServer runs the hello-world baseline on a loopback port.
func baselineServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Baseline(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("baseline: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// The command as run from the shell: -json prints a report the README's
// figures are read from, and a failed check is an error (exit status 1).
func TestCommandHelloJSON(t *testing.T) {
	url := baselineServer(t)
	var out bytes.Buffer
	err := Main(context.Background(), config.Config{DataDir: t.TempDir()},
		[]string{"-scenario", "hello", "-targets", url + "," + url, "-requests", "200", "-concurrency", "4", "-json"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	var r Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("-json printed no report: %v\n%s", err, out.String())
	}
	if !r.OK || r.Total.Count != 200 || r.Total.PerSecond <= 0 || r.Total.Latency.P99 <= 0 || len(r.Targets) != 2 {
		t.Fatalf("report %+v", r)
	}

	out.Reset()
	broken := faulty(t, url, 2, func(*http.Request) bool { return true })
	err = Main(context.Background(), config.Config{}, []string{"-scenario", "hello", "-targets", broken, "-requests", "20"}, &out)
	if err == nil || !strings.Contains(err.Error(), "check(s) failed") {
		t.Fatalf("a failed check did not fail the command: %v", err)
	}
	if !strings.Contains(out.String(), "FAIL hello answered 200") || !strings.Contains(out.String(), "503 unavailable") {
		t.Fatalf("text report:\n%s", out.String())
	}
}

func TestCommandRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-scenario", "nope", "-targets", "http://127.0.0.1:1"},
		{"-targets", "127.0.0.1:8080"},
		{"-pay-fraction", "2", "-scenario", "flash"},
		{"extra"},
	} {
		if err := Main(context.Background(), config.Config{}, args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
