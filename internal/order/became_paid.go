package order

import "context"

// PaidHook is work another package does when an order becomes paid (the
// promoter's commission, a gift-card order's cards, …), in the transaction
// that marks it paid, with the order's row locked and its lines read: a
// crash never leaves a paid order without it. The app wires the hooks
// (OnPaid) before serving.
type PaidHook func(ctx context.Context, o Order) error

// OnPaid adds a hook run by every order that becomes paid.
func (s *Service) OnPaid(h PaidHook) { s.paidHooks = append(s.paidHooks, h) }

// becamePaid is the one step every way of paying an order goes through,
// in the transaction that moved it to paid — a WeChat Pay payment
// (MarkPaid, notification or reconciliation) and the gift-card balance
// covering it at placement (paidByBalance) alike: its balance part is
// spent, order_paid is recorded, and the hooks run. Selling its stock
// stays with each path (a revived flash order sells from its sale or from
// stock).
func (s *Service) becamePaid(ctx context.Context, o Order) error {
	if o.GiftCardAmount > 0 {
		if err := s.balances.Spend(ctx, o.ShopperID, o.ID, o.GiftCardAmount); err != nil {
			return err
		}
	}
	if err := s.emitPaid(ctx, o); err != nil {
		return err
	}
	for _, h := range s.paidHooks {
		if err := h(ctx, o); err != nil {
			return err
		}
	}
	return nil
}
