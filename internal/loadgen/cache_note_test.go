package loadgen

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// The report says whether the shop answered from its catalog cache, as
// the shop's /readyz tells it, in the header and in the JSON; two replicas
// that disagree are both named.
func TestReportSaysCatalogCache(t *testing.T) {
	off := shop(t)
	on := shop(t, apptest.WithCatalogCache(time.Second))
	for _, tc := range []struct {
		targets []string
		want    string
	}{
		{[]string{off.URL}, "off"},
		{[]string{on.URL}, "1s"},
		{[]string{on.URL, off.URL}, "1s,off"},
	} {
		o := options(off, "browse")
		o.Targets, o.Requests = tc.targets, 16
		r := run(t, o)
		requirePass(t, r)
		var text bytes.Buffer
		r.WriteText(&text)
		header, _, _ := strings.Cut(text.String(), "\n")
		if r.CatalogCache != tc.want || !strings.Contains(header, "(cache="+tc.want+")") {
			t.Errorf("%v: catalog_cache %q, header %q; want %s", tc.targets, r.CatalogCache, header, tc.want)
		}
	}
}
