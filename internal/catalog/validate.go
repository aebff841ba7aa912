package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
)

// Limits on what a merchant may enter; they keep the mini program's layout
// and its SKU picker usable, and a product's edit form within what one
// browser request can carry.
const (
	MaxTitleLen       = 100
	MaxSubtitleLen    = 200
	MaxDescriptionLen = 20_000
	MaxSpecDims       = 3
	MaxSpecValues     = 20
	MaxSpecValueLen   = 20
	MaxSKUs           = 500 // per product
	MaxImages         = 9   // per product, as WeChat's own shop allows
	MaxImageURLLen    = 300
	MaxCodeLen        = 64
	MaxPrice          = 10_000_000 // fen: 100,000 yuan
	MaxCategoryName   = 30
)

// normalized trims text and replaces nil slices, so that stored JSON is
// always an array and validation sees what will be stored.
func normalized(np NewProduct) NewProduct {
	np.Title = strings.TrimSpace(np.Title)
	np.Subtitle = strings.TrimSpace(np.Subtitle)
	np.MainImage = strings.TrimSpace(np.MainImage)
	np.Images = trimAll(np.Images)
	if np.MainImage == "" && len(np.Images) > 0 {
		np.MainImage = np.Images[0]
	}
	dims := make([]SpecDim, len(np.SpecDims))
	for i, d := range np.SpecDims {
		dims[i] = SpecDim{Name: strings.TrimSpace(d.Name), Values: trimAll(d.Values)}
	}
	np.SpecDims = dims
	skus := make([]NewSKU, len(np.SKUs))
	for i, k := range np.SKUs {
		k.Code = strings.TrimSpace(k.Code)
		k.Image = strings.TrimSpace(k.Image)
		k.SpecValues = trimAll(k.SpecValues)
		skus[i] = k
	}
	np.SKUs = skus
	return np
}

// trimAll trims every value; the result is never nil.
func trimAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// validate checks every rule that needs no database; the category and
// cross-product code uniqueness are checked inside the transaction.
func validate(np NewProduct) error {
	if n := len([]rune(np.Title)); n == 0 || n > MaxTitleLen {
		return errs.Field("title", "invalid.length", "max", MaxTitleLen)
	}
	if len([]rune(np.Subtitle)) > MaxSubtitleLen {
		return errs.Field("subtitle", "invalid.max_length", "max", MaxSubtitleLen)
	}
	if len([]rune(np.Description)) > MaxDescriptionLen {
		return errs.Field("description", "invalid.max_length", "max", MaxDescriptionLen)
	}
	if np.CategoryID <= 0 {
		return errs.Field("category_id", "invalid.required")
	}
	if err := validateImages(np); err != nil {
		return err
	}
	if err := ValidateSpecDims(np.SpecDims); err != nil {
		return err
	}
	if len(np.SKUs) == 0 {
		return errs.Field("skus", "catalog.skus_required")
	}
	if len(np.SKUs) > MaxSKUs {
		return errs.Field("skus", "catalog.skus_max", "max", MaxSKUs)
	}
	if len(np.SpecDims) == 0 && len(np.SKUs) > 1 {
		return errs.Field("skus", "catalog.single_sku")
	}
	codes, combos := map[string]bool{}, map[string]bool{}
	for i, k := range np.SKUs {
		if err := validateSKU(np.SpecDims, k, fmt.Sprintf("skus[%d]", i)); err != nil {
			return err
		}
		if codes[k.Code] {
			return errs.Field(fmt.Sprintf("skus[%d].code", i), "catalog.sku_code_repeated")
		}
		codes[k.Code] = true
		combo := comboKey(k.SpecValues)
		if combos[combo] {
			return errs.Field(fmt.Sprintf("skus[%d].spec_values", i), "catalog.spec_combo_repeated")
		}
		combos[combo] = true
	}
	return nil
}

