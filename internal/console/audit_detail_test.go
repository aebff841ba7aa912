package console_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/staff"
)

// The audit page writes each entry's detail in the reader's language, from
// the message kept when the change was made; an entry written as plain
// text before details were kept as messages still shows as it was.
func TestAuditDetailsInTheReadersLanguage(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	err := e.App.Audit.Record(ctx, "staff:9:old", "sku.price", "sku", 7, i18n.Text("CUP-1: ¥29.90 → ¥25.00"))
	if err != nil {
		t.Fatal(err)
	}
	detail := i18n.M("record.audit.sku_price", "sku", i18n.M("record.audit.sku_label", "code", "CUP-2", "spec", "红色"),
		"from", "¥10.00", "to", "¥12.50")
	if err := e.App.Audit.Record(ctx, "staff:9:old", "sku.price", "sku", 8, detail); err != nil {
		t.Fatal(err)
	}
	// A row from before: the detail column holds the English text itself.
	if err := e.App.DB.Conn(ctx).Exec(`UPDATE audit_log SET detail = 'MUG-1: on sale → off sale' WHERE subject_id = '7'`).Error; err != nil {
		t.Fatal(err)
	}

	owner := e.SignIn(t, "boss", staff.RoleOwner)
	zh := owner.Get("/console/audit?action=sku.price")
	if !zh.Has("CUP-2（红色）：售价 ¥10.00 → ¥12.50") || !zh.Has("MUG-1: on sale → off sale") {
		t.Fatalf("Chinese audit page:\n%s", zh.Body)
	}
	owner.Lang = "en"
	en := owner.Get("/console/audit?action=sku.price")
	if !en.Has(i18n.For(i18n.En).Msg(detail)) || !en.Has("CUP-2 (红色): ¥10.00 → ¥12.50") || !en.Has("MUG-1: on sale → off sale") {
		t.Fatalf("English audit page:\n%s", en.Body)
	}
}
