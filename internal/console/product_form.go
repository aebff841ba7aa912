package console

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/review"
)

// productData is what product_form.html shows besides the typed values.
type productData struct {
	ID         int64 // 0 while creating
	Categories []categoryOption
	Images     []string // kept and uploaded images, the main one first
	Dims       []dimRow // MaxSpecDims rows, those in use first
	Rows       []skuRow // the SKU grid: one row per combination of Dims
	Retired    []catalog.SKU
	CodeBase   string // new rows' suggested codes are CodeBase-1, CodeBase-2, …
	Notice     string
	MaxImages  int
	Reviews    *review.Summary // the product's visible reviews; nil on a new product
}

// dimRow is one spec dimension as typed: its name and its values, comma separated.
type dimRow struct {
	Index        int
	Name, Values string
}

// skuRow is one row of the SKU grid, its fields as typed.
type skuRow struct {
	Index          int
	Spec           []string
	ID             int64 // the stored SKU with this combination, 0 for a new one
	Reserved, Sold int64
	Code, Price    string
	OriginalPrice  string
	Stock          string
	StockSeen      string // the stock this form showed, for a stored SKU
	Image          string
	OnSale         bool
}

// Field is the form name of one of the row's inputs, e.g. skus[2].price,
// which is also the field the catalog names in its errors.
func (r skuRow) Field(name string) string { return fmt.Sprintf("skus[%d].%s", r.Index, name) }

// SpecJSON carries the row's combination through the form.
func (r skuRow) SpecJSON() string {
	b, _ := json.Marshal(r.Spec)
	return string(b)
}

// SpecText is the row's combination as the merchant reads it.
func (r skuRow) SpecText() string { return catalog.SpecText(r.Spec) }

func (r skuRow) key() string { return strings.Join(r.Spec, "\x00") }

// readDims reads the spec dimension rows of the form, skipping blank ones,
// so that errors on spec_dims[i] name the rows as they are shown again.
func readDims(v url.Values) []catalog.SpecDim {
	var dims []catalog.SpecDim
	for i := range catalog.MaxSpecDims {
		name := strings.TrimSpace(v.Get(fmt.Sprintf("spec_dims[%d].name", i)))
		values := splitValues(v.Get(fmt.Sprintf("spec_dims[%d].values", i)))
		if name != "" || len(values) > 0 {
			dims = append(dims, catalog.SpecDim{Name: name, Values: values})
		}
	}
	return dims
}

