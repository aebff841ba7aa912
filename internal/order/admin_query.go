package order

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// AdminQuery filters the merchant's list of every shopper's orders. Each
// filter is served by an index (migration 00010) or, for a product's
// title, by a search of the products first, so a page stays fast however
// many orders the shop has.
type AdminQuery struct {
	Status    Status    // empty = all
	From, To  time.Time // placed in [From, To); zero = unbounded
	OrderNo   string    // exact order number
	Shopper   string    // a shopper's id or openid
	Product   string    // a product's id, or words of its title
	FlashSale int64     // orders placed in this flash sale; 0 = any
	Source    string    // orders credited to this source ("channel:AB12CD", …; SourceDirect, SourceShares); empty = any
	Page      page.Request
}

// Source filters with a meaning of their own: SourceDirect for orders
// credited to no source (their source is empty, which as a filter means
// "any"), SourceShares for every shopper's share ("share:<id>"), as the
// funnel counts them.
const (
	SourceDirect = "direct"
	SourceShares = "share"
)

// maxFilterLen bounds a typed filter, so nobody sends a novel as a LIKE pattern.
const maxFilterLen = 100

// Search lists orders matching q, newest first, each with its lines (loaded
// for the whole page in one query). The cursor is the last order's id.
func (s *Service) Search(ctx context.Context, q AdminQuery) ([]Order, string, error) {
	db, err := s.filtered(ctx, q)
	if err != nil {
		return nil, "", err
	}
	if db, err = s.seek(ctx, db, q, q.Page.After, "<"); err != nil {
		return nil, "", err
	}
	var orders []Order
	if err := db.Order(q.sortKey(" DESC")).Limit(q.Page.Limit + 1).Find(&orders).Error; err != nil {
		return nil, "", err
	}
	orders, next := page.Trim(orders, q.Page, func(o Order) int64 { return o.ID })
	return orders, next, s.withItems(ctx, orders)
}

// exportBatch is how many orders Export reads per query.
const exportBatch = 500

