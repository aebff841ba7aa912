package catalogio

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Summary is what an import file changes, as checked against the catalog.
type Summary struct {
	Rows          int
	NewCategories int
	NewProducts   int
	NewSKUs       int // in new products and added to existing ones
	UpdatedSKUs   int
	UnchangedSKUs int
}

// plan is a checked file: what to write, unit by unit, or the problems
// that stop it.
type plan struct {
	summary   Summary
	updates   []update         // rows whose code is a SKU's, in file order
	products  []newProduct     // codes no SKU has, under a title no product has
	additions []addition       // codes no SKU has, under the title of one product
	problems  []Problem        // sorted by line; any stops the whole file
	byName    map[string]int64 // category ids by name, for new products
}

// update is a row for an existing SKU.
type update struct {
	row row
	sku catalog.SKU // as read when checking; the write reads it again
}

// newProduct is a product to create, with one SKU per row.
type newProduct struct {
	np       catalog.NewProduct
	category string
	rows     []row
}

// addition is new SKUs for an existing product, one per row.
type addition struct {
	product catalog.Product
	skus    []catalog.NewSKU
	rows    []row
}

// check reads an import file and checks every row against the catalog,
// without writing: rows whose sku_code a SKU has update that SKU; other
// codes are new SKUs, grouped by product_title into a new product, or added
// to the one existing product with that title.
func (s *Service) check(ctx context.Context, text string) (plan, error) {
	rows, problems := parse(text)
	p := plan{problems: problems}
	if rows == nil {
		return p, nil
	}
	p.summary.Rows = len(rows) + len(problems)
	rows = p.dropRepeatedCodes(rows)
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	existing, err := s.catalog.SKUsByCode(ctx, codes)
	if err != nil {
		return p, err
	}
	var fresh []row
	for _, r := range rows {
		if k, ok := existing[r.Code]; ok {
			p.addUpdate(r, k)
		} else {
			fresh = append(fresh, r)
		}
	}
	if err := s.groupNew(ctx, &p, fresh); err != nil {
		return p, err
	}
	sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
	return p, nil
}

// dropRepeatedCodes reports every row whose code an earlier row has.
func (p *plan) dropRepeatedCodes(rows []row) []row {
	first := map[string]int{}
	out := rows[:0:0]
	for _, r := range rows {
		if line, dup := first[r.Code]; dup {
			p.fail(r, "", i18n.M("import.problem.repeated_code", "line", line))
			continue
		}
		first[r.Code] = r.Line
		out = append(out, r)
	}
	return out
}

// fail reports what is wrong with row r: in column col ("" for the row as
// a whole), msg.
func (p *plan) fail(r row, col string, msg i18n.Msg) {
	p.problems = append(p.problems, Problem{Line: r.Line, Code: r.Code, Column: col, Message: msg})
}

// addUpdate plans a row for an existing SKU: only the columns the row fills
// change, and only what differs counts as a change.
func (p *plan) addUpdate(r row, k catalog.SKU) {
	p.updates = append(p.updates, update{row: r, sku: k})
	offer, stock := target(r, k)
	if offer == currentOffer(k) && stock == k.Stock {
		p.summary.UnchangedSKUs++
	} else {
		p.summary.UpdatedSKUs++
	}
}

func currentOffer(k catalog.SKU) catalog.Offer {
	return catalog.Offer{Price: k.Price, OriginalPrice: k.OriginalPrice, OnSale: k.OnSale}
}

// target is what row r makes of SKU k: its offer and its stock.
func target(r row, k catalog.SKU) (catalog.Offer, int64) {
	o, stock := currentOffer(k), k.Stock
	if r.Price != nil {
		o.Price = *r.Price
	}
	if r.OriginalPrice != nil {
		o.OriginalPrice = *r.OriginalPrice
	}
	if r.OnSale != nil {
		o.OnSale = *r.OnSale
	}
	if r.Stock != nil {
		stock = *r.Stock
	}
	return o, stock
}