// ValidateSpecDims checks spec dimensions as typed (after trimming), before
// a SKU grid is built from them: at most MaxSpecDims, each named and with
// distinct values, and at most MaxSKUs combinations in all.
func ValidateSpecDims(dims []SpecDim) error {
	if len(dims) > MaxSpecDims {
		return errs.Field("spec_dims", "catalog.spec_dims_max", "max", MaxSpecDims)
	}
	dimNames := map[string]bool{}
	combos := 1
	for i, d := range dims {
		field := fmt.Sprintf("spec_dims[%d]", i)
		if d.Name == "" || len([]rune(d.Name)) > MaxSpecValueLen || dimNames[d.Name] {
			return errs.Field(field+".name", "catalog.spec_name", "max", MaxSpecValueLen)
		}
		dimNames[d.Name] = true
		if len(d.Values) == 0 || len(d.Values) > MaxSpecValues {
			return errs.Field(field+".values", "catalog.spec_values_count", "max", MaxSpecValues)
		}
		seen := map[string]bool{}
		for _, v := range d.Values {
			if v == "" || len([]rune(v)) > MaxSpecValueLen || seen[v] {
				return errs.Field(field+".values", "catalog.spec_values_distinct", "max", MaxSpecValueLen)
			}
			seen[v] = true
		}
		combos *= len(d.Values)
	}
	if combos > MaxSKUs {
		return errs.Field("spec_dims", "catalog.spec_combos", "combos", combos, "max", MaxSKUs)
	}
	return nil
}

func validateSKU(dims []SpecDim, k NewSKU, field string) error {
	if k.Code == "" || len(k.Code) > MaxCodeLen {
		return errs.Field(field+".code", "invalid.length", "max", MaxCodeLen)
	}
	if len(k.SpecValues) != len(dims) {
		return errs.Field(field+".spec_values", "catalog.spec_values_per_dim", "dims", len(dims))
	}
	for j, v := range k.SpecValues {
		if !slices.Contains(dims[j].Values, v) {
			return errs.Field(field+".spec_values", "catalog.spec_value_unknown", "value", v, "dim", dims[j].Name)
		}
	}
	if k.Price < 0 || k.Price > MaxPrice {
		return errs.Field(field+".price", "invalid.price", "max", money.Yuan(MaxPrice))
	}
	if k.OriginalPrice < 0 || k.OriginalPrice > MaxPrice {
		return errs.Field(field+".original_price", "invalid.price", "max", money.Yuan(MaxPrice))
	}
	if k.Stock < 0 {
		return errs.Field(field+".stock", "invalid.not_negative")
	}
	if k.Image != "" && !imageURL(k.Image) {
		return errs.Field(field+".image", "catalog.image_address")
	}
	return nil
}

// validateImages accepts at most MaxImages pictures, each a path on this
// server (uploads, demo images) or an https:// address: anything else
// (javascript:, data:, plain http) has no business in a shopper's page.
func validateImages(np NewProduct) error {
	if len(np.Images) > MaxImages {
		return errs.Field("images", "catalog.images_max", "max", MaxImages)
	}
	for _, u := range np.Images {
		if !imageURL(u) {
			return errs.Field("images", "catalog.images_address")
		}
	}
	if np.MainImage != "" && !imageURL(np.MainImage) {
		return errs.Field("images", "catalog.main_image_address")
	}
	return nil
}

func imageURL(u string) bool {
	if u == "" || len(u) > MaxImageURLLen || strings.ContainsAny(u, " \t\r\n\"'<>\\") {
		return false
	}
	local := strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")
	return local || strings.HasPrefix(u, "https://")
}

// minPrice is the lowest price among SKUs on sale (all SKUs when none is),
// kept on the product row so lists can sort and filter by price cheaply.
func minPrice(skus []NewSKU) int64 {
	lowest, found := int64(0), false
	for _, onSaleOnly := range []bool{true, false} {
		for _, k := range skus {
			if (!onSaleOnly || !k.OffSale) && (!found || k.Price < lowest) {
				lowest, found = k.Price, true
			}
		}
		if found {
			break
		}
	}
	return lowest
}