// Export walks every order matching q (its Page is ignored), oldest first,
// handing them to fn a batch at a time with their lines, so a year of
// orders streams out in constant memory with one query per batch for the
// orders and one for their lines. fn's error stops the walk.
func (s *Service) Export(ctx context.Context, q AdminQuery, fn func([]Order) error) error {
	var after int64
	for {
		db, err := s.filtered(ctx, q)
		if err == nil {
			db, err = s.seek(ctx, db, q, after, ">")
		}
		if err != nil {
			return err
		}
		var batch []Order
		if err := db.Order(q.sortKey("")).Limit(exportBatch).Find(&batch).Error; err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := s.withItems(ctx, batch); err != nil {
			return err
		}
		if err := fn(batch); err != nil {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

// byDate reports whether q filters by the day orders were placed. Such a
// list is sorted by placing time, then id, which the orders_created index
// serves in order, so a page of an old week is read straight from the
// index instead of scanning every newer order; otherwise it is sorted by
// id. Both orders agree but for orders placed in the same instant.
func (q AdminQuery) byDate() bool { return !q.From.IsZero() || !q.To.IsZero() }

func (q AdminQuery) sortKey(dir string) string {
	if q.byDate() {
		return "created_at" + dir + ", id" + dir
	}
	return "id" + dir
}

// seek narrows db to the orders after the one with id cursor in q's sort
// order (op "<" going newest first, ">" oldest first); 0 means from the start.
func (s *Service) seek(ctx context.Context, db *gorm.DB, q AdminQuery, cursor int64, op string) (*gorm.DB, error) {
	switch {
	case cursor <= 0:
		return db, nil
	case !q.byDate():
		return db.Where("id "+op+" ?", cursor), nil
	}
	var at Order
	if err := s.db.Conn(ctx).Select("id, created_at").Where("id = ?", cursor).Take(&at).Error; err != nil {
		if database.IsNotFound(err) {
			return nil, errs.Field("cursor", "invalid.cursor")
		}
		return nil, err
	}
	return db.Where("(created_at, id) "+op+" (?, ?)", at.CreatedAt, at.ID), nil
}

// filtered is the orders query narrowed by q's filters.
func (s *Service) filtered(ctx context.Context, q AdminQuery) (*gorm.DB, error) {
	if q.Status != "" && !q.Status.Valid() {
		return nil, errs.Field("status", "invalid.order_status")
	}
	for field, v := range map[string]string{"order_no": q.OrderNo, "shopper": q.Shopper, "product": q.Product, "source": q.Source} {
		if utf8.RuneCountInString(v) > maxFilterLen {
			return nil, errs.Field(field, "invalid.max_length", "max", maxFilterLen)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, errs.Field("to", "order.to_before_from")
	}
	conn := s.db.Conn(ctx)
	db := conn.Model(&Order{})
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.Status == StatusPaid {
		// Paid is "to ship": a gift-card order has nothing to ship (its
		// cards were issued when it was paid), so it is not listed there.
		db = db.Where("kind <> ?", KindGiftCard)
	}
	if !q.From.IsZero() {
		db = db.Where("created_at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		db = db.Where("created_at < ?", q.To.UTC())
	}
	if q.FlashSale > 0 {
		db = db.Where("flash_sale_id = ?", q.FlashSale)
	}
	switch src := strings.TrimSpace(q.Source); src {
	case "":
	case SourceDirect:
		db = db.Where("source = ''")
	case SourceShares:
		db = db.Where("source LIKE 'share:%'")
	default:
		db = db.Where("source = ?", src)
	}
	if no := strings.TrimSpace(q.OrderNo); no != "" {
		db = db.Where("order_no = ?", no)
	}
	if who := strings.TrimSpace(q.Shopper); who != "" {
		if id, err := strconv.ParseInt(who, 10, 64); err == nil {
			db = db.Where("shopper_id = ?", id)
		} else {
			ids, err := s.customers.IDsByOpenID(ctx, who)
			if err != nil {
				return nil, err
			}
			db = db.Where("shopper_id IN ?", ids)
		}
	}
	if what := strings.TrimSpace(q.Product); what != "" {
		var err error
		if db, err = s.byProduct(ctx, db, what); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// fewProducts is how many products a title search may match for their
// orders to be found through their lines (order_items_product); a search
// matching more is common enough that checking the newest orders one by
// one fills a page at once.
const fewProducts = 1000

// byProduct narrows db to orders with a line of the product whose id is
// what, or whose current title contains what. The products are searched
// first, by the catalog (a few thousand rows, not every order line). A rare title leads
// through the index to its few orders. For a common one each order, newest
// first, is checked by a correlated subquery; it is an aggregate so that
// PostgreSQL keeps it per order (an EXISTS would become a join over every
// matching line, as its LIKE estimates are blind) and the scan stops once
// a page is full.
func (s *Service) byProduct(ctx context.Context, db *gorm.DB, what string) (*gorm.DB, error) {
	conn := s.db.Conn(ctx)
	if id, err := strconv.ParseInt(what, 10, 64); err == nil {
		return db.Where("id IN (?)", conn.Table("order_items").Select("order_id").Where("product_id = ?", id)), nil
	}
	ids, err := s.catalog.ProductIDsTitled(ctx, what, fewProducts+1)
	if err != nil {
		return nil, err
	}
	if len(ids) <= fewProducts {
		return db.Where("id IN (?)", conn.Table("order_items").Select("order_id").Where("product_id IN ?", ids)), nil
	}
	return db.Where(`(SELECT MIN(oi.product_id) FROM order_items oi
		WHERE oi.order_id = orders.id AND oi.product_id IN (?)) IS NOT NULL`, s.catalog.ProductsTitledQuery(ctx, what)), nil
}

// withItems loads the lines of a page of orders in one query.
func (s *Service) withItems(ctx context.Context, orders []Order) error {
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	items, err := s.items(ctx, ids)
	if err != nil {
		return err
	}
	for i := range orders {
		orders[i].Items = items[orders[i].ID]
	}
	return nil
}

// ByNos returns the orders with these numbers, without their lines, by
// number (unknown numbers are absent), a few hundred per query.
func (s *Service) ByNos(ctx context.Context, nos []string) (map[string]Order, error) {
	out := make(map[string]Order, len(nos))
	for start := 0; start < len(nos); start += exportBatch {
		var batch []Order
		if err := s.db.Conn(ctx).Where("order_no IN ?", nos[start:min(start+exportBatch, len(nos))]).Find(&batch).Error; err != nil {
			return nil, err
		}
		for _, o := range batch {
			out[o.OrderNo] = o
		}
	}
	return out, nil
}
