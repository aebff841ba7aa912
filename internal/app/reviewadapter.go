package app

import (
	"context"
	"errors"
	"time"

	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/wechat/miniprogram"
	"github.com/kaidian/kaidian/internal/worker"
)

// secCheckTimeout bounds one content check while a shopper waits for the
// answer: past it the review is stored unchecked and checked again by a job.
const secCheckTimeout = 3 * time.Second

// textCheckAdapter lets the review package ask WeChat's msgSecCheck
// without importing the mini-program client.
type textCheckAdapter struct{ c *miniprogram.Client }

func (a textCheckAdapter) CheckText(ctx context.Context, openID, text string) (review.Check, error) {
	ctx, cancel := context.WithTimeout(ctx, secCheckTimeout)
	defer cancel()
	res, err := a.c.MsgSecCheck(ctx, openID, text, miniprogram.SceneComment)
	var apiErr *miniprogram.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrCode {
		case miniprogram.ErrCodeInvalidOpenID, miniprogram.ErrCodeOpenIDMismatch, miniprogram.ErrCodeUserNotVisited:
			// WeChat will never check this shopper's text (not seen for two
			// hours, say): asking again cannot help, so a person decides.
			return review.Check{Verdict: review.VerdictReview}, nil
		}
	}
	if err != nil {
		return review.Check{}, err
	}
	return review.Check{Verdict: review.Verdict(res.Suggest), Label: res.Label}, nil
}

// scheduleReviewChecks enqueues the checks of reviews just stored
// unchecked; if that fails the review sweep finds them.
func (a *App) scheduleReviewChecks(ctx context.Context, ids []int64) {
	if err := a.queue.Enqueue(ctx, worker.CheckReviewJobs(ids)...); err != nil {
		a.Log.Error("review checks not enqueued; the review sweep will start them", "reviews", len(ids), "error", err.Error())
	}
}