// groupNew plans the rows of new codes, grouped by product title.
func (s *Service) groupNew(ctx context.Context, p *plan, rows []row) error {
	var titles []string
	groups := map[string][]row{}
	for _, r := range rows {
		if r.Title == "" || r.Price == nil {
			if r.Title == "" {
				p.fail(r, ColTitle, i18n.M("import.problem.new_needs"))
			}
			if r.Price == nil {
				p.fail(r, ColPrice, i18n.M("import.problem.new_needs"))
			}
			continue
		}
		if _, seen := groups[r.Title]; !seen {
			titles = append(titles, r.Title)
		}
		groups[r.Title] = append(groups[r.Title], r)
	}
	if len(titles) == 0 {
		return nil
	}
	products, err := s.catalog.ProductsByTitle(ctx, titles)
	if err != nil {
		return err
	}
	cats, err := s.catalog.CategoriesByName(ctx)
	if err != nil {
		return err
	}
	p.byName = make(map[string]int64, len(cats))
	for name, c := range cats {
		p.byName[name] = c.ID
	}
	for _, title := range titles {
		switch same := products[title]; len(same) {
		case 0:
			p.planProduct(title, groups[title])
		case 1:
			p.planAddition(same[0], groups[title])
		default:
			for _, r := range groups[title] {
				p.fail(r, ColTitle, i18n.M("import.problem.ambiguous_title", "n", len(same), "title", title))
			}
		}
	}
	return nil
}

// planProduct plans a new product from the rows sharing its title: the
// first row names the category and the spec dimensions, which the other
// rows must repeat; the values of each dimension are collected in order.
func (p *plan) planProduct(title string, rows []row) {
	first := rows[0]
	category := first.Category
	if category == "" {
		p.fail(first, ColCategory, i18n.M("import.problem.category_required", "title", title))
		return
	}
	ok := true
	var names []string
	var skus []catalog.NewSKU
	seen := map[string]int{}
	for i, r := range rows {
		pairs, err := parseSpec(r.Spec)
		if err != nil {
			p.fail(r, ColSpec, cellMsg(err))
			ok = false
			continue
		}
		if i == 0 {
			for _, pr := range pairs {
				names = append(names, pr.Name)
			}
		}
		var col string
		var msg i18n.Msg
		switch {
		case r.Category != "" && r.Category != category:
			col, msg = ColCategory, i18n.M("import.problem.category_differs", "category", r.Category, "line", first.Line, "first", category)
		case len(rows) > 1 && len(pairs) == 0:
			col, msg = ColSpec, i18n.M("import.problem.spec_required")
		case !sameNames(pairs, names):
			col, msg = ColSpec, i18n.M("import.problem.spec_names", "names", strings.Join(names, ", "), "line", first.Line)
		}
		values := valuesOf(pairs)
		if line, dup := seen[strings.Join(values, "\x00")]; msg.IsZero() && dup {
			col, msg = ColSpec, i18n.M("import.problem.repeated_spec", "line", line)
		}
		if !msg.IsZero() {
			p.fail(r, col, msg)
			ok = false
			continue
		}
		seen[strings.Join(values, "\x00")] = r.Line
		skus = append(skus, newSKU(r, values))
	}
	if !ok {
		return
	}
	dims := make([]catalog.SpecDim, len(names))
	for i, n := range names {
		dims[i] = catalog.SpecDim{Name: n}
	}
	// The category is found or created on write; any id passes the checks
	// that need no database.
	np := catalog.NewProduct{Title: title, CategoryID: 1, SpecDims: catalog.ExtendDims(dims, skus), SKUs: skus}
	if err := catalog.CheckNewProduct(np); err != nil {
		p.failGroup(rows, err)
		return
	}
	if _, exists := p.byName[category]; !exists {
		p.byName[category] = 0 // created on write
		p.summary.NewCategories++
	}
	p.products = append(p.products, newProduct{np: np, category: category, rows: rows})
	p.summary.NewProducts++
	p.summary.NewSKUs += len(rows)
}

