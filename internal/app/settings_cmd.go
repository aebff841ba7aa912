package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/setting"
)

// Settings shows the shop settings, or changes them from key=value
// arguments (`kaidian settings order_timeout=30m shipping_fee=800`), so an
// operator can set up a shop from the command line or a script. Values are
// validated as the console's settings page validates them.
func Settings(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := setting.New(db, audit.New(db, clock.New()))
	shop, err := svc.Get(ctx)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		for _, a := range args {
			if err := apply(&shop, a); err != nil {
				return err
			}
		}
		if shop, err = svc.Update(ctx, "operator:cli", shop); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "name=%s\nshipping_fee=%d\nfree_shipping_threshold=%d\norder_timeout=%s\n",
		shop.Name, shop.ShippingFee, shop.FreeShippingThreshold, shop.OrderTimeout())
	return nil
}

// apply sets one key=value on the settings; amounts are in fen.
func apply(shop *setting.Shop, arg string) error {
	key, value, ok := strings.Cut(arg, "=")
	if !ok {
		return fmt.Errorf("settings: %q is not key=value", arg)
	}
	fen := func() (int64, error) {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("settings: %s must be a whole number of fen", key)
		}
		return n, nil
	}
	var err error
	switch key {
	case "name":
		shop.Name = value
	case "shipping_fee":
		shop.ShippingFee, err = fen()
	case "free_shipping_threshold":
		shop.FreeShippingThreshold, err = fen()
	case "order_timeout":
		d, perr := time.ParseDuration(value)
		if perr != nil {
			return fmt.Errorf("settings: order_timeout must be a duration such as 15m")
		}
		shop.OrderTimeoutSeconds = int(d / time.Second)
	default:
		return fmt.Errorf("settings: unknown key %q (name, shipping_fee, free_shipping_threshold, order_timeout)", key)
	}
	return err
}
