package loadgen

import (
	"context"
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
	for _, want := range []string{"list", "list_category", "list_cursor", "list_search", "detail"} {
		if !steps[want] {
			t.Errorf("no %s requests: %+v", want, r.Steps)
		}
	}
}

// -browse-step runs one kind of request alone, to set it beside the
// hello-world baseline.
func TestBrowseOneStep(t *testing.T) {
	e := shop(t)
	for _, step := range []string{"detail", "list_search"} {
		o := options(e, "browse")
		o.BrowseStep = step
		r := run(t, o)
		requirePass(t, r)
		if len(r.Steps) != 1 || r.Steps[0].Name != step || r.Total.Count != 60 {
			t.Errorf("%s: steps %+v, total %d", step, r.Steps, r.Total.Count)
		}
	}
	o := options(e, "browse")
	o.BrowseStep = "checkout"
	if _, err := Run(context.Background(), o); err == nil {
		t.Error("an unknown -browse-step ran")
	}
}

func TestSearchTerm(t *testing.T) {
	titles := []string{"纯棉T恤", "a"}
	for range 200 {
		q := searchTerm(titles)
		if !strings.Contains(titles[0], q) && !strings.Contains(titles[1], q) {
			t.Fatalf("%q is in no title", q)
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

// pages walks every everyday page of issue 15 with logged-in shoppers who
// have favourites and footprints, and every one answers 200.
func TestPages(t *testing.T) {
	e := shop(t)
	e.Product(t)
	o := options(e, "pages")
	o.Requests = 80
	r := run(t, o)
	requirePass(t, r)
	steps := map[string]int64{}
	for _, s := range r.Steps {
		steps[s.Name] = s.Count
	}
	for _, want := range pagesSteps {
		if steps[want] == 0 {
			t.Errorf("no %s requests: %+v", want, r.Steps)
		}
	}
	o.PagesStep = "footprints"
	o.Rate = 200
	o.Requests = 20
	if r := run(t, o); len(r.Steps) != 1 || r.Steps[0].Name != "footprints" || r.Total.Count != 20 {
		t.Errorf("-pages-step footprints at -rate 200: %+v", r.Steps)
	}
}
