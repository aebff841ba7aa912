package attribution

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/setting"
)

// Funnel steps counted per shopper in funnel_shoppers.
const (
	stepVisit = "visit"
	stepCart  = "cart"
)

// visitRow is a visit as its table keeps it.
type visitRow struct {
	shopper     *int64
	source, raw string
	entry       int
	path, day   string
	at          time.Time
}

// touch is one shopper's first and last source in a batch.
type touch struct {
	firstSource, lastSource string
	firstAt, lastAt         time.Time
}

// binding is a new binding a batch asks for.
type binding struct {
	promoterID int64
	at         time.Time
}

// dayKey is a (day, source) of the funnel.
type dayKey struct{ day, source string }

// daily is one (day, source)'s counts added by a batch.
type daily struct{ visits, visitors, carts int64 }

// FunnelSource is the source the funnel counts a source under: every
// shopper's share is one source, "share" (the funnel compares channels,
// promoters and sharing as a whole, not thousands of sharers); orders keep
// "share:<id>".
func FunnelSource(source string) string {
	if strings.HasPrefix(source, "share:") {
		return "share"
	}
	return source
}

// shopperKey is a shopper counted once per day, source and step.
type shopperKey struct {
	step, day, source string
	shopper           int64
}

// save writes a batch of events in one transaction: the visits, the daily
// counts, the shoppers counted by the funnel, their touches and the
// bindings the batch makes. Each table's rows are written in key order, so
// two replicas flushing at once lock shared rows in the same order and
// wait for each other rather than deadlock. Sources are resolved here, off the request's
// path, mostly from the cache.
func (s *Service) save(ctx context.Context, events []event) error {
	shop, err := s.settings.Get(ctx)
	if err != nil {
		return fmt.Errorf("visits: %w", err)
	}
	var (
		visits   = make([]visitRow, 0, len(events))
		days     = map[dayKey]*daily{}
		counted  = map[shopperKey]bool{}
		touches  = map[int64]*touch{}
		bindings = map[int64]binding{}
		carts    []event
	)
	for _, e := range events {
		at := e.at.UTC().Truncate(time.Microsecond)
		if e.cart {
			carts = append(carts, e)
			continue
		}
		r, err := s.resolve(ctx, e.shopperID, e.visit.Scene, e.visit.Ref)
		if err != nil {
			return fmt.Errorf("visits: resolve: %w", err)
		}
		raw := e.visit.Scene
		if raw == "" {
			raw = e.visit.Ref
		}
		row := visitRow{source: r.source, raw: cut(raw, MaxRawRunes), entry: e.visit.Entry, path: e.visit.Path, day: day(at), at: at}
		dayOf(days, row.day, FunnelSource(row.source)).visits++
		if e.shopperID > 0 {
			id := e.shopperID
			row.shopper = &id
			counted[shopperKey{stepVisit, row.day, FunnelSource(row.source), id}] = true
			if r.source != Direct {
				addTouch(touches, id, r.source, at)
			}
			if _, bound := bindings[id]; !bound && r.associate != nil && scanEntries[e.visit.Entry] {
				bindings[id] = binding{promoterID: r.associate.ID, at: at} // the batch's first scan: first wins
			}
		}
		visits = append(visits, row)
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.insertVisits(ctx, visits); err != nil {
			return err
		}
		if err := s.upsertTouches(ctx, touches); err != nil {
			return err
		}
		if err := s.bind(ctx, bindings, shop.Attribution()); err != nil {
			return err
		}
		if err := s.countCarts(ctx, carts, shop.Attribution(), counted); err != nil {
			return err
		}
		if err := s.countShoppers(ctx, counted, days); err != nil {
			return err
		}
		return s.addDaily(ctx, days)
	})
}

func dayOf(days map[dayKey]*daily, day, source string) *daily {
	k := dayKey{day, source}
	d := days[k]
	if d == nil {
		d = &daily{}
		days[k] = d
	}
	return d
}

func addTouch(touches map[int64]*touch, id int64, source string, at time.Time) {
	t, ok := touches[id]
	if !ok {
		touches[id] = &touch{firstSource: source, lastSource: source, firstAt: at, lastAt: at}
		return
	}
	if at.Before(t.firstAt) {
		t.firstSource, t.firstAt = source, at
	}
	if !at.Before(t.lastAt) {
		t.lastSource, t.lastAt = source, at
	}
}

