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
	sentinel := errs.New(errs.KindUnavailable, "wechatpay_unavailable", "payment.wechatpay_unavailable").With("order_no", "K1")
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
			if got.Kind != errs.KindUnavailable || got.Code != "wechatpay_unavailable" || got.ID != sentinel.ID {
				t.Fatalf("kind/code/message id not preserved: %+v", got)
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
			if got.Error() != "wechatpay_unavailable: payment.wechatpay_unavailable: "+tc.cause.Error() {
				t.Errorf("Error() = %q", got.Error())
			}
		})
	}
	if sentinel.Err != nil {
		t.Errorf("Wrap changed the sentinel: %v", sentinel.Err)
	}
}

func TestWrapNilCauseIsTheErrorItself(t *testing.T) {
	e := errs.Conflict("paid", "payment.order_paid")
	if got := errs.Wrap(e, nil); got != e {
		t.Errorf("Wrap(e, nil) = %p, want e itself (%p)", got, e)
	}
}

func TestWrapIsNotConfusedWithOtherDomainErrors(t *testing.T) {
	inner := errs.Rule("coupon_expired", "coupon.expired")
	err := errs.Wrap(errs.New(errs.KindUnavailable, "wechat_unavailable", "auth.wechat_unavailable"), inner)
	// errs.As returns the outermost domain error: the one the caller answered with.
	if got := errs.As(err); got.Code != "wechat_unavailable" {
		t.Errorf("As = %q, want the wrapper", got.Code)
	}
	// The inner one is still reachable for whoever looks for it.
	if !errors.Is(err, inner) || !errs.Is(err, "wechat_unavailable") {
		t.Errorf("chain broken: %v", err)
	}
}

func TestMessageArgsAreNotDetails(t *testing.T) {
	e := errs.Field("skus[1].stock", "catalog.stock_taken", "stock", 12, "take", 20)
	if e.Code != "invalid_field" || e.Kind != errs.KindInvalid || e.ID != "catalog.stock_taken" {
		t.Fatalf("Field = %+v", e)
	}
	if len(e.Details) != 1 || e.Details["field"] != "skus[1].stock" {
		t.Errorf("details = %v, want only the field", e.Details)
	}
	if e.Args["stock"] != 12 || e.Args["take"] != 20 {
		t.Errorf("args = %v", e.Args)
	}
	if got := e.Error(); got != "invalid_field: catalog.stock_taken {stock=12 take=20}" {
		t.Errorf("Error() = %q", got)
	}
	sentinel := errs.Conflict("refund_exceeds_paid", "payment.refund_exceeds_paid")
	c := sentinel.Arg("left", "¥1.00")
	if sentinel.Args != nil || c.Args["left"] != "¥1.00" || c.ID != sentinel.ID {
		t.Errorf("Arg changed the sentinel or lost the value: %+v %+v", sentinel, c)
	}
	if got := errs.As(errors.New("disk full")); got.Kind != errs.KindInternal || got.ID != "error.internal" {
		t.Errorf("As(unknown) = %+v", got)
	}
}
