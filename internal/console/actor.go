package console

import (
	"strings"

	"github.com/kaidian/kaidian/internal/i18n"
)

// actorName is how a page names who did something, from the actor strings
// the domain records: "staff:3:lily" is the account's username,
// "shopper:42" the shopper, "system" and "wechatpay" Kaidian itself and
// WeChat Pay. Anything else is shown as recorded.
func actorName(p *i18n.Printer, actor string) string {
	kind, rest, _ := strings.Cut(actor, ":")
	switch kind {
	case "staff":
		if _, username, ok := strings.Cut(rest, ":"); ok {
			return username
		}
	case "shopper":
		return p.T("console.actor.shopper", "n", rest)
	case "system":
		return p.T("console.actor.system")
	case "wechatpay":
		return p.T("console.actor.wechatpay")
	}
	return actor
}
