package console

import (
	"encoding/csv"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/money"
)

// giftCardLedgerColumns are the ledger CSV's columns by their stable
// English names (the header with ?headers=en); people get them in their
// language ("giftcard.export.<name>").
var giftCardLedgerColumns = []string{"entry_id", "created_at", "shopper_id", "kind", "amount", "card_id", "order_id"}

// giftCardLedgerExport: GET /console/gift-cards/ledger.csv[?headers=en] —
// every balance ledger entry, oldest first, for finance: amounts in yuan
// (+ in, − out; their sum per shopper is the balance), times China's, with
// a UTF-8 byte-order mark so Excel reads the Chinese.
func (h *handlers) giftCardLedgerExport(c *gin.Context) {
	p, forTools := httpx.Printer(c), c.Query("headers") == "en"
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="gift-card-ledger.csv"`)
	if _, err := c.Writer.WriteString("\uFEFF"); err != nil {
		return
	}
	w := csv.NewWriter(c.Writer)
	header := giftCardLedgerColumns
	if !forTools {
		header = make([]string, len(giftCardLedgerColumns))
		for i, col := range giftCardLedgerColumns {
			header[i] = p.Enum("giftcard.export", col)
		}
	}
	_ = w.Write(header)
	ref := func(id *int64) string {
		if id == nil {
			return ""
		}
		return strconv.FormatInt(*id, 10)
	}
	err := h.d.GiftCards.EachEntry(c.Request.Context(), func(e giftcard.Entry) error {
		kind := e.Kind
		if !forTools {
			kind = p.T(e.Label())
		}
		return w.Write([]string{strconv.FormatInt(e.ID, 10), e.CreatedAt.In(clock.China).Format("2006-01-02 15:04:05"),
			strconv.FormatInt(e.ShopperID, 10), kind, money.Decimal(e.Amount), ref(e.CardID), ref(e.OrderID)})
	})
	w.Flush()
	if err != nil {
		_ = c.Error(err) // the header is sent: the export ends short, and the error is logged
	}
}
