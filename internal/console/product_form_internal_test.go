package console

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
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

// The product form reports its first problem in the order the page shows
// them: the dimensions, then a refused upload, then a grid to check again,
// and only then the fields.
func TestProductFormValidateOrder(t *testing.T) {
	oneRow := url.Values{"title": {"T恤"}, "category_id": {"3"}, "skus[0].spec": {"[]"}, "skus[0].price": {"9.90"}}
	read := func(v url.Values, uploadErr error) *productForm {
		return readProductForm(NewForm(nil, v), 0, nil, uploadErr, nil)
	}
	np, err := read(oneRow, nil).Validate()
	if err != nil || np.Title != "T恤" || np.CategoryID != 3 || len(np.SKUs) != 1 || np.SKUs[0].Price != 990 {
		t.Fatalf("valid form: %+v %v", np, err)
	}
	refused := errs.Field("upload", "a.txt is not a JPEG, PNG, WebP or GIF image")
	badDims := cloneWith(oneRow, "spec_dims[0].values", "红") // values without a name
	if _, err := read(badDims, refused).Validate(); err == nil || errs.As(err).Details["field"] == "upload" {
		t.Fatalf("bad dimensions with a refused upload: %v", err)
	}
	regrid := cloneWith(oneRow, "spec_dims[0].name", "颜色", "spec_dims[0].values", "红, 蓝", "skus[0].price", "free")
	if _, err := read(regrid, refused).Validate(); err != refused {
		t.Fatalf("refused upload with a new grid: %v", err)
	}
	pf := read(regrid, nil)
	if _, err := pf.Validate(); err != nil || !pf.Regrid || len(pf.Rows) != 2 {
		t.Fatalf("new grid with a bad price: regrid %v, %d rows, %v", pf.Regrid, len(pf.Rows), err)
	}
	if _, err := read(cloneWith(oneRow, "skus[0].price", "free"), nil).Validate(); errs.As(err).Details["field"] != "skus[0].price" {
		t.Fatalf("bad price: %v", err)
	}
}

func cloneWith(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}
