package loadgen

import (
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/config"
)

// The report gives the server's RSS at the end of the scenario, read from
// its metrics listener, and notes a replica whose metrics it cannot read.
func TestReportsServerMemory(t *testing.T) {
	e := shop(t)
	o := options(e, "browse")
	o.Metrics = []string{e.MetricsURL}
	r := run(t, o)
	requirePass(t, r)
	if rss := r.Figures["server_rss_mb"]; rss < 1 || rss > 10_000 {
		t.Fatalf("server_rss_mb = %v", rss)
	}
	if r.Figures["server_rss_max_mb"] < r.Figures["server_rss_mb"] {
		t.Errorf("largest sampled %v below the end's %v", r.Figures["server_rss_max_mb"], r.Figures["server_rss_mb"])
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), e.URL+" RSS ") {
		t.Errorf("no memory note for %s: %q", e.URL, r.Notes)
	}

	o = options(e, "browse")
	o.Requests = 10
	r = run(t, o)
	if _, ok := r.Figures["server_rss_mb"]; ok || !strings.Contains(strings.Join(r.Notes, "\n"), "server memory of "+e.URL+" not read") {
		t.Errorf("without -metrics: figures %v, notes %q", r.Figures, r.Notes)
	}
}

func TestParseMemory(t *testing.T) {
	s, err := parseMemory(strings.NewReader("# HELP x\ngo_memstats_heap_inuse_bytes 2.3650304e+07\nprocess_resident_memory_bytes 6.7637248e+07\n"))
	if err != nil || s.rss != 67637248 || s.heapInUse != 23650304 {
		t.Fatalf("%+v %v", s, err)
	}
	if _, err := parseMemory(strings.NewReader("go_goroutines 3\n")); err == nil {
		t.Fatal("no RSS gauge, no error")
	}
}

func TestMetricsDefaults(t *testing.T) {
	for addr, want := range map[string]string{"127.0.0.1:9090": "http://127.0.0.1:9090", ":9100": "http://127.0.0.1:9100",
		"0.0.0.0:9090": "http://127.0.0.1:9090", "": ""} {
		if got := metricsAddrURL(addr); got != want {
			t.Errorf("%q: %q, want %q", addr, got, want)
		}
	}
	cfg := config.Config{MetricsAddr: "127.0.0.1:9455"}
	o, _, err := parseFlags(cfg, []string{"-targets", "http://127.0.0.1:9450"}, nil)
	if err != nil || len(o.Metrics) != 1 || o.Metrics[0] != "http://127.0.0.1:9455" {
		t.Errorf("one target: %v %v", o.Metrics, err)
	}
	o, _, _ = parseFlags(cfg, []string{"-targets", "http://a:1,http://b:2"}, nil)
	if len(o.Metrics) != 0 {
		t.Errorf("two targets guessed %v", o.Metrics)
	}
	o, _, _ = parseFlags(cfg, []string{"-targets", "http://a:1,http://b:2", "-metrics", "http://a:9,http://b:9"}, nil)
	if len(o.Metrics) != 2 || len(metricsURLs(o)) != 2 || metricsURLs(o)[1] != "http://b:9/metrics" {
		t.Errorf("given: %v", o.Metrics)
	}
}
