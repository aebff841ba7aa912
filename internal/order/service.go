// Package order places, lists and moves shopper orders through their states.
package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Cart is what checkout needs from the shopper's cart. It is declared here,
// where it is used; the app wires the cart service to it.
type Cart interface {
	// CheckoutLines returns the SKU and quantity of each of the shopper's
	// cart items; an id that is not the shopper's fails with a not-found error.
	CheckoutLines(ctx context.Context, shopperID int64, itemIDs []int64) ([]LineInput, error)
	// RemoveItems deletes the items, inside the caller's transaction.
	RemoveItems(ctx context.Context, shopperID int64, itemIDs []int64) error
}

// Address is a shipping address as an order snapshots it.
type Address struct {
	Name, Phone, Province, City, District, Detail string
}

// AddressBook finds one of the shopper's addresses (not-found for anyone else's).
type AddressBook interface {
	ShippingAddress(ctx context.Context, shopperID, addressID int64) (Address, error)
	// ShippingAddresses finds many at once, with one query (a flash batch
	// needs hundreds): the addresses found, by ref. A ref that names no
	// address of its shopper is left out; ShippingAddress tells why.
	ShippingAddresses(ctx context.Context, refs []AddressRef) (map[AddressRef]Address, error)
}

// AddressRef names one shopper's address.
type AddressRef struct{ ShopperID, AddressID int64 }

// PaymentCloser is the payment side as closing needs it: before any unpaid
// order is closed (cancelled by the shopper or the merchant, or expired),
// the payment side is asked to close its own transaction. It reports
// paid=true when the money arrived meanwhile, having applied that payment
// itself (the order is paid, not closed), and ErrPaymentMismatch when WeChat
// holds a payment that does not match the order. It is called outside any
// transaction (it talks to WeChat).
type PaymentCloser interface {
	CloseUnpaid(ctx context.Context, o Order) (paid bool, err error)
	// CloseAgain closes WeChat's order once more after the order closed
	// here, for a pay call whose prepay reached WeChat after CloseUnpaid
	// found nothing there to close. It is best effort: the pay call's own
	// check and its scheduled reconciliation close what this misses.
	CloseAgain(ctx context.Context, o Order)
}

// Service is the order use cases.
type Service struct {
	db        *database.DB
	catalog   *catalog.Service
	inventory *inventory.Service
	settings  *setting.Service
	coupons   *coupon.Service
	customers *customer.Service
	flash     *flashsale.Service
	desk      *desk
	cart      Cart
	addresses AddressBook
	payments  PaymentCloser // nil: unpaid orders close without asking WeChat Pay
	metrics   *metrics.Metrics
	clock     *clock.Clock

	messages   subscribe.Emitter // nil: no subscribe messages
	attributor Attributor        // nil: every order is direct
	balances   Balances          // nil: no gift-card balance to pay with (balance.go)
	// paidHooks run in the transaction in which an order becomes paid
	// (became_paid.go).
	paidHooks []PaidHook
}

// Deps are the collaborators of the order service.
type Deps struct {
	DB        *database.DB
	Catalog   *catalog.Service
	Inventory *inventory.Service
	Settings  *setting.Service
	Coupons   *coupon.Service   // prices and redeems coupons; needed only by orders that use one
	Customers *customer.Service // finds shoppers by openid for the console's order search
	Flash     *flashsale.Service
	Cart      Cart
	Addresses AddressBook
	Payments  PaymentCloser
	Metrics   *metrics.Metrics
	Clock     *clock.Clock

	// Messages records subscribe-message events (order_paid) in the
	// transactions that cause them; nil sends none.
	Messages subscribe.Emitter
	// Attributor credits each order placed to a source and promoter; nil
	// places every order as direct.
	Attributor Attributor
}

// New builds the service.
func New(d Deps) *Service {
	s := &Service{
		db: d.DB, catalog: d.Catalog, inventory: d.Inventory, settings: d.Settings, coupons: d.Coupons,
		customers: d.Customers, flash: d.Flash, cart: d.Cart, addresses: d.Addresses, payments: d.Payments, metrics: d.Metrics,
		clock: d.Clock,
	}
	s.desk = newDesk(s)
	s.messages = d.Messages
	s.attributor = d.Attributor
	return s
}

// UsePaymentCloser wires the payment side in after both services exist (the
// payment service is built on top of this one).
func (s *Service) UsePaymentCloser(pc PaymentCloser) { s.payments = pc }