// rowsPerStatement bounds one multi-row statement: 8 parameters a row stay
// far below both engines' parameter limits.
const rowsPerStatement = 500

// insertVisits writes the visits: on PostgreSQL with one statement of
// arrays whatever their number (its text never changes, so it is planned
// once per connection, as footprints do), on SQLite with multi-row inserts.
func (s *Service) insertVisits(ctx context.Context, rows []visitRow) error {
	if len(rows) == 0 {
		return nil
	}
	if s.db.Dialect == database.Postgres {
		n := len(rows)
		shoppers, entries := make([]*int64, n), make([]int64, n)
		sources, raws, paths, days := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		ats := make([]time.Time, n)
		for i, r := range rows {
			shoppers[i], entries[i], sources[i], raws[i], paths[i], days[i], ats[i] = r.shopper, int64(r.entry), r.source, r.raw, r.path, r.day, r.at
		}
		err := s.db.Conn(ctx).Exec("INSERT INTO visits (shopper_id, source, entry, path, raw, day, created_at) "+
			"SELECT * FROM unnest(?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])",
			database.Array(shoppers), database.Array(sources), database.Array(entries), database.Array(paths),
			database.Array(raws), database.Array(days), database.Array(ats)).Error
		if err != nil {
			return fmt.Errorf("visits: insert: %w", err)
		}
		return nil
	}
	return chunks(len(rows), func(from, to int) error {
		var sql strings.Builder
		sql.WriteString("INSERT INTO visits (shopper_id, source, entry, path, raw, day, created_at) VALUES ")
		args := make([]any, 0, 7*(to-from))
		for i, r := range rows[from:to] {
			if i > 0 {
				sql.WriteByte(',')
			}
			sql.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, r.shopper, r.source, r.entry, r.path, r.raw, r.day, r.at)
		}
		if err := s.db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("visits: insert: %w", err)
		}
		return nil
	})
}

// addDaily adds the batch's visits, new visitors and new cart shoppers to
// the daily counts.
func (s *Service) addDaily(ctx context.Context, days map[dayKey]*daily) error {
	keys := make([]dayKey, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dayKey) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.source, b.source)) })
	return chunks(len(keys), func(from, to int) error {
		var sql strings.Builder
		sql.WriteString("INSERT INTO visits_daily (day, source, visits, visitors, cart_shoppers) VALUES ")
		args := make([]any, 0, 5*(to-from))
		for i, k := range keys[from:to] {
			if i > 0 {
				sql.WriteByte(',')
			}
			d := days[k]
			sql.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, k.day, k.source, d.visits, d.visitors, d.carts)
		}
		sql.WriteString(` ON CONFLICT (day, source) DO UPDATE SET visits = visits_daily.visits + excluded.visits,
			visitors = visits_daily.visitors + excluded.visitors, cart_shoppers = visits_daily.cart_shoppers + excluded.cart_shoppers`)
		if err := s.db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("visits: daily counts: %w", err)
		}
		return nil
	})
}

// upsertTouches keeps each shopper's earliest and latest source, whichever
// batch (or replica) brings them first.
func (s *Service) upsertTouches(ctx context.Context, touches map[int64]*touch) error {
	ids := make([]int64, 0, len(touches))
	for id := range touches {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return chunks(len(ids), func(from, to int) error {
		var sql strings.Builder
		sql.WriteString("INSERT INTO shopper_touches (shopper_id, first_source, first_at, last_source, last_at) VALUES ")
		args := make([]any, 0, 5*(to-from))
		for i, id := range ids[from:to] {
			if i > 0 {
				sql.WriteByte(',')
			}
			t := touches[id]
			sql.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, id, t.firstSource, t.firstAt, t.lastSource, t.lastAt)
		}
		sql.WriteString(` ON CONFLICT (shopper_id) DO UPDATE SET
			first_source = CASE WHEN excluded.first_at < shopper_touches.first_at THEN excluded.first_source ELSE shopper_touches.first_source END,
			first_at = CASE WHEN excluded.first_at < shopper_touches.first_at THEN excluded.first_at ELSE shopper_touches.first_at END,
			last_source = CASE WHEN excluded.last_at >= shopper_touches.last_at THEN excluded.last_source ELSE shopper_touches.last_source END,
			last_at = CASE WHEN excluded.last_at >= shopper_touches.last_at THEN excluded.last_at ELSE shopper_touches.last_at END`)
		if err := s.db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("visits: touches: %w", err)
		}
		return nil
	})
}

