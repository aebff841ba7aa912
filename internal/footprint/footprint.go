// Package footprint keeps what each logged-in shopper viewed: one entry per
// product per day (the shop's day, Beijing time), latest first, kept 90
// days. Views reach it through a Recorder, an in-memory buffer flushed in
// batches off the request's path, so recording never slows the product page.
package footprint

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Retention is how long a footprint is kept.
const Retention = 90 * 24 * time.Hour

// View is one product page seen by one shopper.
type View struct {
	ShopperID, ProductID int64
	At                   time.Time
}

// Footprint is one product a shopper viewed on a day, with how it looks now.
type Footprint struct {
	ID       int64
	Day      string // YYYY-MM-DD, the shop's day
	ViewedAt time.Time
	Product  catalog.Glance
}

// Catalog is what footprints ask the catalog.
type Catalog interface {
	Glances(ctx context.Context, ids []int64) (map[int64]catalog.Glance, error)
}

// Store writes, lists and prunes footprints.
type Store struct {
	db    *database.DB
	cat   Catalog
	clock *clock.Clock
}

// NewStore builds the store.
func NewStore(db *database.DB, cat Catalog, clk *clock.Clock) *Store {
	return &Store{db: db, cat: cat, clock: clk}
}

// rowsPerStatement bounds one upsert: 4 parameters a row stays far below
// both engines' parameter limits (SQLite 32,766; PostgreSQL 65,535).
const rowsPerStatement = 500

// key is one footprint row: a shopper's views of a product on a day.
type key struct {
	shopper, product int64
	day              string
}

// upsertTail keeps the latest view of a footprint, whichever batch brings it.
const upsertTail = " ON CONFLICT (shopper_id, product_id, day) DO UPDATE SET viewed_at = excluded.viewed_at" +
	" WHERE excluded.viewed_at > footprints.viewed_at"

// Save records views, several rows per statement: views of one product by
// one shopper on one day fold into one row holding the latest time. Within
// a statement the keys are made unique first (PostgreSQL refuses to update
// one row twice in one INSERT … ON CONFLICT), and the update keeps the later
// time, so batches flushed out of order never move a footprint back.
func (s *Store) Save(ctx context.Context, views []View) error {
	latest := make(map[key]time.Time, len(views))
	order := make([]key, 0, len(views))
	for _, v := range views {
		at := v.At.UTC().Truncate(time.Microsecond) // PostgreSQL's precision, so the cursor compares exactly
		k := key{v.ShopperID, v.ProductID, day(at)}
		if prev, ok := latest[k]; !ok {
			order = append(order, k)
			latest[k] = at
		} else if at.After(prev) {
			latest[k] = at
		}
	}
	if s.db.Dialect == database.Postgres {
		return s.savePostgres(ctx, order, latest)
	}
	for len(order) > 0 {
		n := min(len(order), rowsPerStatement)
		var sql strings.Builder
		sql.WriteString("INSERT INTO footprints (shopper_id, product_id, day, viewed_at) VALUES ")
		args := make([]any, 0, 4*n)
		for i, k := range order[:n] {
			if i > 0 {
				sql.WriteByte(',')
			}
			sql.WriteString("(?, ?, ?, ?)")
			args = append(args, k.shopper, k.product, k.day, latest[k])
		}
		sql.WriteString(upsertTail)
		if err := s.db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("footprint: save: %w", err)
		}
		order = order[n:]
	}
	return nil
}

