package review

import (
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
)

func TestSummaryRoundsInIntegers(t *testing.T) {
	for _, tc := range []struct {
		sum       Summary
		avg       float64
		goodShare int64
	}{
		{Summary{}, 0, 0},
		{Summary{Count: 3, RatingSum: 10, Good: 2}, 3.3, 67}, // 3.333…, 66.7 %
		{Summary{Count: 20, RatingSum: 89, Good: 1}, 4.5, 5}, // 4.45 rounds up, 5 %
		{Summary{Count: 8, RatingSum: 35, Good: 1}, 4.4, 13}, // 4.375, 12.5 % rounds up
		{Summary{Count: 1, RatingSum: 5, Good: 1}, 5, 100},
	} {
		if got := tc.sum.Average(); got != tc.avg {
			t.Errorf("%+v: average %v, want %v", tc.sum, got, tc.avg)
		}
		if got := tc.sum.GoodShare(); got != tc.goodShare {
			t.Errorf("%+v: good share %v, want %v", tc.sum, got, tc.goodShare)
		}
	}
}

func TestMaskNameShowsOneCharacter(t *testing.T) {
	for in, want := range map[string]string{"张三丰": "张**", "A": "A**", "": "", "\xff": "", "🙂小明": "🙂**"} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGrades(t *testing.T) {
	want := map[int]int{1: gradeBad, 2: gradeBad, 3: gradeNeutral, 4: gradeGood, 5: gradeGood}
	for rating, g := range want {
		if gradeOf(rating) != g {
			t.Errorf("rating %d: grade %d, want %d", rating, gradeOf(rating), g)
		}
	}
}

func TestNormalizeNamesTheField(t *testing.T) {
	ok := LineInput{OrderItemID: 1, Rating: 5, Text: "  好  "}
	for _, tc := range []struct {
		lines []LineInput
		field string
	}{
		{nil, "reviews"},
		{[]LineInput{ok, {OrderItemID: 2, Rating: 0}}, "reviews[1].rating"},
		{[]LineInput{{OrderItemID: 1, Rating: 6}}, "reviews[0].rating"},
		{[]LineInput{{OrderItemID: 0, Rating: 5}}, "reviews[0].order_item_id"},
		{[]LineInput{ok, ok}, "reviews[1].order_item_id"},
		{[]LineInput{{OrderItemID: 1, Rating: 5, Text: strings.Repeat("好", MaxTextRunes+1)}}, "reviews[0].text"},
		{[]LineInput{{OrderItemID: 1, Rating: 5, Photos: make([]string, MaxPhotos+1)}}, "reviews[0].photos"},
		{[]LineInput{{OrderItemID: 1, Rating: 5, Photos: []string{"/uploads/a.jpg", "/uploads/a.jpg"}}}, "reviews[0].photos"},
	} {
		err := normalize(tc.lines)
		if e := errs.As(err); err == nil || e.Details["field"] != tc.field {
			t.Errorf("%+v: %v, want an error on %s", tc.lines, err, tc.field)
		}
	}
	lines := []LineInput{ok}
	if err := normalize(lines); err != nil || lines[0].Text != "好" || lines[0].Photos == nil {
		t.Fatalf("a good line: %v %+v", err, lines[0])
	}
	if err := normalize([]LineInput{{OrderItemID: 1, Rating: 5, Text: strings.Repeat("好", MaxTextRunes)}}); err != nil {
		t.Fatalf("500 characters: %v", err)
	}
}