// bind binds shoppers who scanned an associate's code. A shopper already
// bound keeps their associate until the binding's lock ends; after it, a
// new scan binds again (the same associate's renews the lock). The guard is
// in the statement, so replicas flushing at once cannot both win.
func (s *Service) bind(ctx context.Context, bindings map[int64]binding, a setting.Attribution) error {
	ids := make([]int64, 0, len(bindings))
	for id := range bindings {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return chunks(len(ids), func(from, to int) error {
		var sql strings.Builder
		sql.WriteString("INSERT INTO bindings (shopper_id, promoter_id, bound_at, locked_until, moved_by, updated_at) VALUES ")
		args := make([]any, 0, 5*(to-from))
		for i, id := range ids[from:to] {
			if i > 0 {
				sql.WriteByte(',')
			}
			b := bindings[id]
			sql.WriteString("(?, ?, ?, ?, '', ?)")
			args = append(args, id, b.promoterID, b.at, b.at.Add(a.Lock()), b.at)
		}
		sql.WriteString(` ON CONFLICT (shopper_id) DO UPDATE SET promoter_id = excluded.promoter_id, bound_at = excluded.bound_at,
			locked_until = excluded.locked_until, moved_by = '', updated_at = excluded.updated_at
			WHERE bindings.locked_until <= excluded.bound_at`)
		if err := s.db.Conn(ctx).Exec(sql.String(), args...).Error; err != nil {
			return fmt.Errorf("visits: bindings: %w", err)
		}
		return nil
	})
}

// countCarts counts each cart add under the source an order placed at that
// moment would be credited to (the shop's rule on the shopper's touches,
// this batch's included), once per shopper, day and source.
func (s *Service) countCarts(ctx context.Context, carts []event, a setting.Attribution, counted map[shopperKey]bool) error {
	if len(carts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(carts))
	for _, e := range carts {
		ids = append(ids, e.shopperID)
	}
	states, err := s.states(ctx, ids)
	if err != nil {
		return err
	}
	for _, e := range carts {
		at := e.at.UTC()
		counted[shopperKey{stepCart, day(at), FunnelSource(states[e.shopperID].source(a, at)), e.shopperID}] = true
	}
	return nil
}

// countShoppers records the funnel's shoppers; one already counted that
// day, source and step stays counted once. The rows the statement did
// insert (RETURNING, on both engines) are the day's new visitors and cart
// shoppers, added to days.
func (s *Service) countShoppers(ctx context.Context, counted map[shopperKey]bool, days map[dayKey]*daily) error {
	keys := make([]shopperKey, 0, len(counted))
	for k := range counted {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b shopperKey) int {
		return cmp.Or(cmp.Compare(a.step, b.step), cmp.Compare(a.day, b.day), cmp.Compare(a.source, b.source), cmp.Compare(a.shopper, b.shopper))
	})
	return chunks(len(keys), func(from, to int) error {
		var sql strings.Builder
		sql.WriteString("INSERT INTO funnel_shoppers (step, day, source, shopper_id) VALUES ")
		args := make([]any, 0, 4*(to-from))
		for i, k := range keys[from:to] {
			if i > 0 {
				sql.WriteByte(',')
			}
			sql.WriteString("(?, ?, ?, ?)")
			args = append(args, k.step, k.day, k.source, k.shopper)
		}
		sql.WriteString(" ON CONFLICT DO NOTHING RETURNING step, day, source")
		var added []struct{ Step, Day, Source string }
		if err := s.db.Conn(ctx).Raw(sql.String(), args...).Scan(&added).Error; err != nil {
			return fmt.Errorf("visits: funnel shoppers: %w", err)
		}
		for _, a := range added {
			if d := dayOf(days, a.Day, a.Source); a.Step == stepVisit {
				d.visitors++
			} else {
				d.carts++
			}
		}
		return nil
	})
}

// chunks calls fn for consecutive ranges of n items, rowsPerStatement at most.
func chunks(n int, fn func(from, to int) error) error {
	for from := 0; from < n; from += rowsPerStatement {
		if err := fn(from, min(n, from+rowsPerStatement)); err != nil {
			return err
		}
	}
	return nil
}

// day is the shop's day of t (Beijing time), as visits keep it.
func day(t time.Time) string { return t.In(clock.China).Format(time.DateOnly) }

// cut keeps the first n runes of s.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
