package page

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		cursor, limit string
		want          Request
		wantErr       bool
	}{
		{"", "", Request{Limit: DefaultLimit}, false},
		{"", "5", Request{Limit: 5}, false},
		{Cursor(42), "100", Request{After: 42, Limit: 100}, false},
		{"", "0", Request{}, true},
		{"", "101", Request{}, true},
		{"", "x", Request{}, true},
		{"garbage!", "", Request{}, true},
		{"MTIz", "", Request{}, true}, // base64 of "123": not our prefix
	}
	for _, tt := range tests {
		got, err := Parse(tt.cursor, tt.limit)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("Parse(%q,%q) = %+v, %v", tt.cursor, tt.limit, got, err)
		}
	}
}

func TestTrim(t *testing.T) {
	r := Request{Limit: 2}
	items, next := Trim([]int64{1, 2, 3}, r, func(v int64) int64 { return v })
	if len(items) != 2 || next != Cursor(2) {
		t.Fatalf("got %v %q", items, next)
	}
	items, next = Trim([]int64{1, 2}, r, func(v int64) int64 { return v })
	if len(items) != 2 || next != "" {
		t.Fatalf("last page: got %v %q", items, next)
	}
}
