// Package review is the shoppers' reviews (评价) of what they bought: one per
// order line once the order is received, with a rating, text, photos and an
// anonymous option; one follow-up (追评) within 30 days; the merchant's reply,
// hiding and approval; and the product page's list with its summary, read
// from per-product aggregates kept in the reviews' own transactions.
//
// Text is shown only after WeChat's content check (msgSecCheck) passed it:
// "risky" text is refused at once and nothing is stored; text WeChat wants a
// person to look at ("review") is held for the merchant; text that could not
// be checked (WeChat unreachable) is stored unchecked, hidden, and checked
// again by a durable job. The package reaches WeChat only through the
// TextChecker it declares.
package review

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// Limits of what a shopper may write. WeChat's check takes at most 2,500
// characters; a review needs far fewer.
const (
	MaxTextRunes   = 500
	MaxPhotos      = 9
	MaxPhotoURL    = 512
	MaxReplyRunes  = 500
	FollowUpWithin = 30 * 24 * time.Hour
)

// Errors of reviews.
var (
	ErrNotFound        = errs.NotFound("review_not_found", "review.not_found")
	ErrLineNotFound    = errs.NotFound("order_item_not_found", "review.line_not_found")
	ErrNotReceived     = errs.Conflict("order_not_received", "review.not_received")
	ErrAlreadyReviewed = errs.Conflict("already_reviewed", "review.already_reviewed")
	ErrFollowedUp      = errs.Conflict("already_followed_up", "review.already_followed_up")
	ErrFollowUpClosed  = errs.Rule("follow_up_closed", "review.follow_up_closed")
	ErrNotShown        = errs.Conflict("review_not_shown", "review.not_shown")
	ErrRisky           = errs.Rule("text_rejected", "review.text_rejected")
	ErrWrongState      = errs.Conflict("review_state_changed", "review.state_changed")
)

// Verdict is what WeChat's content check says of a text (its result.suggest).
type Verdict string

// The verdicts of msgSecCheck v2.
const (
	VerdictPass   Verdict = "pass"
	VerdictReview Verdict = "review"
	VerdictRisky  Verdict = "risky"
)

// Check is one content check's answer: the verdict and WeChat's label (100
// normal, 20001 political, 20002 porn…, kept for the merchant).
type Check struct {
	Verdict Verdict
	Label   int
}

// TextChecker asks WeChat whether a shopper's text may be shown (msgSecCheck,
// scene 2, "comment"). An error means the check could not be made (WeChat
// unreachable, busy): the text is then held unchecked, never shown.
type TextChecker interface {
	CheckText(ctx context.Context, openID, text string) (Check, error)
}

// Photos tells whether every URL was uploaded by the shopper (POST
// /api/v1/uploads); an error of kind invalid names the first that was not,
// as field[i]. *upload.Service satisfies it.
type Photos interface {
	Owned(ctx context.Context, shopperID int64, field string, urls []string) error
}

// Service is the review use cases.
type Service struct {
	db        *database.DB
	orders    *order.Service
	customers *customer.Service
	audit     *audit.Log
	checker   TextChecker
	photos    Photos
	schedule  func(ctx context.Context, ids []int64)
	clock     *clock.Clock
}

// Deps are the collaborators of the review service.
type Deps struct {
	DB        *database.DB
	Orders    *order.Service
	Customers *customer.Service
	Audit     *audit.Log
	Checker   TextChecker
	Photos    Photos
	// ScheduleChecks starts the content checks of reviews stored unchecked,
	// after their commit; the periodic sweep (DueChecks) catches any it misses.
	ScheduleChecks func(ctx context.Context, reviewIDs []int64)
	Clock          *clock.Clock
}

// New builds the service.
func New(d Deps) *Service {
	s := &Service{db: d.DB, orders: d.Orders, customers: d.Customers, audit: d.Audit, checker: d.Checker,
		photos: d.Photos, schedule: d.ScheduleChecks, clock: d.Clock}
	if s.schedule == nil {
		s.schedule = func(context.Context, []int64) {}
	}
	return s
}
