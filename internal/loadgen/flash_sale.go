package loadgen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/inventory"
)

// flashSale is a sale as GET /api/v1/flash-sales/{id} shows it.
type flashSale struct {
	ID         int64       `json:"id"`
	Status     string      `json:"status"`
	StartsAt   time.Time   `json:"starts_at"`
	EndsAt     time.Time   `json:"ends_at"`
	ServerTime time.Time   `json:"server_time"`
	Limit      int         `json:"per_shopper_limit"`
	PaySeconds int         `json:"payment_seconds"`
	Items      []flashItem `json:"items"`

	offset  time.Duration // the server's clock minus this machine's
	created bool          // by this run, through -create-sale
}

type flashItem struct {
	SKUID     int64 `json:"sku_id"`
	ProductID int64 `json:"product_id"`
	Price     int64 `json:"price"`
	Allotted  int64 `json:"allotted"`
	Available int64 `json:"available"`
}

func (s flashSale) payWindow() time.Duration { return time.Duration(s.PaySeconds) * time.Second }

// saleLength is how long a created sale lasts: long enough for the race,
// the payments and the expiry of what was not paid. The run ends it early.
const saleLength = time.Hour

// flashSale finds the sale to race for: the one -flash-sale names, or a new
// one created in the database.
func (l *load) flashSale(ctx context.Context, r *Report) (flashSale, error) {
	id, created := l.o.Flash.SaleID, false
	if l.o.Flash.CreateSale {
		var err error
		if id, err = l.createSale(ctx, r); err != nil {
			return flashSale{}, err
		}
		created = true
	}
	if id == 0 {
		return flashSale{}, errors.New("flash: give -flash-sale ID, or -create-sale")
	}
	sale, err := l.readSale(ctx, l.o.Targets[0], id)
	sale.created = created
	return sale, err
}

// readSale reads the sale as shoppers see it, and from the server's time in
// the answer how far the server's clock is from this machine's.
func (l *load) readSale(ctx context.Context, base string, id int64) (flashSale, error) {
	var sale flashSale
	sent := time.Now()
	err := l.cl.call(ctx, "GET", fmt.Sprintf("%s/api/v1/flash-sales/%d", base, id), "", nil, &sale)
	if err != nil {
		return sale, err
	}
	got := time.Now()
	sale.offset = sale.ServerTime.Sub(sent.Add(got.Sub(sent) / 2))
	return sale, nil
}

// pickItem chooses the SKU to race for: the one asked for, else the first.
func (fr *flashRun) pickItem(skuID int64) error {
	for _, it := range fr.sale.Items {
		if skuID == 0 || it.SKUID == skuID {
			fr.item = it
			return nil
		}
	}
	return fmt.Errorf("flash sale %d has no SKU %d", fr.sale.ID, skuID)
}

// createSale schedules a sale through the flash-sale domain service, right
// in the shop's database (as the console would), starting -starts-in from
// now. The SKU is restocked first when it has fewer units than asked.
func (l *load) createSale(ctx context.Context, r *Report) (int64, error) {
	f := &l.o.Flash
	db, err := l.database(ctx)
	if err != nil {
		return 0, fmt.Errorf("-create-sale: %w", err)
	}
	if f.SKUID == 0 {
		cat, err := l.discover(ctx, 1)
		if err != nil {
			return 0, err
		}
		f.SKUID = cat.skus[0].id
	}
	var price int64
	if err := db.Conn(ctx).Raw("SELECT price FROM skus WHERE id = ?", f.SKUID).Scan(&price).Error; err != nil {
		return 0, err
	}
	added, err := l.restock(ctx, f.SKUID, f.Units)
	if err != nil {
		return 0, fmt.Errorf("restock sku %d: %w", f.SKUID, err)
	}
	if added > 0 {
		r.note("sku %d restocked with %d units (ledger kind receive) to allot %d", f.SKUID, added, f.Units)
	}
	start := time.Now().Add(f.StartsIn)
	sale, err := l.flashService(ctx).Create(ctx, loadActor, flashsale.Input{
		Title: "压测秒杀 " + l.o.Run, StartsAt: start, EndsAt: start.Add(saleLength), PerShopperLimit: f.Limit,
		PayWindow: f.PayWindow, Items: []flashsale.ItemInput{{SKUID: f.SKUID, Price: max(price/2, 1), Units: f.Units}},
	})
	if err != nil {
		return 0, fmt.Errorf("create flash sale: %w", err)
	}
	return sale.ID, nil
}

// endSale ends a sale this run created, as a merchant would: what is left
// goes back to the SKU's stock through the ledger.
func (l *load) endSale(ctx context.Context, id int64) error {
	_, err := l.flashService(ctx).End(ctx, loadActor, id)
	return err
}

func (l *load) flashService(ctx context.Context) *flashsale.Service {
	db, _ := l.database(ctx) // callers opened it already
	clk := clock.New()
	inv := inventory.New(db, clk)
	return flashsale.New(db, inv, catalog.New(db, inv, clk), audit.New(db, clk), clk)
}
