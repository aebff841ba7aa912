package loadgen

import (
	"net/http"
	"strings"
	"testing"
)

func TestBrowse(t *testing.T) {
	e := shop(t)
	e.Product(t) // a second product, in a second category
	r := run(t, options(e, "browse"))
	requirePass(t, r)
	// -requests is an exact bound on the timed part.
	if r.Total.Count != 60 {
		t.Fatalf("%d requests, want the 60 asked for", r.Total.Count)
	}
	steps := map[string]bool{}
	for _, s := range r.Steps {
		steps[s.Name] = s.Count > 0
	}
	for _, want := range []string{"list", "list_category", "list_cursor", "detail"} {
		if !steps[want] {
			t.Errorf("no %s requests: %+v", want, r.Steps)
		}
	}
}

// A replica answering some product details with 503 fails the run, and the
// answers name the status and error code.
func TestBrowseReportsErrors(t *testing.T) {
	e := shop(t)
	o := options(e, "browse")
	o.Targets = []string{e.URL, faulty(t, e.URL, 3, func(r *http.Request) bool {
		return strings.HasPrefix(r.URL.Path, "/api/v1/products/")
	})}
	r := run(t, o)
	requireFail(t, r.Checks, "browse answered 200")
	if r.Total.Answers["503 unavailable"] == 0 || r.OK {
		t.Fatalf("answers %v, ok %t", r.Total.Answers, r.OK)
	}
}
