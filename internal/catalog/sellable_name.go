package catalog

// Name is how merchants' pages name the SKU: the product's title and, when
// the product has specs, the SKU's ("T恤 · 红色 / M").
func (k Sellable) Name() string {
	if k.SpecText == "" {
		return k.Title
	}
	return k.Title + " · " + k.SpecText
}
