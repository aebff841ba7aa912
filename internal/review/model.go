package review

import (
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
)

// Status is where a review (or its follow-up) is.
type Status string

// Review states. Only visible reviews are shown to shoppers and counted in
// the product's summary.
const (
	StatusUnchecked Status = "unchecked" // WeChat could not be asked yet; a job asks again
	StatusPending   Status = "pending"   // WeChat asked for a person to look: the merchant approves or hides
	StatusVisible   Status = "visible"
	StatusHidden    Status = "hidden"   // hidden by the merchant
	StatusRejected  Status = "rejected" // the late check found it risky; never shown
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusUnchecked, StatusPending, StatusVisible, StatusHidden, StatusRejected:
		return true
	}
	return false
}

// Grades of a rating: good is 4–5 stars, bad 1–2, 3 is neither.
const (
	gradeGood    = 1
	gradeNeutral = 0
	gradeBad     = -1
)

func gradeOf(rating int) int {
	switch {
	case rating >= 4:
		return gradeGood
	case rating <= 2:
		return gradeBad
	}
	return gradeNeutral
}

// Review is one shopper's review of one order line.
type Review struct {
	ID              int64                   `gorm:"column:id;primaryKey"`
	OrderID         int64                   `gorm:"column:order_id"`
	OrderItemID     int64                   `gorm:"column:order_item_id"`
	ProductID       int64                   `gorm:"column:product_id"`
	SKUID           int64                   `gorm:"column:sku_id"`
	Title           string                  `gorm:"column:title"` // the line's product title as ordered
	SKUText         string                  `gorm:"column:sku_text"`
	ShopperID       int64                   `gorm:"column:shopper_id"`
	ShopperName     string                  `gorm:"column:shopper_name"` // masked when written: "张**"
	Anonymous       bool                    `gorm:"column:anonymous"`
	Rating          int                     `gorm:"column:rating"`
	Grade           int                     `gorm:"column:grade"`
	Content         string                  `gorm:"column:content"`
	Photos          database.JSON[[]string] `gorm:"column:photos"`
	HasPhotos       bool                    `gorm:"column:has_photos"`
	Status          Status                  `gorm:"column:status"`
	CheckLabel      int                     `gorm:"column:check_label"`
	FollowUpContent string                  `gorm:"column:follow_up_content"`
	FollowUpPhotos  database.JSON[[]string] `gorm:"column:follow_up_photos"`
	FollowUpStatus  Status                  `gorm:"column:follow_up_status"` // "" when there is none
	FollowUpAt      *time.Time              `gorm:"column:follow_up_at"`
	ReplyContent    string                  `gorm:"column:reply_content"`
	ReplyBy         string                  `gorm:"column:reply_by"`
	RepliedAt       *time.Time              `gorm:"column:replied_at"`
	CreatedAt       time.Time               `gorm:"column:created_at"`
	UpdatedAt       time.Time               `gorm:"column:updated_at"`

	OrderNo string `gorm:"-"` // filled for the console
}

// TableName maps Review to its table.
func (Review) TableName() string { return "reviews" }

// Summary is a product's visible reviews in numbers.
type Summary struct {
	Count      int64
	RatingSum  int64
	Good       int64
	Bad        int64
	WithPhotos int64
}

// Average is the mean rating to one decimal (0 with no reviews), rounded
// half up in integers so no float error shows (4.45 → 4.5).
func (s Summary) Average() float64 {
	if s.Count == 0 {
		return 0
	}
	tenths := (s.RatingSum*20 + s.Count) / (2 * s.Count)
	return float64(tenths) / 10
}

// GoodShare is the share of good (4–5 star) reviews in percent, rounded half up.
func (s Summary) GoodShare() int64 {
	if s.Count == 0 {
		return 0
	}
	return (s.Good*200 + s.Count) / (2 * s.Count)
}

// MaskName shows the first character of a nickname and two stars, whatever
// its length ("张三丰" → "张**"), so shoppers can tell reviews apart without
// anyone learning who wrote them; an empty nickname stays empty.
func MaskName(nickname string) string {
	r, size := utf8.DecodeRuneInString(nickname)
	if size == 0 || r == utf8.RuneError {
		return ""
	}
	return string(r) + "**"
}
