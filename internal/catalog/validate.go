package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
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
		return errs.Field("title", fmt.Sprintf("must be 1 to %d characters", MaxTitleLen))
	}
	if len([]rune(np.Subtitle)) > MaxSubtitleLen {
		return errs.Field("subtitle", fmt.Sprintf("must be at most %d characters", MaxSubtitleLen))
	}
	if len([]rune(np.Description)) > MaxDescriptionLen {
		return errs.Field("description", fmt.Sprintf("must be at most %d characters", MaxDescriptionLen))
	}
	if np.CategoryID <= 0 {
		return errs.Field("category_id", "is required")
	}
	if err := validateImages(np); err != nil {
		return err
	}
	if err := ValidateSpecDims(np.SpecDims); err != nil {
		return err
	}
	if len(np.SKUs) == 0 {
		return errs.Field("skus", "at least one SKU is required")
	}
	if len(np.SKUs) > MaxSKUs {
		return errs.Field("skus", fmt.Sprintf("at most %d SKUs per product", MaxSKUs))
	}
	if len(np.SpecDims) == 0 && len(np.SKUs) > 1 {
		return errs.Field("skus", "a product without spec dimensions has exactly one SKU")
	}
	codes, combos := map[string]bool{}, map[string]bool{}
	for i, k := range np.SKUs {
		if err := validateSKU(np.SpecDims, k, fmt.Sprintf("skus[%d]", i)); err != nil {
			return err
		}
		if codes[k.Code] {
			return errs.Field(fmt.Sprintf("skus[%d].code", i), "is used by another SKU of this product")
		}
		codes[k.Code] = true
		combo := comboKey(k.SpecValues)
		if combos[combo] {
			return errs.Field(fmt.Sprintf("skus[%d].spec_values", i), "repeat another SKU's combination")
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
		return errs.Field("spec_dims", fmt.Sprintf("at most %d dimensions", MaxSpecDims))
	}
	dimNames := map[string]bool{}
	combos := 1
	for i, d := range dims {
		field := fmt.Sprintf("spec_dims[%d]", i)
		if d.Name == "" || len([]rune(d.Name)) > MaxSpecValueLen || dimNames[d.Name] {
			return errs.Field(field+".name", fmt.Sprintf("must be non-empty, distinct, at most %d characters", MaxSpecValueLen))
		}
		dimNames[d.Name] = true
		if len(d.Values) == 0 || len(d.Values) > MaxSpecValues {
			return errs.Field(field+".values", fmt.Sprintf("must have 1 to %d values", MaxSpecValues))
		}
		seen := map[string]bool{}
		for _, v := range d.Values {
			if v == "" || len([]rune(v)) > MaxSpecValueLen || seen[v] {
				return errs.Field(field+".values", fmt.Sprintf("values must be distinct, 1 to %d characters", MaxSpecValueLen))
			}
			seen[v] = true
		}
		combos *= len(d.Values)
	}
	if combos > MaxSKUs {
		return errs.Field("spec_dims", fmt.Sprintf("%d combinations: a product has at most %d SKUs", combos, MaxSKUs))
	}
	return nil
}

func validateSKU(dims []SpecDim, k NewSKU, field string) error {
	if k.Code == "" || len(k.Code) > MaxCodeLen {
		return errs.Field(field+".code", fmt.Sprintf("must be 1 to %d characters", MaxCodeLen))
	}
	if len(k.SpecValues) != len(dims) {
		return errs.Field(field+".spec_values", fmt.Sprintf("must have one value per dimension (%d)", len(dims)))
	}
	for j, v := range k.SpecValues {
		if !slices.Contains(dims[j].Values, v) {
			return errs.Field(field+".spec_values", fmt.Sprintf("%q is not a value of %s", v, dims[j].Name))
		}
	}
	if k.Price < 0 || k.Price > MaxPrice {
		return errs.Field(field+".price", fmt.Sprintf("must be 0 to %d fen", MaxPrice))
	}
	if k.OriginalPrice < 0 || k.OriginalPrice > MaxPrice {
		return errs.Field(field+".original_price", fmt.Sprintf("must be 0 to %d fen", MaxPrice))
	}
	if k.Stock < 0 {
		return errs.Field(field+".stock", "must not be negative")
	}
	if k.Image != "" && !imageURL(k.Image) {
		return errs.Field(field+".image", "must be an image this shop serves (/…) or an https:// address")
	}
	return nil
}

// validateImages accepts at most MaxImages pictures, each a path on this
// server (uploads, demo images) or an https:// address: anything else
// (javascript:, data:, plain http) has no business in a shopper's page.
func validateImages(np NewProduct) error {
	if len(np.Images) > MaxImages {
		return errs.Field("images", fmt.Sprintf("at most %d images per product", MaxImages))
	}
	for _, u := range np.Images {
		if !imageURL(u) {
			return errs.Field("images", "each image must be one this shop serves (/…) or an https:// address")
		}
	}
	if np.MainImage != "" && !imageURL(np.MainImage) {
		return errs.Field("images", "the main image must be one this shop serves (/…) or an https:// address")
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
