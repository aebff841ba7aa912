package console

import (
	"fmt"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
)

func TestSyncGrid(t *testing.T) {
	color := catalog.SpecDim{Name: "颜色", Values: []string{"红", "蓝"}}
	size := catalog.SpecDim{Name: "尺码", Values: []string{"S", "M"}}
	// A new product's single row becomes a grid: its code is free again, its price the default.
	rows, changed := syncGrid([]catalog.SpecDim{color}, []skuRow{{Spec: []string{}, Code: "N1-1", Price: "9.90"}}, "N1", true)
	if !changed || fmt.Sprint(codes(rows)) != "[N1-1 N1-2]" || rows[1].Price != "9.90" || !rows[1].OnSale || rows[1].Index != 1 {
		t.Fatalf("first grid: %+v", rows)
	}
	// Typed rows survive a new dimension only where their combination does (none here),
	// and survive unchanged dimensions as typed.
	typed := []skuRow{{Spec: []string{"红"}, Code: "R", Price: "1"}, {Spec: []string{"蓝"}, Code: "B", Price: "2", OnSale: true}}
	if same, changed := syncGrid([]catalog.SpecDim{color}, typed, "P9", true); changed || same[1].Code != "B" || same[0].Price != "1" {
		t.Fatalf("unchanged dims: %v %+v", changed, same)
	}
	rows, changed = syncGrid([]catalog.SpecDim{color, size}, typed, "P9", false)
	if !changed || len(rows) != 4 || fmt.Sprint(codes(rows)) != "[P9-1 P9-2 P9-3 P9-4]" || rows[3].OnSale || rows[3].Price != "1" {
		t.Fatalf("added dimension: %+v", rows)
	}
	// Dropping a value keeps the other rows as typed, in grid order.
	rows, changed = syncGrid([]catalog.SpecDim{{Name: "颜色", Values: []string{"蓝"}}}, typed, "P9", true)
	if !changed || len(rows) != 1 || rows[0].Code != "B" || rows[0].Index != 0 {
		t.Fatalf("dropped value: %+v", rows)
	}
}

func codes(rows []skuRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Code)
	}
	return out
}

func TestSplitValuesAndKeptImages(t *testing.T) {
	if got := fmt.Sprint(splitValues(" 红，蓝、绿 ,, 黑;白 ")); got != "[红 蓝 绿 黑 白]" {
		t.Fatalf("split = %s", got)
	}
	v := map[string][]string{"images": {"/a.png", "/b.png", "/c.png"}, "main_image": {"/c.png"}}
	if got := fmt.Sprint(keptImages(v, []string{"/uploads/d.png"})); got != "[/c.png /a.png /b.png /uploads/d.png]" {
		t.Fatalf("kept = %s", got)
	}
}