// splitValues reads "红, 蓝，绿、黑" as four values: merchants type
// Chinese and Western commas alike.
func splitValues(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，、;；\n", r) })
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dimRows lays dims out as the form's MaxSpecDims rows.
func dimRows(dims []catalog.SpecDim) []dimRow {
	rows := make([]dimRow, catalog.MaxSpecDims)
	for i := range rows {
		rows[i].Index = i
		if i < len(dims) {
			rows[i].Name, rows[i].Values = dims[i].Name, strings.Join(dims[i].Values, ", ")
		}
	}
	return rows
}

// readRows reads the SKU grid as posted.
func readRows(v url.Values) []skuRow {
	var rows []skuRow
	for i := 0; i <= catalog.MaxSKUs; i++ {
		r := skuRow{Index: i}
		spec, ok := v[r.Field("spec")]
		if !ok {
			break
		}
		if json.Unmarshal([]byte(spec[0]), &r.Spec) != nil {
			continue // not a row this form wrote; the grid is rebuilt without it
		}
		r.Code, r.Price, r.OriginalPrice = v.Get(r.Field("code")), v.Get(r.Field("price")), v.Get(r.Field("original_price"))
		r.Stock, r.StockSeen, r.Image = v.Get(r.Field("stock")), v.Get(r.Field("stock_seen")), v.Get(r.Field("image"))
		r.OnSale = v.Get(r.Field("on_sale")) != ""
		rows = append(rows, r)
	}
	return rows
}

// syncGrid returns the grid of dims: one row per combination, in order,
// each with what was typed in rows for that combination. Combinations
// without a row get a suggested code, the first row's price and onSale. It
// reports whether the grid differs from rows (dimensions were changed).
func syncGrid(dims []catalog.SpecDim, rows []skuRow, codeBase string, onSale bool) ([]skuRow, bool) {
	typed := make(map[string]skuRow, len(rows))
	for _, r := range rows {
		typed[r.key()] = r
	}
	combos := catalog.Combinations(dims)
	taken := map[string]bool{} // codes of the rows the grid keeps
	for _, combo := range combos {
		if r, ok := typed[skuRow{Spec: combo}.key()]; ok {
			taken[strings.TrimSpace(r.Code)] = true
		}
	}
	out := make([]skuRow, 0, len(combos))
	changed := len(combos) != len(rows)
	n := 0
	for i, combo := range combos {
		r, ok := typed[skuRow{Spec: combo}.key()]
		if !ok {
			r = skuRow{Spec: combo, Stock: "0", OnSale: onSale}
			if len(rows) > 0 {
				r.Price = rows[0].Price
			}
			for r.Code == "" || taken[r.Code] {
				n++
				r.Code = fmt.Sprintf("%s-%d", codeBase, n)
			}
			taken[r.Code] = true
		}
		changed = changed || i >= len(rows) || rows[i].key() != r.key()
		r.Index = i
		out = append(out, r)
	}
	return out, changed
}

// annotate marks the rows whose combination is stored with their SKU's id
// and held and sold units. A row the grid just added for a stored
// combination (one an earlier edit removed, now back) shows that SKU's
// code, prices and stock rather than suggestions, since saving revives it.
func annotate(rows []skuRow, stored []catalog.SKU) {
	byKey := make(map[string]catalog.SKU, len(stored))
	for _, k := range stored {
		byKey[skuRow{Spec: k.SpecValues.V}.key()] = k
	}
	for i, r := range rows {
		k, ok := byKey[r.key()]
		if !ok {
			continue
		}
		if r.ID == 0 && r.StockSeen == "" {
			revived := storedRows([]catalog.SKU{k})[0]
			revived.Index, revived.OnSale = r.Index, r.OnSale
			r = revived
		}
		r.ID, r.Reserved, r.Sold = k.ID, k.Reserved, k.Sold
		rows[i] = r
	}
}

// storedRows are a stored product's current SKUs as grid rows.
func storedRows(skus []catalog.SKU) []skuRow {
	rows := make([]skuRow, len(skus))
	for i, k := range skus {
		stock := strconv.FormatInt(k.Stock, 10)
		rows[i] = skuRow{Index: i, Spec: k.SpecValues.V, Code: k.Code, Price: money.Decimal(k.Price), Stock: stock,
			StockSeen: stock, Image: k.Image, OnSale: k.OnSale}
		if k.OriginalPrice > 0 {
			rows[i].OriginalPrice = money.Decimal(k.OriginalPrice)
		}
	}
	return rows
}

var codeBasePattern = regexp.MustCompile(`^[A-Z0-9]{1,12}$`)

// codeBase is the prefix of suggested SKU codes: P<id> for a stored
// product; for a new one, the base the form already carries, or a fresh one.
func codeBase(productID int64, posted string) string {
	if productID > 0 {
		return "P" + strconv.FormatInt(productID, 10)
	}
	if codeBasePattern.MatchString(posted) {
		return posted
	}
	b := make([]byte, 3)
	rand.Read(b)
	return "N" + strings.ToUpper(hex.EncodeToString(b))
}

// keptImages are the images the form keeps (their boxes left ticked), the
// chosen main image first, then the ones just uploaded.
func keptImages(v url.Values, uploaded []string) []string {
	kept := slices.Clone(v["images"])
	if main := v.Get("main_image"); main != "" {
		if i := slices.Index(kept, main); i > 0 {
			kept = append([]string{main}, slices.Delete(kept, i, i+1)...)
		}
	}
	return append(kept, uploaded...)
}

// productForm is a posted product form read into its parts: the images
// kept and uploaded, the spec dimensions and the SKU grid, which follows the
// dimensions (Regrid when it had to change, or the merchant asked for it).
type productForm struct {
	*Form
	Images    []string
	CodeBase  string
	Dims      []catalog.SpecDim
	Rows      []skuRow
	Regrid    bool  // show the rebuilt grid again rather than store it
	dimsErr   error // the dimensions are invalid, so the grid was not rebuilt
	uploadErr error // an upload was refused
}

// readProductForm reads the form of product id (0: a new one). uploaded and
// uploadErr are what storeUploads made of its files; stored are the
// product's SKUs as saved, to show each row's stock.
func readProductForm(f *Form, id int64, uploaded []string, uploadErr error, stored []catalog.SKU) *productForm {
	pf := &productForm{Form: f, Images: keptImages(f.Values, uploaded), CodeBase: codeBase(id, f.Get("code_base")),
		Dims: readDims(f.Values), Rows: readRows(f.Values), uploadErr: uploadErr}
	if pf.dimsErr = catalog.ValidateSpecDims(pf.Dims); pf.dimsErr != nil {
		return pf
	}
	pf.Rows, pf.Regrid = syncGrid(pf.Dims, pf.Rows, pf.CodeBase, true)
	annotate(pf.Rows, stored)
	pf.Regrid = pf.Regrid || f.Get("action") == "grid"
	return pf
}

// Validate returns the product to store, or the first error to show: the
// dimensions, then a refused upload, then the fields. A form to show again
// with its rebuilt grid (Regrid) is not validated further.
func (pf *productForm) Validate() (catalog.NewProduct, error) {
	switch {
	case pf.dimsErr != nil:
		return catalog.NewProduct{}, pf.dimsErr
	case pf.uploadErr != nil:
		return catalog.NewProduct{}, pf.uploadErr
	case pf.Regrid:
		return catalog.NewProduct{}, nil
	}
	return productInput(pf.Form, pf.Images, pf.Dims, pf.Rows)
}

// productInput turns the form into the product the catalog stores.
func productInput(f *Form, images []string, dims []catalog.SpecDim, rows []skuRow) (catalog.NewProduct, error) {
	np := catalog.NewProduct{Title: f.Get("title"), Subtitle: f.Get("subtitle"), Description: f.Get("description"),
		Images: images, SpecDims: dims, OffShelf: f.Get("on_shelf") == ""}
	var err error
	if np.CategoryID, err = strconv.ParseInt(f.Get("category_id"), 10, 64); err != nil {
		return np, errs.Field("category_id", "console.category_choose")
	}
	for _, r := range rows {
		k := catalog.NewSKU{Code: r.Code, SpecValues: r.Spec, Image: r.Image, OffSale: !r.OnSale}
		if k.Price, err = parseFen(r.Field("price"), r.Price); err != nil {
			return np, err
		}
		if strings.TrimSpace(r.OriginalPrice) != "" {
			if k.OriginalPrice, err = parseFen(r.Field("original_price"), r.OriginalPrice); err != nil {
				return np, err
			}
		}
		if k.Stock, err = parseCount(r.Field("stock"), r.Stock); err != nil {
			return np, err
		}
		if r.StockSeen != "" {
			if k.StockSeen, err = parseCount(r.Field("stock"), r.StockSeen); err != nil {
				return np, err
			}
		}
		np.SKUs = append(np.SKUs, k)
	}
	return np, nil
}

// parseCount reads a whole number of units; blank is zero.
func parseCount(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 1_000_000_000 {
		return 0, errs.Field(field, "console.units")
	}
	return n, nil
}
