package subscribe

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// A template keyword is its type and a number: thing1, amount2,
// character_string3. WeChat checks each value against its type's rule
// (subscribeMessage.send: thing ≤20 characters; number, letter and
// character_string ≤32; phrase ≤5 Chinese characters; amount a number of
// at most 10 digits with a currency sign or 元; time and date fixed
// formats) and answers 47003 otherwise, so values are made to fit here.
var keywordPattern = regexp.MustCompile(`^(thing|character_string|number|letter|amount|time|date|phrase|name|phone_number|car_number|symbol)([1-9][0-9]?)$`)

// Limits of WeChat's keyword types, in characters.
const (
	thingMax  = 20
	stringMax = 32
	phraseMax = 5
)

// keywordType is a keyword's type ("thing" of "thing1"), or "" when the
// name is not a WeChat keyword.
func keywordType(keyword string) string {
	m := keywordPattern.FindStringSubmatch(keyword)
	if m == nil {
		return ""
	}
	return m[1]
}

// fits says which keyword types each kind of value can fill without
// breaking WeChat's rules.
var fits = map[Kind][]string{
	KindText:   {"thing"},
	KindCode:   {"character_string", "thing"},
	KindMoney:  {"amount", "thing"},
	KindTime:   {"time", "date", "thing"},
	KindPhrase: {"phrase", "thing"},
	KindCount:  {"number", "character_string", "thing"},
}

func canFill(k Kind, keywordType string) bool {
	for _, t := range fits[k] {
		if t == keywordType {
			return true
		}
	}
	return false
}

// Formats of WeChat's time and date keywords (subscribeMessage.send's
// documented examples: "2019年10月1日 15:01", "2019年10月1日").
const (
	timeLayout = "2006年1月2日 15:04"
	dateLayout = "2006年1月2日"
)

// zh writes phrases in Chinese: WeChat shows template messages in the
// template's own language, Chinese.
var zh = i18n.For(i18n.ZhCN)

// render is v as a keyword of type kt takes it, cut to the type's limit.
func render(v Value, kt string) string {
	var s string
	switch v.kind {
	case KindMoney:
		s = money.Decimal(v.fen) + "元"
	case KindTime:
		layout := timeLayout
		if kt == "date" {
			layout = dateLayout
		}
		s = v.at.In(clock.China).Format(layout)
	case KindPhrase:
		s = zh.T(v.text)
	case KindCount:
		s = strconv.FormatInt(v.fen, 10)
	default:
		s = strings.TrimSpace(v.text)
	}
	switch kt {
	case "thing":
		return cut(s, thingMax, "…")
	case "character_string", "number":
		return cut(asciiOnly(s), stringMax, "")
	case "phrase":
		return cut(s, phraseMax, "")
	}
	return s
}

// cut keeps at most n characters, ending with tail when it had to cut.
func cut(s string, n int, tail string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-utf8.RuneCountInString(tail)]) + tail
}

// asciiOnly drops what a character_string cannot hold (anything but
// letters, digits and ASCII symbols).
func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0x20 && r < 0x7f {
			return r
		}
		return -1
	}, s)
}
