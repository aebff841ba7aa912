package catalog

import (
	"slices"
	"strings"
)

// Combinations is the SKU grid of a product: every choice of one value per
// dimension, the first dimension varying slowest (红/S, 红/M, 蓝/S, 蓝/M).
// No dimensions give one empty combination: the single SKU of a simple product.
func Combinations(dims []SpecDim) [][]string {
	out := [][]string{{}}
	for _, d := range dims {
		next := make([][]string, 0, len(out)*len(d.Values))
		for _, prefix := range out {
			for _, v := range d.Values {
				combo := make([]string, len(prefix), len(prefix)+1)
				copy(combo, prefix)
				next = append(next, append(combo, v))
			}
		}
		out = next
	}
	return out
}

// comboKey identifies a combination of spec values: an edit matches the
// SKUs it is given to the stored ones by it, so a SKU keeps its id (and the
// orders that reference it) for as long as its combination exists.
func comboKey(values []string) string { return strings.Join(values, "\x00") }

// SpecText is how a combination reads on an order line: "红 / M".
func SpecText(values []string) string { return strings.Join(values, " / ") }

// inGrid reports whether values are a combination of dims.
func inGrid(dims []SpecDim, values []string) bool {
	if len(values) != len(dims) {
		return false
	}
	for i, v := range values {
		if !slices.Contains(dims[i].Values, v) {
			return false
		}
	}
	return true
}
