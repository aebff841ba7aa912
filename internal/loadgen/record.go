package loadgen

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// recorder collects, per named step, how long every request took and what
// came back other than a 2xx. One mutex is enough: at the tens of thousands
// of requests per second two cores can make, an append under a lock costs
// far less than the request it records.
type recorder struct {
	mu    sync.Mutex
	steps map[string]*series
	order []string // steps in the order first seen, for a stable report
}

type series struct {
	took    []time.Duration
	answers map[string]int64 // "409 sold_out", "0 transport" → count
	first   time.Time        // when the first request of the step started
	last    time.Time        // when the last one ended
}

func newRecorder() *recorder { return &recorder{steps: map[string]*series{}} }

// add records one answered (or failed) request under step.
func (r *recorder) add(step string, a answer) {
	end := time.Now()
	r.mu.Lock()
	s := r.series(step)
	s.took = append(s.took, a.took)
	if k := a.key(); k != "" {
		s.answers[k]++
	}
	if start := end.Add(-a.took); s.first.IsZero() || start.Before(s.first) {
		s.first = start
	}
	if end.After(s.last) {
		s.last = end
	}
	r.mu.Unlock()
}

// time records a duration that is not one request (a whole checkout loop).
func (r *recorder) time(step string, d time.Duration) {
	r.add(step, answer{status: 200, took: d})
}

func (r *recorder) series(step string) *series {
	s, ok := r.steps[step]
	if !ok {
		s = &series{answers: map[string]int64{}}
		r.steps[step] = s
		r.order = append(r.order, step)
	}
	return s
}

// count is how many requests step recorded.
func (r *recorder) count(step string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.steps[step]; ok {
		return int64(len(s.took))
	}
	return 0
}

// answers is how often step got the answer key (e.g. "409 sold_out").
func (r *recorder) answers(step, key string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.steps[step]; ok {
		return s.answers[key]
	}
	return 0
}

// Latency is a latency distribution in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Step is what one kind of request (or one timed loop) did.
type Step struct {
	Name      string           `json:"name"`
	Count     int64            `json:"count"`
	PerSecond float64          `json:"per_second"` // count over the timed part's wall time
	Latency   Latency          `json:"latency_ms"`
	Answers   map[string]int64 `json:"answers,omitempty"` // non-2xx answers and transport errors
}

// steps summarises every recorded step over the wall time elapsed.
func (r *recorder) stepsOver(elapsed time.Duration) []Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Step, 0, len(r.order))
	for _, name := range r.order {
		s := r.steps[name]
		out = append(out, Step{Name: name, Count: int64(len(s.took)), PerSecond: perSecond(int64(len(s.took)), elapsed),
			Latency: latencyOf(s.took), Answers: copyMap(s.answers)})
	}
	return out
}

// total merges the named steps into one: the scenario's headline figures.
func (r *recorder) total(elapsed time.Duration, names ...string) Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	var took []time.Duration
	answers := map[string]int64{}
	for _, n := range names {
		if s, ok := r.steps[n]; ok {
			took = append(took, s.took...)
			for k, v := range s.answers {
				answers[k] += v
			}
		}
	}
	return Step{Name: "total", Count: int64(len(took)), PerSecond: perSecond(int64(len(took)), elapsed),
		Latency: latencyOf(took), Answers: answers}
}

// latencyOf sorts took in place and reads its percentiles (nearest rank).
func latencyOf(took []time.Duration) Latency {
	if len(took) == 0 {
		return Latency{}
	}
	slices.Sort(took)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(took)))) - 1
		return ms(took[max(i, 0)])
	}
	return Latency{P50: rank(0.50), P90: rank(0.90), P99: rank(0.99), Max: ms(took[len(took)-1])}
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

func perSecond(n int64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return math.Round(float64(n)/elapsed.Seconds()*10) / 10
}

func copyMap(m map[string]int64) map[string]int64 {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// answerKey names an answer for the error counts: HTTP status and error.code.
func answerKey(status int, code string) string {
	if code == "" {
		return fmt.Sprint(status)
	}
	return fmt.Sprintf("%d %s", status, code)
}
