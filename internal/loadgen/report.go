package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Report is the outcome of one scenario run: the headline figures, every
// step, the answers that were not 2xx, and the correctness checks. It is
// what -json prints.
type Report struct {
	Scenario    string   `json:"scenario"`
	Targets     []string `json:"targets"`
	Shoppers    int      `json:"shoppers"`
	Concurrency int      `json:"concurrency"`
	// CatalogCache is the targets' KAIDIAN_CATALOG_CACHE_TTL as their
	// /readyz says it: "off", "1s" …, "" when they do not say.
	CatalogCache string `json:"catalog_cache,omitempty"`
	// Seconds is the wall time of the timed part (setup excluded).
	Seconds float64 `json:"seconds"`
	// Total merges the scenario's headline requests (for flash: the order
	// POSTs of the race; for checkout: every request of every loop).
	Total Step   `json:"total"`
	Steps []Step `json:"steps"`
	// Figures are the scenario's own numbers (loops_per_s, accepted_per_s, …).
	Figures map[string]float64 `json:"figures"`
	Notes   []string           `json:"notes,omitempty"`
	Checks  []Check            `json:"checks"`
	OK      bool               `json:"ok"`
}

// Check is one correctness check. Skipped ones could not run (e.g. no
// database to read) and say why; they neither pass nor fail the run.
type Check struct {
	Name    string `json:"name"`
	Pass    bool   `json:"pass"`
	Skipped bool   `json:"skipped,omitempty"`
	Detail  string `json:"detail"`
}

// check appends a check that passes when pass is true.
func (r *Report) check(name string, pass bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Pass: pass, Detail: fmt.Sprintf(format, args...)})
}

// skip appends a check that could not run.
func (r *Report) skip(name, why string) {
	r.Checks = append(r.Checks, Check{Name: name, Skipped: true, Detail: why})
}

func (r *Report) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

func (r *Report) figure(name string, v float64) {
	if r.Figures == nil {
		r.Figures = map[string]float64{}
	}
	r.Figures[name] = v
}

// Failed lists the checks that failed.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Pass && !c.Skipped {
			out = append(out, c)
		}
	}
	return out
}

// Check returns the named check (for tests), or false.
func (r *Report) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// finish fills the summary from the recorder once the timed part is over.
func (r *Report) finish(rec *recorder, elapsed time.Duration, headline ...string) {
	r.Seconds = elapsed.Seconds()
	r.Steps = rec.stepsOver(elapsed)
	r.Total = rec.total(elapsed, headline...)
}

// addSteps appends the steps of a later phase, with rates over its own wall time.
func (r *Report) addSteps(rec *recorder, elapsed time.Duration) {
	r.Steps = append(r.Steps, rec.stepsOver(elapsed)...)
}

// settle marks the report OK when no check failed.
func (r *Report) settle() { r.OK = len(r.Failed()) == 0 }

// WriteJSON prints the report as one JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText prints the report for people.
func (r *Report) WriteText(w io.Writer) {
	cache := ""
	if r.CatalogCache != "" {
		cache = " (cache=" + r.CatalogCache + ")"
	}
	fmt.Fprintf(w, "scenario %s against %s%s: %d shoppers, concurrency %d, %.2fs\n",
		r.Scenario, strings.Join(r.Targets, ", "), cache, r.Shoppers, r.Concurrency, r.Seconds)
	fmt.Fprintf(w, "  %-14s %8d req  %9.1f/s  p50 %7.2fms  p90 %7.2fms  p99 %7.2fms  max %7.2fms\n",
		"total", r.Total.Count, r.Total.PerSecond, r.Total.Latency.P50, r.Total.Latency.P90, r.Total.Latency.P99, r.Total.Latency.Max)
	for _, s := range r.Steps {
		fmt.Fprintf(w, "  %-14s %8d req  %9.1f/s  p50 %7.2fms  p90 %7.2fms  p99 %7.2fms  max %7.2fms\n",
			s.Name, s.Count, s.PerSecond, s.Latency.P50, s.Latency.P90, s.Latency.P99, s.Latency.Max)
		for _, k := range slices.Sorted(maps.Keys(s.Answers)) {
			fmt.Fprintf(w, "  %-14s   %6d × %s\n", "", s.Answers[k], k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Figures)) {
		fmt.Fprintf(w, "  %s = %g\n", k, r.Figures[k])
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	for _, c := range r.Checks {
		verdict := "PASS"
		switch {
		case c.Skipped:
			verdict = "SKIP"
		case !c.Pass:
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "%s %s: %s\n", verdict, c.Name, c.Detail)
	}
}
