package address_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/address"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/testkit"
)

func setup(t *testing.T) (*address.Service, func(name string) int64) {
	db := dbtest.Open(t)
	shopper := func(name string) int64 { return testkit.Shopper(t, db, name) }
	return address.New(db, customer.New(db, clock.New()), clock.New()), shopper
}

func input(name string, def bool) address.Input {
	return address.Input{Name: name, Phone: "13800138000", Province: "广东省", City: "深圳市",
		District: "南山区", Detail: "科技园 1 号", IsDefault: def}
}

// defaults lists the ids of the shopper's default addresses (there must be one).
func defaults(t *testing.T, s *address.Service, shopper int64) []int64 {
	t.Helper()
	rows, _, err := s.List(context.Background(), shopper, page.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range rows {
		if a.IsDefault {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func TestAddressValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	tests := []struct {
		name  string
		edit  func(*address.Input)
		field string // "" means valid
	}{
		{"valid mobile", func(*address.Input) {}, ""},
		{"landline with dash", func(in *address.Input) { in.Phone = "010-12345678" }, ""},
		{"landline without dash", func(in *address.Input) { in.Phone = "07551234567" }, ""},
		{"spaces trimmed", func(in *address.Input) { in.Name = "  张三  "; in.Phone = " 13900139000 " }, ""},
		{"50-rune name", func(in *address.Input) { in.Name = long(50) }, ""},
		{"51-rune name", func(in *address.Input) { in.Name = long(51) }, "name"},
		{"blank name", func(in *address.Input) { in.Name = "   " }, "name"},
		{"mobile starting 12", func(in *address.Input) { in.Phone = "12800138000" }, "phone"},
		{"mobile too short", func(in *address.Input) { in.Phone = "1380013800" }, "phone"},
		{"letters", func(in *address.Input) { in.Phone = "1380013800a" }, "phone"},
		{"missing phone", func(in *address.Input) { in.Phone = "" }, "phone"},
		{"missing province", func(in *address.Input) { in.Province = "" }, "province"},
		{"missing city", func(in *address.Input) { in.City = "" }, "city"},
		{"missing district", func(in *address.Input) { in.District = "" }, "district"},
		{"200-rune detail", func(in *address.Input) { in.Detail = long(200) }, ""},
		{"201-rune detail", func(in *address.Input) { in.Detail = long(201) }, "detail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input("张三", false)
			tt.edit(&in)
			err := in.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if in.Name != strings.TrimSpace(in.Name) || in.Phone != strings.TrimSpace(in.Phone) {
					t.Fatalf("not trimmed: %+v", in)
				}
				return
			}
			if e := errs.As(err); e.Code != "invalid_field" || e.Details["field"] != tt.field {
				t.Fatalf("got %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestAddressDefaultRules(t *testing.T) {
	s, shopper := setup(t)
	ctx, alice := context.Background(), shopper("alice")

	first, err := s.Create(ctx, alice, input("一", false))
	if err != nil || !first.IsDefault {
		t.Fatalf("the first address becomes the default: %+v %v", first, err)
	}
	second, _ := s.Create(ctx, alice, input("二", false))
	third, _ := s.Create(ctx, alice, input("三", true))
	if d := defaults(t, s, alice); len(d) != 1 || d[0] != third.ID || second.IsDefault {
		t.Fatalf("defaults %v, want [%d]", d, third.ID)
	}
	// Setting is_default on another moves the flag; clearing it on the default keeps it.
	if a, err := s.Update(ctx, alice, first.ID, input("一改", true)); err != nil || !a.IsDefault || a.Name != "一改" {
		t.Fatalf("update: %+v %v", a, err)
	}
	if d := defaults(t, s, alice); len(d) != 1 || d[0] != first.ID {
		t.Fatalf("defaults %v, want [%d]", d, first.ID)
	}
	if a, err := s.Update(ctx, alice, first.ID, input("一", false)); err != nil || !a.IsDefault {
		t.Fatalf("clearing the default: %+v %v", a, err)
	}
	// Deleting the default promotes the newest remaining address.
	if err := s.Delete(ctx, alice, first.ID); err != nil {
		t.Fatal(err)
	}
	if d := defaults(t, s, alice); len(d) != 1 || d[0] != third.ID {
		t.Fatalf("after deleting the default: %v, want [%d]", d, third.ID)
	}
	// Deleting a non-default leaves the default alone.
	if err := s.Delete(ctx, alice, second.ID); err != nil {
		t.Fatal(err)
	}
	if d := defaults(t, s, alice); len(d) != 1 || d[0] != third.ID {
		t.Fatalf("after deleting another: %v", d)
	}
	if err := s.Delete(ctx, alice, third.ID); err != nil {
		t.Fatal(err)
	}
	if d := defaults(t, s, alice); len(d) != 0 {
		t.Fatalf("empty book has defaults %v", d)
	}
}

func TestAddressOwnershipAndLimit(t *testing.T) {
	s, shopper := setup(t)
	ctx, alice, bob := context.Background(), shopper("alice"), shopper("bob")
	a, _ := s.Create(ctx, alice, input("张三", false))

	_, err := s.Get(ctx, bob, a.ID)
	wantNotFound(t, err)
	_, err = s.Update(ctx, bob, a.ID, input("李四", true))
	wantNotFound(t, err)
	wantNotFound(t, s.Delete(ctx, bob, a.ID))
	if got, err := s.Get(ctx, alice, a.ID); err != nil || got.Name != "张三" || !got.IsDefault {
		t.Fatalf("alice's address changed: %+v %v", got, err)
	}
	// Checkout's snapshot of it: the same checks, the fields an order keeps.
	_, err = s.ShippingAddress(ctx, bob, a.ID)
	wantNotFound(t, err)
	snap, err := s.ShippingAddress(ctx, alice, a.ID)
	if err != nil || snap != (order.Address{Name: a.Name, Phone: a.Phone, Province: a.Province, City: a.City,
		District: a.District, Detail: a.Detail}) || snap.Name != "张三" {
		t.Fatalf("alice's shipping address: %+v %v", snap, err)
	}

	// Many at once, as a flash batch reads them: each ref gets its own
	// shopper's address; anyone else's, or an unknown id, is left out.
	b, _ := s.Create(ctx, bob, input("李四", false))
	refs := []order.AddressRef{{ShopperID: alice, AddressID: a.ID}, {ShopperID: bob, AddressID: a.ID},
		{ShopperID: bob, AddressID: b.ID}, {ShopperID: alice, AddressID: a.ID}, {ShopperID: alice, AddressID: 999999}}
	many, err := s.ShippingAddresses(ctx, refs)
	if err != nil || len(many) != 2 || many[refs[0]] != snap || many[refs[2]].Name != "李四" {
		t.Fatalf("shipping addresses %v: %+v %v", refs, many, err)
	}

	for i := 1; i < address.MaxPerShopper; i++ {
		if _, err := s.Create(ctx, alice, input(fmt.Sprint("地址", i), false)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.Create(ctx, alice, input("多余", false))
	if !errs.Is(err, "address_limit") {
		t.Fatalf("21st address: %v", err)
	}
	// The limit is per shopper.
	if _, err := s.Create(ctx, bob, input("李四", false)); err != nil {
		t.Fatal(err)
	}
}

// Racing first addresses must leave exactly one default, not trip the
// one-default index with a 500.
func TestAddressConcurrentCreates(t *testing.T) {
	s, shopper := setup(t)
	ctx, alice := context.Background(), shopper("alice")
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := s.Create(ctx, alice, input(fmt.Sprint("并发", i), i%2 == 0)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if d := defaults(t, s, alice); len(d) != 1 {
		t.Fatalf("defaults %v, want exactly one", d)
	}
}

func wantNotFound(t *testing.T, err error) {
	t.Helper()
	testkit.WantCode(t, err, "address_not_found")
}
