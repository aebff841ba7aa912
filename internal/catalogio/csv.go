package catalogio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// The catalog's spreadsheet format, the same for import and export: one
// line per SKU, with a header line naming the columns.
const (
	ColTitle         = "product_title"  // the product's title; rows of one new product share it
	ColCategory      = "category"       // the category's name, for new products
	ColCode          = "sku_code"       // the SKU's code: how rows are matched to SKUs
	ColSpec          = "spec"           // the SKU's combination: "颜色:红;尺码:M"
	ColPrice         = "price"          // yuan, e.g. 59.90
	ColOriginalPrice = "original_price" // yuan; empty or 0 for none
	ColStock         = "stock"          // available units
	ColOnSale        = "on_sale"        // 1 or 0
)

// Columns are the columns export writes, in order, by their English
// names (the header of a file meant for tools); an import file may have
// any of them in any order, but always sku_code.
var Columns = []string{ColTitle, ColCategory, ColCode, ColSpec, ColPrice, ColOriginalPrice, ColStock, ColOnSale}

// Header is the header line of a file for a reader of l: the columns'
// names in Chinese ("SKU 编码") for zh-CN, the English names otherwise.
func Header(l i18n.Lang) []string {
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = columnName(l, c)
	}
	return names
}

// columnName is a column's name in a header written for l: the message
// csv.column.<name> (whose English text is the name itself).
func columnName(l i18n.Lang, col string) string {
	if l == i18n.En {
		return col
	}
	return i18n.For(l).Enum("csv.column", col)
}

// headerNames maps every name a header may give a column, in either
// language, to the column and the language it is in.
var headerNames = func() map[string]headerName {
	m := map[string]headerName{}
	for _, l := range i18n.Langs {
		for _, c := range Columns {
			m[normalName(columnName(l, c))] = headerName{col: c, lang: l}
		}
	}
	return m
}()

type headerName struct {
	col  string
	lang i18n.Lang
}

// normalName is a header cell as compared: trimmed, lower case, without
// spaces ("SKU编码", " sku_code " and "SKU 编码" are the same name).
func normalName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// Limits of one import file. A file must also fit in one console request
// (KAIDIAN_MAX_BODY_BYTES, 1 MB by default: about 10,000 rows).
const (
	MaxRows  = 10_000
	MaxStock = 10_000_000
)

// Problem is what is wrong with one line of an import file; Line 0 is
// about the file as a whole.
type Problem struct {
	Line    int      `json:"line"`
	Code    string   `json:"code,omitempty"`   // the row's SKU code, when it could be read
	Column  string   `json:"column,omitempty"` // the column the problem is in (its English name), if one
	Message i18n.Msg `json:"message"`          // written in the language of whoever reads it; text in jobs stored before
}

// problem is a Problem with the message id and its values.
func problem(line int, id string, kv ...any) Problem {
	return Problem{Line: line, Message: i18n.M(id, kv...)}
}

// cellProblem is what is wrong with one cell: its column and a message.
type cellProblem struct {
	col string
	msg i18n.Msg
}

// row is one line of an import file as read. A nil value is an empty cell
// or a column the file does not have: for an existing SKU it leaves the value
// as it is.
type row struct {
	Line          int
	Code          string
	Title         string
	Category      string
	Spec          string // parsed only for new SKUs: an existing SKU keeps its combination
	Price         *int64
	OriginalPrice *int64
	Stock         *int64
	OnSale        *bool
}

// errNotText is a file that is not text at all.
var errNotText = errors.New("the file is not CSV text")

// decode turns an uploaded file into text: UTF-8 (with or without a
// byte-order mark) as it is; anything else is read as GB18030, which is what
// Excel on a Chinese Windows saves "CSV" as.
// A NUL byte or a byte sequence neither encoding knows means the file is
// not text at all (a workbook, UTF-16 "Unicode text").
func decode(b []byte) (string, error) {
	notText := errNotText
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if bytes.IndexByte(b, 0) >= 0 {
		return "", notText
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", notText
	}
	return string(out), nil
}