// List returns a page of the shopper's footprints, latest first, and the
// next page's cursor ("" on the last). Footprints older than Retention that
// the pruning job has not reached yet are not shown.
func (s *Store) List(ctx context.Context, shopperID int64, cursor string, limit int) ([]Footprint, string, error) {
	// By the shopper's days, newest first, then by time within a day: the
	// index is (shopper_id, day), so a re-view that moves viewed_at changes
	// no index and PostgreSQL updates the row in place (a HOT update).
	q := s.db.Conn(ctx).Table("footprints").Select("id, product_id, day, viewed_at").
		Where("shopper_id = ? AND day > ?", shopperID, day(s.clock.Now().Add(-Retention)))
	if cursor != "" {
		at, id, err := parseCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		d := day(at) // a footprint's time falls on its day
		q = q.Where("day < ? OR (day = ? AND (viewed_at < ? OR (viewed_at = ? AND id < ?)))", d, d, at, at, id)
	}
	var rows []struct {
		ID        int64     `gorm:"column:id"`
		ProductID int64     `gorm:"column:product_id"`
		Day       string    `gorm:"column:day"`
		ViewedAt  time.Time `gorm:"column:viewed_at"`
	}
	if err := q.Order("day DESC, viewed_at DESC, id DESC").Limit(limit + 1).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("footprint: list: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = makeCursor(last.ViewedAt, last.ID)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ProductID
	}
	glances, err := s.cat.Glances(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]Footprint, 0, len(rows))
	for _, r := range rows {
		if g, ok := glances[r.ProductID]; ok {
			out = append(out, Footprint{ID: r.ID, Day: r.Day, ViewedAt: r.ViewedAt.UTC(), Product: g})
		}
	}
	return out, next, nil
}

// Clear forgets every footprint of the shopper.
func (s *Store) Clear(ctx context.Context, shopperID int64) error {
	if err := s.db.Conn(ctx).Exec("DELETE FROM footprints WHERE shopper_id = ?", shopperID).Error; err != nil {
		return fmt.Errorf("footprint: clear: %w", err)
	}
	return nil
}

// PruneBatch is how many footprints one delete statement removes: small
// enough that each statement holds its locks (SQLite: the database) for
// milliseconds while shoppers' views keep being written.
const PruneBatch = 5000

// Prune deletes the footprints of the day Retention ago and before (as
// List no longer shows them: a footprint lives 89 to 90 days), PruneBatch
// rows per statement until none is left, and says how many it deleted. It
// walks the primary key: a footprint's row is inserted on its day's first
// view, so the oldest days hold the smallest ids and each statement stops
// soon after it starts, with no index on the time to keep up on every view.
func (s *Store) Prune(ctx context.Context) (int64, error) {
	cutoff := day(s.clock.Now().Add(-Retention))
	var total int64
	for ctx.Err() == nil {
		res := s.db.Conn(ctx).Exec(`DELETE FROM footprints WHERE id IN
			(SELECT id FROM footprints WHERE day <= ? ORDER BY id LIMIT ?)`, cutoff, PruneBatch)
		if res.Error != nil {
			return total, fmt.Errorf("footprint: prune: %w", res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < PruneBatch {
			return total, nil
		}
	}
	return total, ctx.Err()
}

// day is the shop's day of t (Beijing time), as footprints store it.
func day(t time.Time) string { return t.In(clock.China).Format(time.DateOnly) }

// The cursor is the last footprint's time (microseconds) and id: times
// repeat across products, the pair does not.
func makeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("f1:" + strconv.FormatInt(at.UnixMicro(), 10) + ":" + strconv.FormatInt(id, 10)))
}

func parseCursor(c string) (time.Time, int64, error) {
	bad := errs.Field("cursor", "invalid.cursor")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, 0, bad
	}
	rest, ok := strings.CutPrefix(string(raw), "f1:")
	at, id, ok2 := strings.Cut(rest, ":")
	micro, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil || n <= 0 {
		return time.Time{}, 0, bad
	}
	return time.UnixMicro(micro).UTC(), n, nil
}

// savePostgres writes the footprints in one statement of four arrays: its
// text is the same for any number of rows, so PostgreSQL plans it once per
// connection, and the rows travel as four binary arrays instead of four
// parameters each, which gorm would otherwise expand and convert one by one
// on the flusher's goroutine, beside the requests.
func (s *Store) savePostgres(ctx context.Context, order []key, latest map[key]time.Time) error {
	shoppers, products := make([]int64, len(order)), make([]int64, len(order))
	days, ats := make([]string, len(order)), make([]time.Time, len(order))
	for i, k := range order {
		shoppers[i], products[i], days[i], ats[i] = k.shopper, k.product, k.day, latest[k]
	}
	err := s.db.Conn(ctx).Exec("INSERT INTO footprints (shopper_id, product_id, day, viewed_at) "+
		"SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[])"+upsertTail,
		database.Array(shoppers), database.Array(products), database.Array(days), database.Array(ats)).Error
	if err != nil {
		return fmt.Errorf("footprint: save: %w", err)
	}
	return nil
}
