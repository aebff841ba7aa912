package console

import (
	"strings"

	"github.com/kaidian/kaidian/internal/i18n"
)

// sourceName writes a source reference ("channel:AB12CD", "promoter:…",
// "share:42", "unknown", "" direct) in the reader's words, with the
// channel's or promoter's name when it is known (name may be empty).
func sourceName(p *i18n.Printer, src, name string) string {
	kind, code, _ := strings.Cut(src, ":")
	switch {
	case src == "":
		return p.T("console.source.direct")
	case src == "unknown":
		return p.T("console.source.unknown")
	case src == "share":
		return p.T("console.source.shares")
	case kind == "share":
		return p.T("console.source.share", "id", code)
	case kind == "channel" && name != "":
		return p.T("console.source.channel_named", "name", name, "code", code)
	case kind == "channel":
		return p.T("console.source.channel", "code", code)
	case kind == "promoter" && name != "":
		return p.T("console.source.promoter_named", "name", name, "code", code)
	case kind == "promoter":
		return p.T("console.source.promoter", "code", code)
	}
	return src
}
