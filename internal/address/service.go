// Package address keeps shoppers' shipping addresses in the Chinese format
// (name, phone, province, city, district, detail), one of them the default.
package address

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
)

// MaxPerShopper bounds the address book.
const MaxPerShopper = 20

// Address is one shipping address of a shopper.
type Address struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ShopperID int64     `gorm:"column:shopper_id"`
	Name      string    `gorm:"column:name"`
	Phone     string    `gorm:"column:phone"`
	Province  string    `gorm:"column:province"`
	City      string    `gorm:"column:city"`
	District  string    `gorm:"column:district"`
	Detail    string    `gorm:"column:detail"`
	IsDefault bool      `gorm:"column:is_default"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Address to its table.
func (Address) TableName() string { return "addresses" }

// Input is what a shopper writes; Validate trims and checks it. Update
// replaces every field, so an omitted field is an error, not "unchanged".
type Input struct {
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Province  string `json:"province"`
	City      string `json:"city"`
	District  string `json:"district"`
	Detail    string `json:"detail"`
	IsDefault bool   `json:"is_default"`
}

// Errors of the address book.
var (
	// ErrNotFound answers for an unknown address, and for anyone else's.
	ErrNotFound = errs.NotFound("address_not_found", "address.not_found")
	// ErrLimit refuses a 21st address.
	ErrLimit = errs.Rule("address_limit", "address.limit")
)

// A mainland mobile number, or a landline with its area code.
var phonePattern = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)

// Validate trims the fields and checks them, naming the first bad one.
func (in *Input) Validate() error {
	fields := []struct {
		name string
		v    *string
		max  int
	}{
		{"name", &in.Name, 50}, {"phone", &in.Phone, 20}, {"province", &in.Province, 50},
		{"city", &in.City, 50}, {"district", &in.District, 50}, {"detail", &in.Detail, 200},
	}
	for _, f := range fields {
		*f.v = strings.TrimSpace(*f.v)
		if n := len([]rune(*f.v)); n == 0 || n > f.max {
			return errs.Field(f.name, "address.field_length", "max", f.max)
		}
	}
	if !phonePattern.MatchString(in.Phone) {
		return errs.Field("phone", "address.phone")
	}
	return nil
}

// Service manages address books.
type Service struct {
	db       *database.DB
	shoppers *customer.Service
	clock    *clock.Clock
}

// New builds the service; shoppers takes a shopper's row lock, which keeps
// their address count within its limit under concurrent adds.
func New(db *database.DB, shoppers *customer.Service, clk *clock.Clock) *Service {
	return &Service{db: db, shoppers: shoppers, clock: clk}
}

// List returns a page of the shopper's addresses in the order they were added.
func (s *Service) List(ctx context.Context, shopperID int64, p page.Request) ([]Address, string, error) {
	var rows []Address
	err := s.db.Conn(ctx).Where("shopper_id = ? AND id > ?", shopperID, p.After).
		Order("id").Limit(p.Limit + 1).Find(&rows).Error
	if err != nil {
		return nil, "", err
	}
	rows, next := page.Trim(rows, p, func(a Address) int64 { return a.ID })
	return rows, next, nil
}

// Get returns one of the shopper's addresses.
func (s *Service) Get(ctx context.Context, shopperID, id int64) (Address, error) {
	var a Address
	err := s.db.Conn(ctx).Where("id = ? AND shopper_id = ?", id, shopperID).Take(&a).Error
	if database.IsNotFound(err) {
		return a, ErrNotFound
	}
	return a, err
}

// The address book is checkout's order.AddressBook as it is: order declares
// the port where it is used, and this package, below nothing order imports,
// fills it directly.
var _ order.AddressBook = (*Service)(nil)

// ShippingAddress is one of the shopper's addresses as an order snapshots it
// (ErrNotFound for anyone else's).
func (s *Service) ShippingAddress(ctx context.Context, shopperID, id int64) (order.Address, error) {
	a, err := s.Get(ctx, shopperID, id)
	if err != nil {
		return order.Address{}, err
	}
	return a.snapshot(), nil
}

func (a Address) snapshot() order.Address {
	return order.Address{Name: a.Name, Phone: a.Phone, Province: a.Province, City: a.City,
		District: a.District, Detail: a.Detail}
}

// ShippingAddresses is ShippingAddress for many refs with one query: the
// addresses found, by ref; a ref naming anyone else's address is left out.
// On PostgreSQL the ids go as one array, so the query's text is the same
// for any number of them.
func (s *Service) ShippingAddresses(ctx context.Context, refs []order.AddressRef) (map[order.AddressRef]order.Address, error) {
	out := make(map[order.AddressRef]order.Address, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	ids := make([]int64, 0, len(refs))
	seen := make(map[int64]bool, len(refs))
	for _, r := range refs {
		if !seen[r.AddressID] {
			seen[r.AddressID] = true
			ids = append(ids, r.AddressID)
		}
	}
	const columns = "SELECT id, shopper_id, name, phone, province, city, district, detail FROM addresses WHERE id "
	var rows *sql.Rows
	var err error
	if s.db.Dialect == database.Postgres {
		rows, err = s.db.Conn(ctx).Raw(columns+"= ANY(?::bigint[])", database.Array(ids)).Rows()
	} else {
		rows, err = s.db.Conn(ctx).Raw(columns+"IN ?", ids).Rows()
	}
	if err != nil {
		return nil, fmt.Errorf("read addresses: %w", err)
	}
	defer rows.Close()
	found := make(map[int64]Address, len(ids))
	for rows.Next() {
		var a Address
		if err := rows.Scan(&a.ID, &a.ShopperID, &a.Name, &a.Phone, &a.Province, &a.City, &a.District, &a.Detail); err != nil {
			return nil, fmt.Errorf("read addresses: %w", err)
		}
		found[a.ID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read addresses: %w", err)
	}
	for _, r := range refs {
		if a, ok := found[r.AddressID]; ok && a.ShopperID == r.ShopperID {
			out[r] = a.snapshot()
		}
	}
	return out, nil
}

// Create adds an address. The first one becomes the default; a new default
// takes the flag from the old one in the same transaction.
func (s *Service) Create(ctx context.Context, shopperID int64, in Input) (Address, error) {
	if err := in.Validate(); err != nil {
		return Address{}, err
	}
	var a Address
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.shoppers.Lock(ctx, shopperID); err != nil {
			return err
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&Address{}).Where("shopper_id = ?", shopperID).Count(&n).Error; err != nil {
			return err
		}
		if n >= MaxPerShopper {
			return ErrLimit.With("max", MaxPerShopper)
		}
		now := s.clock.Now()
		a = fromInput(in, shopperID)
		a.IsDefault = in.IsDefault || n == 0
		a.CreatedAt, a.UpdatedAt = now, now
		if a.IsDefault {
			if err := s.clearDefault(ctx, shopperID); err != nil {
				return err
			}
		}
		return s.db.Conn(ctx).Create(&a).Error
	})
	return a, err
}

// Update replaces an address's fields. Clearing is_default on the default
// keeps it the default: a shopper with addresses always has one.
func (s *Service) Update(ctx context.Context, shopperID, id int64, in Input) (Address, error) {
	if err := in.Validate(); err != nil {
		return Address{}, err
	}
	var a Address
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.shoppers.Lock(ctx, shopperID); err != nil {
			return err
		}
		old, err := s.Get(ctx, shopperID, id)
		if err != nil {
			return err
		}
		a = fromInput(in, shopperID)
		a.ID, a.CreatedAt, a.UpdatedAt = id, old.CreatedAt, s.clock.Now()
		a.IsDefault = in.IsDefault || old.IsDefault
		if a.IsDefault && !old.IsDefault {
			if err := s.clearDefault(ctx, shopperID); err != nil {
				return err
			}
		}
		return s.db.Conn(ctx).Model(&Address{}).Where("id = ? AND shopper_id = ?", id, shopperID).
			Select("name", "phone", "province", "city", "district", "detail", "is_default", "updated_at").Updates(&a).Error
	})
	return a, err
}

// Delete removes an address; if it was the default, the newest remaining one
// becomes the default. Orders keep their own copy of the address.
func (s *Service) Delete(ctx context.Context, shopperID, id int64) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.shoppers.Lock(ctx, shopperID); err != nil {
			return err
		}
		a, err := s.Get(ctx, shopperID, id)
		if err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("id = ? AND shopper_id = ?", id, shopperID).Delete(&Address{}).Error; err != nil {
			return err
		}
		if !a.IsDefault {
			return nil
		}
		var newest Address
		err = s.db.Conn(ctx).Where("shopper_id = ?", shopperID).Order("id DESC").Take(&newest).Error
		if database.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.db.Conn(ctx).Model(&Address{}).Where("id = ?", newest.ID).Update("is_default", true).Error
	})
}

func (s *Service) clearDefault(ctx context.Context, shopperID int64) error {
	return s.db.Conn(ctx).Model(&Address{}).Where("shopper_id = ? AND is_default = ?", shopperID, true).
		Update("is_default", false).Error
}

func fromInput(in Input, shopperID int64) Address {
	return Address{ShopperID: shopperID, Name: in.Name, Phone: in.Phone, Province: in.Province,
		City: in.City, District: in.District, Detail: in.Detail}
}
