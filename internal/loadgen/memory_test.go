package loadgen

import (
	"runtime"
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
	s, err := parseMemory(strings.NewReader("# HELP x\ngo_memstats_heap_inuse_bytes 2.3650304e+07\nprocess_cpu_seconds_total 12.34\nprocess_resident_memory_bytes 6.7637248e+07\n"))
	if err != nil || s.rss != 67637248 || s.heapInUse != 23650304 || !s.hasCPU || s.cpu != 12.34 {
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

// The report gives the server's CPU over the timed part and per loop, read
// from process_cpu_seconds_total; without the metrics it says so and leaves
// the figures out rather than report a zero.
func TestReportsServerCPU(t *testing.T) {
	e := shop(t)
	o := options(e, "checkout")
	o.Requests = 6 * requestsPerLoop
	o.Metrics = []string{e.MetricsURL}
	r := run(t, o)
	requirePass(t, r)
	// The test's process is the server, the sandbox and the generator at
	// once: six loops take tens of milliseconds of its CPU at least, and
	// the process cannot have used more than its cores over the run.
	secs, perLoop := r.Figures["server_cpu_s"], r.Figures["server_cpu_ms_per_loop"]
	if secs <= 0 || secs > r.Seconds*float64(runtime.NumCPU())+0.1 {
		t.Fatalf("server_cpu_s = %v over %.2fs", secs, r.Seconds)
	}
	if want := secs * 1000 / 6; perLoop < want*0.99 || perLoop > want*1.01 {
		t.Errorf("server_cpu_ms_per_loop = %v, want %v (6 loops)", perLoop, want)
	}
	if !strings.Contains(strings.Join(r.Notes, "\n"), "ms per loop over 6") {
		t.Errorf("no CPU note: %q", r.Notes)
	}

	o = options(e, "checkout")
	o.Requests = 2 * requestsPerLoop
	r = run(t, o)
	if _, ok := r.Figures["server_cpu_s"]; ok || !strings.Contains(strings.Join(r.Notes, "\n"), "server CPU not read") {
		t.Errorf("without -metrics: figures %v, notes %q", r.Figures, r.Notes)
	}
}
