package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The servers' memory. Each replica's Prometheus metrics (its metrics
// listener, KAIDIAN_METRICS_ADDR, or the main listener with the metrics
// token) include process_resident_memory_bytes, the RSS the kernel counts
// for the process, and go_memstats_heap_inuse_bytes. The run samples them
// once a second while it runs and reports, per scenario, the RSS at the end
// (server_rss_mb, the largest over the replicas) and the largest sampled
// (server_rss_max_mb). A replica whose metrics cannot be read is noted and
// checks nothing: memory is a figure, not a correctness check.

// memorySample is one reading of a replica's memory.
type memorySample struct {
	rss, heapInUse float64 // bytes
	cpu            float64 // process_cpu_seconds_total (cpu.go)
	hasCPU         bool
}

// memoryWatch samples the replicas' memory until stopped.
type memoryWatch struct {
	urls  []string // one per target; "" for a replica that cannot be read
	token string
	hc    *http.Client
	mu    sync.Mutex
	max   []float64 // largest RSS sampled, per replica
	stop  chan struct{}
	done  chan struct{}
}

// metricsURLs pairs each target with where its metrics are read: the i-th
// of Options.Metrics, else the target itself when a metrics token is given.
func metricsURLs(o Options) []string {
	urls := make([]string, len(o.Targets))
	for i, t := range o.Targets {
		switch {
		case i < len(o.Metrics) && o.Metrics[i] != "":
			urls[i] = strings.TrimRight(o.Metrics[i], "/") + "/metrics"
		case o.MetricsToken != "":
			urls[i] = t + "/metrics"
		}
	}
	return urls
}

// watchMemory starts sampling, once a second, while the scenario runs.
func (l *load) watchMemory(ctx context.Context) *memoryWatch {
	urls := metricsURLs(l.o)
	if l.o.Scenario == "hello" { // the target is the baseline server, not Kaidian
		urls = make([]string, len(l.o.Targets))
	}
	w := &memoryWatch{urls: urls, token: l.o.MetricsToken, hc: &http.Client{Timeout: 5 * time.Second},
		max: make([]float64, len(l.o.Targets)), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			for i := range w.urls {
				if s, err := w.read(ctx, i); err == nil {
					w.mu.Lock()
					w.max[i] = max(w.max[i], s.rss)
					w.mu.Unlock()
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// report stops sampling and puts each replica's memory at the end of the
// scenario in the report.
func (w *memoryWatch) report(ctx context.Context, r *Report) {
	close(w.stop)
	<-w.done
	var end, peak float64
	var read []string
	for i, u := range w.urls {
		if u == "" && r.Scenario != "hello" {
			r.note("server memory of %s not read: give -metrics with its metrics listener's URL (or KAIDIAN_METRICS_TOKEN)", r.Targets[i])
		}
		if u == "" {
			continue
		}
		s, err := w.read(ctx, i)
		if err != nil {
			r.note("server memory of %s not read: %v", r.Targets[i], err)
			continue
		}
		w.mu.Lock()
		m := max(w.max[i], s.rss)
		w.mu.Unlock()
		end, peak = max(end, s.rss), max(peak, m)
		read = append(read, fmt.Sprintf("%s RSS %.1f MB (largest sampled %.1f MB), Go heap in use %.1f MB",
			r.Targets[i], s.rss/1e6, m/1e6, s.heapInUse/1e6))
	}
	if len(read) == 0 {
		return
	}
	r.figure("server_rss_mb", round1(end/1e6))
	r.figure("server_rss_max_mb", round1(peak/1e6))
	r.note("server memory at the end (process_resident_memory_bytes): %s", strings.Join(read, "; "))
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

// read fetches the i-th replica's metrics and picks out its memory.
func (w *memoryWatch) read(ctx context.Context, i int) (memorySample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.urls[i], nil)
	if err != nil {
		return memorySample{}, err
	}
	if w.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	res, err := w.hc.Do(req)
	if err != nil {
		return memorySample{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		io.Copy(io.Discard, res.Body)
		return memorySample{}, fmt.Errorf("%s answered %s", w.urls[i], res.Status)
	}
	return parseMemory(res.Body)
}

// parseMemory reads the two gauges, and the CPU counter cpu.go uses, from
// Prometheus's text format.
func parseMemory(r io.Reader) (memorySample, error) {
	var s memorySample
	found := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		var dst *float64
		switch name {
		case "process_resident_memory_bytes":
			dst, found = &s.rss, true
		case "go_memstats_heap_inuse_bytes":
			dst = &s.heapInUse
		case "process_cpu_seconds_total":
			dst, s.hasCPU = &s.cpu, true
		default:
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return s, fmt.Errorf("metrics: %s: %w", name, err)
		}
		*dst = v
	}
	if err := sc.Err(); err != nil {
		return s, err
	}
	if !found {
		return s, fmt.Errorf("metrics: no process_resident_memory_bytes (not Linux?)")
	}
	return s, nil
}

// metricsAddrURL is the URL of a metrics listener address as configured
// (KAIDIAN_METRICS_ADDR: "127.0.0.1:9090", ":9090", "0.0.0.0:9090"), reached
// from this machine; "" when it is off.
func metricsAddrURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if addr == "" || err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
