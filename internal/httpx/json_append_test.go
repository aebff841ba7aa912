package httpx

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestAppendJSONStringLikeEncodingJSON compares the escaper with
// encoding/json on the characters it treats specially and on random
// strings mixing them with Chinese text and invalid UTF-8.
func TestAppendJSONStringLikeEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", "纯棉T恤", `"quoted"`, `back\slash`, "<b>&amp;</b>", "tab\there\nnew\rret",
		"\b\f\x00\x01\x1f\x7f", "\u2028\u2029", "bad \xff\xfe utf8", "trunc \xe4\xb8", "emoji 😀", "\u00e9"}
	pieces := []string{"a", "棉", "\"", "\\", "<", ">", "&", "\n", "\x02", "\u2028", "\xff", "\xe4\xb8", "😀", " "}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		s := ""
		for range r.IntN(12) {
			s += pieces[r.IntN(len(pieces))]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
	for _, vs := range [][]string{nil, {}, {"a"}, {"红", "<蓝>"}} {
		want, _ := json.Marshal(append([]string{}, vs...))
		if got := AppendJSONStrings(nil, vs); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", vs, got, want)
		}
	}
}
