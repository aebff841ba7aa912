package errs_test

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
)

// causeError is a typed cause, to prove errors.As reaches through Wrap.
type causeError struct{ op string }

func (e *causeError) Error() string { return e.op + " failed" }

func TestWrapKeepsTheSentinelAndReachesTheCause(t *testing.T) {
	sentinel := errs.New(errs.KindUnavailable, "wechatpay_unavailable", "WeChat Pay could not be reached; try again").With("order_no", "K1")
	cause := &causeError{op: "query"}
	tests := []struct {
		name  string
		cause error
	}{
		{"plain cause", cause},
		{"cause joined with another", errors.Join(fs.ErrNotExist, cause)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := error(errs.Wrap(sentinel, tc.cause))
			got := errs.As(err)
			if got.Kind != errs.KindUnavailable || got.Code != "wechatpay_unavailable" || got.Message != sentinel.Message {
				t.Fatalf("kind/code/message not preserved: %+v", got)
			}
			if got.Details["order_no"] != "K1" {
				t.Errorf("details lost: %v", got.Details)
			}
			if !errs.Is(err, "wechatpay_unavailable") {
				t.Error("errs.Is does not see the code")
			}
			var ce *causeError
			if !errors.As(err, &ce) || ce != cause {
				t.Errorf("errors.As does not reach the cause: %v", err)
			}
			if !errors.Is(err, cause) {
				t.Errorf("errors.Is does not reach the cause: %v", err)
			}
			if got.Error() != "wechatpay_unavailable: WeChat Pay could not be reached; try again: "+tc.cause.Error() {
				t.Errorf("Error() = %q", got.Error())
			}
		})
	}
	if sentinel.Err != nil {
		t.Errorf("Wrap changed the sentinel: %v", sentinel.Err)
	}
}

func TestWrapNilCauseIsTheErrorItself(t *testing.T) {
	e := errs.Conflict("paid", "already paid")
	if got := errs.Wrap(e, nil); got != e {
		t.Errorf("Wrap(e, nil) = %p, want e itself (%p)", got, e)
	}
}

func TestWrapIsNotConfusedWithOtherDomainErrors(t *testing.T) {
	inner := errs.Rule("coupon_expired", "expired")
	err := errs.Wrap(errs.New(errs.KindUnavailable, "wechat_unavailable", "try again"), inner)
	// errs.As returns the outermost domain error: the one the caller answered with.
	if got := errs.As(err); got.Code != "wechat_unavailable" {
		t.Errorf("As = %q, want the wrapper", got.Code)
	}
	// The inner one is still reachable for whoever looks for it.
	if !errors.Is(err, inner) || !errs.Is(err, "wechat_unavailable") {
		t.Errorf("chain broken: %v", err)
	}
}