// planAddition plans new SKUs for existing product pr: each row's spec
// must name the product's dimensions; new values extend them.
func (p *plan) planAddition(pr catalog.Product, rows []row) {
	dims := pr.SpecDims.V
	taken := map[string]i18n.Msg{} // what already has each combination
	for _, k := range pr.SKUs {
		taken[strings.Join(k.SpecValues.V, "\x00")] = i18n.M("import.problem.spec_taken_sku", "title", pr.Title, "code", k.Code)
	}
	ok := true
	var skus []catalog.NewSKU
	for _, r := range rows {
		pairs, err := parseSpec(r.Spec)
		if err != nil {
			p.fail(r, ColSpec, cellMsg(err))
			ok = false
			continue
		}
		values, named := inOrder(pairs, dims)
		key := strings.Join(values, "\x00")
		var msg i18n.Msg
		switch {
		case len(dims) == 0:
			msg = i18n.M("import.problem.single_sku_product", "title", pr.Title)
		case !named:
			msg = i18n.M("import.problem.spec_names_product", "names", dimNames(dims), "title", pr.Title)
		case !taken[key].IsZero():
			msg = taken[key]
		}
		if !msg.IsZero() {
			p.fail(r, ColSpec, msg)
			ok = false
			continue
		}
		taken[key] = i18n.M("import.problem.spec_taken_line", "title", pr.Title, "line", r.Line)
		skus = append(skus, newSKU(r, values))
	}
	if !ok {
		return
	}
	if err := catalog.CheckAddSKUs(pr, skus); err != nil {
		p.failGroup(rows, err)
		return
	}
	p.additions = append(p.additions, addition{product: pr, skus: skus, rows: rows})
	p.summary.NewSKUs += len(rows)
}

// newSKU is a row's new SKU. Its stock starts at zero: the write phase
// receives the row's stock into the ledger with the import as the reason.
func newSKU(r row, values []string) catalog.NewSKU {
	k := catalog.NewSKU{Code: r.Code, SpecValues: values, Price: *r.Price}
	if r.OriginalPrice != nil {
		k.OriginalPrice = *r.OriginalPrice
	}
	if r.OnSale != nil {
		k.OffSale = !*r.OnSale
	}
	return k
}

func stockOf(r row) int64 {
	if r.Stock == nil {
		return 0
	}
	return *r.Stock
}

func valuesOf(pairs []specPair) []string {
	out := make([]string, len(pairs))
	for i, pr := range pairs {
		out[i] = pr.Value
	}
	return out
}

func sameNames(pairs []specPair, names []string) bool {
	if len(pairs) != len(names) {
		return false
	}
	for i, pr := range pairs {
		if pr.Name != names[i] {
			return false
		}
	}
	return true
}

// inOrder puts a spec's values in the order of dims, reporting whether the
// spec names exactly the dimensions of dims.
func inOrder(pairs []specPair, dims []catalog.SpecDim) ([]string, bool) {
	if len(pairs) != len(dims) {
		return nil, false
	}
	byName := make(map[string]string, len(pairs))
	for _, pr := range pairs {
		byName[pr.Name] = pr.Value
	}
	values := make([]string, len(dims))
	for i, d := range dims {
		v, ok := byName[d.Name]
		if !ok {
			return nil, false
		}
		values[i] = v
	}
	return values, true
}

func dimNames(dims []catalog.SpecDim) string {
	names := make([]string, len(dims))
	for i, d := range dims {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// skuField matches the catalog's error fields about one SKU: "skus[3].price".
var skuField = regexp.MustCompile(`^skus\[(\d+)\](?:\.(\w+))?$`)

// failGroup reports a catalog check's error on the row it is about (the
// group's first row when it is about the product as a whole), in the
// file's columns.
func (p *plan) failGroup(rows []row, err error) {
	e := errs.As(err)
	if e.Kind == errs.KindInternal {
		p.fail(rows[0], "", i18n.M("import.problem.not_checked"))
		return
	}
	field, _ := e.Details["field"].(string)
	r, col := rows[0], ""
	if m := skuField.FindStringSubmatch(field); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(rows) {
			r = rows[i]
		}
		col = map[string]string{"code": ColCode, "spec_values": ColSpec, "price": ColPrice,
			"original_price": ColOriginalPrice, "stock": ColStock}[m[2]]
	} else {
		col = map[string]string{"title": ColTitle, "spec_dims": ColSpec, "category_id": ColCategory}[field]
	}
	p.fail(r, col, i18n.FieldErrorMsg(e)) // the field's name is the problem's column
}