// parse reads an import file's text: the header, then every row, each
// checked on its own (what needs the database is checked later). Every line
// with a problem is reported; a problem with the header stops there.
func parse(text string) ([]row, []Problem) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	header, at, hp := readHeader(r)
	if hp != nil {
		return nil, []Problem{*hp}
	}
	var rows []row
	var problems []Problem
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problems = append(problems, problem(pe.StartLine, "import.problem.unreadable_row"))
			continue
		}
		if err != nil {
			return nil, append(problems, problem(0, "import.problem.unreadable"))
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		if len(rows)+len(problems) >= MaxRows {
			return nil, []Problem{problem(0, "import.problem.too_many_rows", "max", strconv.Itoa(MaxRows))}
		}
		if len(rec) != len(header) {
			problems = append(problems, problem(line, "import.problem.cell_count", "cells", len(rec), "header", len(header)))
			continue
		}
		rw, cells := readRow(line, rec, at)
		if len(cells) > 0 {
			for _, cp := range cells {
				problems = append(problems, Problem{Line: line, Code: rw.Code, Column: cp.col, Message: cp.msg})
			}
			continue
		}
		rows = append(rows, rw)
	}
	if len(rows) == 0 && len(problems) == 0 {
		problems = append(problems, problem(0, "import.problem.no_rows"))
	}
	return rows, problems
}

// readHeader reads the first line that is not blank: the column names,
// all in Chinese or all in English. It returns the names and where each
// known column is.
func readHeader(r *csv.Reader) ([]string, map[string]int, *Problem) {
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			pr := problem(0, "import.problem.empty")
			return nil, nil, &pr
		}
		if err != nil {
			pr := problem(1, "import.problem.header_unreadable")
			return nil, nil, &pr
		}
		if blank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		at := map[string]int{}
		var lang i18n.Lang // the language of the names so far
		first := ""        // the first name, to show with one in the other language
		for i, name := range rec {
			name = strings.TrimSpace(name)
			hn, known := headerNames[normalName(name)]
			_, dup := at[hn.col]
			var pr Problem
			switch {
			case !known:
				pr = problem(line, "import.problem.unknown_column", "name", name)
			case dup:
				pr = problem(line, "import.problem.duplicate_column", "name", name)
			case lang != "" && hn.lang != lang:
				pr = problem(line, "import.problem.mixed_header", "a", first, "b", name)
			}
			if !pr.Message.IsZero() {
				return nil, nil, &pr
			}
			if lang == "" {
				lang, first = hn.lang, name
			}
			at[hn.col] = i
		}
		if _, ok := at[ColCode]; !ok {
			pr := problem(line, "import.problem.no_code_column")
			return nil, nil, &pr
		}
		return rec, at, nil
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readRow reads one record's cells, returning every problem with them.
func readRow(line int, rec []string, at map[string]int) (row, []cellProblem) {
	get := func(col string) string {
		if i, ok := at[col]; ok {
			return uncell(strings.TrimSpace(rec[i]))
		}
		return ""
	}
	rw := row{Line: line, Code: get(ColCode), Title: get(ColTitle), Category: get(ColCategory), Spec: get(ColSpec)}
	var cells []cellProblem
	bad := func(col string, msg i18n.Msg) { cells = append(cells, cellProblem{col, msg}) }
	switch {
	case rw.Code == "":
		bad(ColCode, i18n.M("import.problem.required"))
	case len(rw.Code) > catalog.MaxCodeLen || strings.ContainsFunc(rw.Code, isControl):
		bad(ColCode, i18n.M("import.problem.code_too_long", "max", catalog.MaxCodeLen))
	}
	if len([]rune(rw.Title)) > catalog.MaxTitleLen {
		bad(ColTitle, i18n.M("import.problem.too_long", "max", catalog.MaxTitleLen))
	}
	if len([]rune(rw.Category)) > catalog.MaxCategoryName {
		bad(ColCategory, i18n.M("import.problem.too_long", "max", catalog.MaxCategoryName))
	}
	var err error
	if rw.Price, err = yuanCell(get(ColPrice)); err != nil {
		bad(ColPrice, cellMsg(err))
	}
	if rw.OriginalPrice, err = yuanCell(get(ColOriginalPrice)); err != nil {
		bad(ColOriginalPrice, cellMsg(err))
	}
	if _, ok := at[ColOriginalPrice]; ok && rw.OriginalPrice == nil {
		none := int64(0) // an empty "was" price is no "was" price
		rw.OriginalPrice = &none
	}
	if rw.Stock, err = stockCell(get(ColStock)); err != nil {
		bad(ColStock, cellMsg(err))
	}
	if rw.OnSale, err = onSaleCell(get(ColOnSale)); err != nil {
		bad(ColOnSale, cellMsg(err))
	}
	return rw, cells
}

