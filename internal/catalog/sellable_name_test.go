package catalog

import "testing"

func TestSellableName(t *testing.T) {
	if got := (Sellable{Title: "T恤", SpecText: "红色 / M"}).Name(); got != "T恤 · 红色 / M" {
		t.Fatalf("with specs: %q", got)
	}
	if got := (Sellable{Title: "茶杯"}).Name(); got != "茶杯" {
		t.Fatalf("without specs: %q", got)
	}
}
