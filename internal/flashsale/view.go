package flashsale

import (
	"context"
	"strconv"
	"time"
)

// View is a sale as shoppers see it, and what the order desk checks a
// request against before it queues: the sale, its SKUs with their catalog
// snapshot, and units left as of Loaded.
type View struct {
	Sale
	Offers []Offer
	Loaded time.Time
}

// Offer is one SKU of a sale for shoppers.
type Offer struct {
	ItemID        int64  `gorm:"column:item_id"`
	SKUID         int64  `gorm:"column:sku_id"`
	ProductID     int64  `gorm:"column:product_id"`
	Title         string `gorm:"column:title"`
	SpecText      string `gorm:"column:spec_text"`
	Image         string `gorm:"column:image"`
	Price         int64  `gorm:"column:price"`
	OriginalPrice int64  `gorm:"column:original_price"`
	Allotted      int64  `gorm:"column:allotted"`
	Available     int64  `gorm:"column:available"`
}

// Offer finds the sale's offer of a SKU.
func (v View) Offer(skuID int64) (Offer, bool) {
	for _, o := range v.Offers {
		if o.SKUID == skuID {
			return o, true
		}
	}
	return Offer{}, false
}

// SoldOut reports whether no SKU of the sale had units left when loaded.
func (v View) SoldOut() bool {
	for _, o := range v.Offers {
		if o.Available > 0 {
			return false
		}
	}
	return true
}

// Check tells whether a shopper may try to buy quantity of skuID at now:
// the sale is open by the server's clock, offers the SKU, and the quantity
// is within the per-shopper limit. Units left are the desk's business.
func (v View) Check(now time.Time, skuID int64, quantity int) (Offer, error) {
	switch v.PhaseAt(now) {
	case PhaseUpcoming:
		return Offer{}, ErrNotStarted.With("starts_at", v.StartsAt)
	case PhaseEnded:
		return Offer{}, ErrEnded.With("ends_at", v.EndsAt)
	}
	o, ok := v.Offer(skuID)
	if !ok {
		return Offer{}, ErrNotInSale.With("sku_id", skuID)
	}
	if quantity > v.PerShopperLimit {
		return Offer{}, ErrLimitReached.With("per_shopper_limit", v.PerShopperLimit)
	}
	return o, nil
}

type cachedView struct{ view View }

// View returns the sale as shoppers see it, from a copy at most viewTTL old.
func (s *Service) View(ctx context.Context, id int64) (View, error) {
	now := s.clock.Now()
	if c, ok := s.views.Load(id); ok {
		cv := c.(*cachedView)
		if now.Sub(cv.view.Loaded) < viewTTL {
			return cv.view, nil
		}
	}
	v, err, _ := s.loading.Do(strconv.FormatInt(id, 10), func() (any, error) {
		v, err := s.loadView(ctx, id)
		if err != nil {
			// Neither failures nor unknown ids are remembered: the copies stay
			// one per real sale, whatever ids clients make up.
			return View{}, err
		}
		s.views.Store(id, &cachedView{view: v})
		return v, nil
	})
	return v.(View), err
}

func (s *Service) loadView(ctx context.Context, id int64) (View, error) {
	v := View{Loaded: s.clock.Now()}
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&v.Sale).Error
	if err != nil {
		if isNotFound(err) {
			return v, ErrNotFound.With("flash_sale_id", id)
		}
		return v, err
	}
	views := []View{v}
	err = s.attachOffers(ctx, views)
	return views[0], err
}

func (s *Service) attachOffers(ctx context.Context, views []View) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]int64, len(views))
	at := map[int64]int{}
	for i, v := range views {
		ids[i], at[v.ID] = v.ID, i
	}
	var items []struct {
		SaleID    int64 `gorm:"column:flash_sale_id"`
		ItemID    int64 `gorm:"column:id"`
		SKUID     int64 `gorm:"column:sku_id"`
		ProductID int64 `gorm:"column:product_id"`
		Price     int64 `gorm:"column:price"`
		Allotted  int64 `gorm:"column:allotted"`
		Available int64 `gorm:"column:available"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT flash_sale_id, id, sku_id, product_id, price, allotted, available
		FROM flash_sale_items WHERE flash_sale_id IN ? ORDER BY id`, ids).Scan(&items).Error
	if err != nil {
		return err
	}
	skuIDs := make([]int64, len(items))
	for i, it := range items {
		skuIDs[i] = it.SKUID
	}
	// titles, combinations, images and regular prices are the catalog's
	skus, err := s.catalog.Sellables(ctx, skuIDs)
	if err != nil {
		return err
	}
	for _, it := range items {
		k, ok := skus[it.SKUID]
		if !ok {
			continue // a SKU the catalog no longer has is not offered
		}
		i := at[it.SaleID]
		views[i].Offers = append(views[i].Offers, Offer{
			ItemID: it.ItemID, SKUID: it.SKUID, ProductID: it.ProductID, Title: k.Title, SpecText: k.SpecText,
			Image: k.Image, Price: it.Price, OriginalPrice: k.Price, Allotted: it.Allotted, Available: it.Available,
		})
	}
	return nil
}

// currentKey is the cache slot of the list of current sales (ids are positive).
const currentKey = int64(-1)

// Current lists the sales shoppers can see: upcoming and live ones, soonest
// start first, from a copy at most viewTTL old.
func (s *Service) Current(ctx context.Context) ([]View, error) {
	now := s.clock.Now()
	if c, ok := s.views.Load(currentKey); ok {
		cv := c.(*cachedList)
		if now.Sub(cv.loaded) < viewTTL {
			return cv.views, nil
		}
	}
	v, err, _ := s.loading.Do("current", func() (any, error) {
		loaded := s.clock.Now()
		var sales []Sale
		if err := s.db.Conn(ctx).Where("ended_at IS NULL AND ends_at > ?", loaded).
			Order("starts_at, id").Limit(100).Find(&sales).Error; err != nil {
			return nil, err
		}
		views := make([]View, len(sales))
		for i, sale := range sales {
			views[i] = View{Sale: sale, Loaded: loaded}
		}
		if err := s.attachOffers(ctx, views); err != nil {
			return nil, err
		}
		s.views.Store(currentKey, &cachedList{views: views, loaded: loaded})
		return views, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]View), nil
}

type cachedList struct {
	views  []View
	loaded time.Time
}

// forget drops this replica's copies after a change made here, so the
// merchant sees their edit at once (other replicas within viewTTL).
func (s *Service) forget(id int64) {
	s.views.Delete(id)
	s.views.Delete(currentKey)
}
