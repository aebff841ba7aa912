package loadgen

import (
	"context"
	"slices"
	"strings"
)

// catalogCache asks every target's /readyz how long it reuses public
// catalog answers ("off", "1s" …), so a report never passes a run against
// cached answers for one against the database, or the other way round.
// Several targets that disagree read "1s,off"; a target that does not say
// (the hello-world baseline, an older Kaidian) adds nothing.
func (l *load) catalogCache(ctx context.Context) string {
	var seen []string
	for _, t := range l.o.Targets {
		var ready struct {
			CatalogCache string `json:"catalog_cache"`
		}
		if err := l.cl.call(ctx, "GET", t+"/readyz", "", nil, &ready); err != nil || ready.CatalogCache == "" {
			continue
		}
		if !slices.Contains(seen, ready.CatalogCache) {
			seen = append(seen, ready.CatalogCache)
		}
	}
	return strings.Join(seen, ",")
}