// cellError is what is wrong with a cell's value, as a message for later.
type cellError struct{ msg i18n.Msg }

func (e *cellError) Error() string { return e.msg.ID }

func cellErr(id string, kv ...any) error { return &cellError{i18n.M(id, kv...)} }

// cellMsg is the message of a cell's error.
func cellMsg(err error) i18n.Msg {
	var ce *cellError
	if errors.As(err, &ce) {
		return ce.msg
	}
	return i18n.Msg{Text: err.Error()}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// uncell undoes export's guard against spreadsheet formulas (a quote put
// before a leading =, +, -, @), so an exported file imports as it was.
func uncell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// cell guards text for export: a leading =, +, - or @ gets a quote, so a
// spreadsheet shows it instead of running it as a formula (CSV injection).
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// yuanCell reads an amount in yuan ("59.9", "¥1,299.00") into fen; empty is nil.
func yuanCell(s string) (*int64, error) {
	s = strings.TrimLeft(s, "¥￥ ")
	if s == "" {
		return nil, nil
	}
	s = strings.ReplaceAll(s, ",", "")
	whole, _, _ := strings.Cut(s, ".")
	fen, err := money.Parse(s)
	// A minus sign is refused even on zero; more than nine digits of yuan is
	// refused as malformed rather than reported as over the maximum.
	if err != nil || strings.HasPrefix(s, "-") || len(whole) > 9 {
		return nil, cellErr("import.problem.bad_amount", "value", s)
	}
	if fen > catalog.MaxPrice {
		return nil, cellErr("import.problem.amount_too_large", "max", money.Short(catalog.MaxPrice))
	}
	return &fen, nil
}

// stockCell reads a whole number of units; empty is nil.
func stockCell(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > MaxStock {
		return nil, cellErr("import.problem.bad_stock", "value", s, "max", strconv.Itoa(MaxStock))
	}
	return &n, nil
}

// onSaleCell reads whether a SKU is on sale: 1/0, yes/no, true/false,
// on/off, 是/否, 上架/下架; empty is nil.
func onSaleCell(s string) (*bool, error) {
	var v bool
	switch strings.ToLower(s) {
	case "":
		return nil, nil
	case "1", "yes", "y", "true", "on", "是", "上架":
		v = true
	case "0", "no", "n", "false", "off", "否", "下架":
		v = false
	default:
		return nil, cellErr("import.problem.bad_on_sale", "value", s)
	}
	return &v, nil
}

// specPair is one dimension's value in a spec cell: {"颜色", "红"}.
type specPair struct{ Name, Value string }

// parseSpec reads a spec cell, "颜色:红;尺码:M" (full-width ；and ：too);
// empty is a SKU without spec (a product's only SKU).
func parseSpec(s string) ([]specPair, error) {
	s = strings.NewReplacer("；", ";", "：", ":").Replace(s)
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var pairs []specPair
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		name, value, ok := strings.Cut(part, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, cellErr("import.problem.bad_spec_pair", "value", strings.TrimSpace(part))
		}
		if seen[name] {
			return nil, cellErr("import.problem.spec_repeats_name", "name", name)
		}
		seen[name] = true
		pairs = append(pairs, specPair{name, value})
	}
	if len(pairs) > catalog.MaxSpecDims {
		return nil, cellErr("import.problem.spec_too_many", "n", len(pairs), "max", catalog.MaxSpecDims)
	}
	return pairs, nil
}

// specCell writes a SKU's combination as a spec cell; "" when the SKU has
// none or its values do not match the product's dimensions.
func specCell(dims []catalog.SpecDim, values []string) string {
	if len(dims) != len(values) {
		return ""
	}
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = d.Name + ":" + values[i]
	}
	return strings.Join(parts, ";")
}
