package review

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
)

// LineInput is the review of one order line as the shopper writes it.
type LineInput struct {
	OrderItemID int64
	Rating      int
	Text        string
	Photos      []string
	Anonymous   bool
}

// FollowUpInput is a follow-up as the shopper writes it.
type FollowUpInput struct {
	Text   string
	Photos []string
}

// maxLines bounds one request; an order has far fewer lines.
const maxLines = 50

// normalize checks the lines' own fields, before anything is looked up;
// field paths are the request's ("reviews[1].rating").
func normalize(lines []LineInput) error {
	if len(lines) == 0 {
		return errs.Field("reviews", "review.none")
	}
	if len(lines) > maxLines {
		return errs.Field("reviews", "review.too_many", "max", maxLines)
	}
	seen := map[int64]bool{}
	for i := range lines {
		l := &lines[i]
		at := fmt.Sprintf("reviews[%d]", i)
		switch {
		case l.OrderItemID <= 0:
			return errs.Field(at+".order_item_id", "invalid.positive_id")
		case seen[l.OrderItemID]:
			return errs.Field(at+".order_item_id", "review.line_twice")
		case l.Rating < 1 || l.Rating > 5:
			return errs.Field(at+".rating", "invalid.range", "min", 1, "max", 5)
		}
		seen[l.OrderItemID] = true
		var err error
		if l.Text, err = text(at+".text", l.Text, false); err != nil {
			return err
		}
		if l.Photos, err = photoList(at+".photos", l.Photos); err != nil {
			return err
		}
	}
	return nil
}

func (in *FollowUpInput) normalize() error {
	var err error
	if in.Text, err = text("text", in.Text, true); err != nil {
		return err
	}
	in.Photos, err = photoList("photos", in.Photos)
	return err
}

// text trims s and checks its length in characters.
func text(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		return "", errs.Field(field, "review.text_encoding")
	case required && s == "":
		return "", errs.Field(field, "invalid.required")
	case utf8.RuneCountInString(s) > MaxTextRunes:
		return "", errs.Field(field, "invalid.max_length", "max", MaxTextRunes)
	}
	return s, nil
}

func photoList(field string, urls []string) ([]string, error) {
	if len(urls) > MaxPhotos {
		return nil, errs.Field(field, "review.too_many", "max", MaxPhotos)
	}
	out := make([]string, 0, len(urls))
	seen := map[string]bool{}
	for _, u := range urls {
		u = strings.TrimSpace(u)
		if u == "" || len(u) > MaxPhotoURL || seen[u] {
			return nil, errs.Field(field, "review.photo_url")
		}
		seen[u] = true
		out = append(out, u)
	}
	return out, nil
}
