package catalogio

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
)

// batchRows is how many rows one write transaction takes.
//
// Why batches and not one transaction for the whole file: on SQLite the
// whole of Kaidian shares one database connection, and a transaction holds
// it until it ends. Measured with BenchmarkImport (3,000 SKUs, SQLite, 2
// vCPUs; max-wait-ms is the longest another query waited): one transaction
// for the file held the connection for 0.45–0.75 s (over 1 s on a busy
// machine), during which every shopper's request and console page waited;
// with batches of 250 rows the longest wait was 45–60 ms (up to about 190 ms
// on a busy machine, when a WAL checkpoint lands in a batch), requests being
// served between batches, for the same total time. Batches of 100 did not
// shorten the worst wait (commits, not rows, dominate it) and made updates
// slower. A batch also reports progress, which one transaction could not.
//
// Why that is safe after a crash part-way: each batch commits its rows
// together with the job's progress, so a batch is either wholly written or
// not at all. A run after a crash checks the file again against the catalog
// as it now is, and every row is idempotent: a row sets values (price,
// stock, on/off), it does not add to them, so a row already written finds
// its SKU as the file says and changes nothing; a new SKU already created
// is an existing SKU now. The run therefore simply starts again and goes
// through what was written quickly. What batches give up is that a file is
// not applied as one: if the catalog changes under a running import so
// that a row can no longer be written (someone took its new SKU code a
// moment ago), the rows before it stay written and the job says so; the
// check on upload and again at the start of the run, just before writing,
// makes that a narrow window, and importing the file again finishes it.
const batchRows = 250

// RunImport runs import job id: the background job's work. It checks the
// file again (the catalog may have changed since the upload), then writes
// it batch by batch. It returns an error only for failures that may pass
// (the job is then queued again and retried); a file that cannot be
// imported ends the job as rejected or failed, with the reasons on its row.
func (s *Service) RunImport(ctx context.Context, id int64) error {
	j, ok, err := s.claim(ctx, id)
	if err != nil || !ok {
		return err
	}
	if j.Attempts > maxAttempts {
		return ignoreLost(s.finish(ctx, j, StatusFailed, map[string]any{"problems": database.JSON[[]Problem]{
			V: []Problem{problem(0, "import.problem.given_up", "n", maxAttempts)}}}))
	}
	err = s.run(ctx, j)
	switch {
	case errors.Is(err, errLeaseLost):
		return nil // another worker has the job now
	case err != nil:
		if rerr := s.release(ctx, j); rerr != nil && !errors.Is(rerr, errLeaseLost) {
			return errors.Join(err, rerr)
		}
		return fmt.Errorf("import %d: %w", id, err)
	}
	return nil
}

func ignoreLost(err error) error {
	if errors.Is(err, errLeaseLost) {
		return nil
	}
	return err
}

// run checks and writes the job's file.
func (s *Service) run(ctx context.Context, j Job) error {
	p, err := s.check(ctx, j.Content)
	if err != nil {
		return err
	}
	if len(p.problems) > 0 {
		return s.finish(ctx, j, StatusRejected, map[string]any{"problems": database.JSON[[]Problem]{V: p.problems}})
	}
	w := &writer{s: s, actor: j.Actor, categories: p.byName, reason: i18n.M("record.stock.csv_import", "file", j.FileName),
		ref: inventory.Ref{Type: "import", ID: strconv.FormatInt(j.ID, 10)}}
	done := 0
	for _, b := range p.batches() {
		err := s.db.Tx(ctx, func(ctx context.Context) error {
			// First, so that on PostgreSQL the job's row stays locked by
			// this run until the batch commits.
			if err := s.settle(ctx, j, map[string]any{"done_rows": done + b.rows, "lease_until": s.clock.Now().Add(leaseFor)}); err != nil {
				return err
			}
			return w.apply(ctx, b)
		})
		var re *rowError
		if errors.As(err, &re) {
			// The row's problem is what the job page shows, in its reader's
			// language; the counts say how far the import came.
			return s.finish(ctx, j, StatusFailed, map[string]any{"done_rows": done,
				"problems": database.JSON[[]Problem]{V: []Problem{re.Problem}}})
		}
		if err != nil {
			return err
		}
		done += b.rows
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.finish(ctx, j, StatusSucceeded, map[string]any{"done_rows": done}); err != nil {
			return err
		}
		detail := i18n.M("record.audit.catalog_imported", "file", j.FileName, "rows", j.TotalRows,
			"categories", j.NewCategories, "products", j.NewProducts, "new_skus", j.NewSKUs,
			"updated", j.UpdatedSKUs, "unchanged", j.UnchangedSKUs)
		return s.audit.Record(ctx, j.Actor, "catalog.import", "import", j.ID, detail)
	})
}

// batch is the units one transaction writes.
type batch struct {
	rows      int
	updates   []update
	products  []newProduct
	additions []addition
}

// batches cuts the plan into transactions of about batchRows rows: first
// the updates, then the new products and additions in file order. A new
// product, or SKUs added to one product, never spans two batches.
func (p plan) batches() []batch {
	var out []batch
	for start := 0; start < len(p.updates); start += batchRows {
		ups := p.updates[start:min(start+batchRows, len(p.updates))]
		out = append(out, batch{rows: len(ups), updates: ups})
	}
	type unit struct {
		line int
		np   *newProduct
		add  *addition
	}
	var units []unit
	for i := range p.products {
		units = append(units, unit{line: p.products[i].rows[0].Line, np: &p.products[i]})
	}
	for i := range p.additions {
		units = append(units, unit{line: p.additions[i].rows[0].Line, add: &p.additions[i]})
	}
	sort.Slice(units, func(i, j int) bool { return units[i].line < units[j].line })
	var cur batch
	for _, u := range units {
		if u.np != nil {
			cur.products, cur.rows = append(cur.products, *u.np), cur.rows+len(u.np.rows)
		} else {
			cur.additions, cur.rows = append(cur.additions, *u.add), cur.rows+len(u.add.rows)
		}
		if cur.rows >= batchRows {
			out, cur = append(out, cur), batch{}
		}
	}
	if cur.rows > 0 {
		out = append(out, cur)
	}
	return out
}

// rowError is a row the catalog refused while writing: it changed since
// the check.
type rowError struct{ Problem }

func (e *rowError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, i18n.For(i18n.En).Msg(e.Message))
}

// refused turns a domain error about a group of rows into a rowError on
// the row it names; other errors pass unchanged.
func refused(rows []row, err error) error {
	if errs.As(err).Kind == errs.KindInternal {
		return err
	}
	var p plan
	p.failGroup(rows, err)
	return &rowError{p.problems[0]}
}

// writer writes the batches of one run.
type writer struct {
	s          *Service
	actor      string
	reason     i18n.Msg // the ledger's reason: "CSV import <file>"
	ref        inventory.Ref
	categories map[string]int64 // by name; 0 means not created yet
}

func (w *writer) apply(ctx context.Context, b batch) error {
	if err := w.update(ctx, b.updates); err != nil {
		return err
	}
	for _, np := range b.products {
		if err := w.create(ctx, np); err != nil {
			return err
		}
	}
	for _, a := range b.additions {
		skus, err := w.s.catalog.AddSKUs(ctx, a.product.ID, a.skus, w.actor)
		if err != nil {
			return refused(a.rows, err)
		}
		if err := w.receive(ctx, skus, a.rows); err != nil {
			return err
		}
	}
	return nil
}

// create makes a new product, and its category when there is none by that name.
func (w *writer) create(ctx context.Context, np newProduct) error {
	id := w.categories[np.category]
	if id == 0 {
		c, err := w.s.catalog.CreateCategory(ctx, np.category, nil, 0)
		if err != nil {
			return refused(np.rows, err)
		}
		id, w.categories[np.category] = c.ID, c.ID
	}
	np.np.CategoryID = id
	p, err := w.s.catalog.CreateProduct(ctx, np.np, w.actor)
	if err != nil {
		return refused(np.rows, err)
	}
	return w.receive(ctx, p.SKUs, np.rows)
}

// receive brings new SKUs' stock (from their rows, in the same order) into
// the ledger as receipts, with the import as reason and reference.
func (w *writer) receive(ctx context.Context, skus []catalog.SKU, rows []row) error {
	for i, k := range skus {
		if n := stockOf(rows[i]); n > 0 {
			if err := w.s.inventory.Adjust(ctx, k.ID, n, inventory.KindReceive, w.reason, w.ref, w.actor); err != nil {
				return err
			}
		}
	}
	return nil
}

// update applies rows of existing SKUs, reading each SKU again inside the
// transaction: a row sets values, so what changes is what differs now.
// Stock is set through the ledger, as an adjustment by the difference;
// the SKUs whose stock moves are read again under a row lock, so that an
// order placed meanwhile cannot slip in between the read and the adjustment.
func (w *writer) update(ctx context.Context, ups []update) error {
	if len(ups) == 0 {
		return nil
	}
	ids := make([]int64, len(ups))
	for i, u := range ups {
		ids[i] = u.sku.ID
	}
	now, err := w.skus(ctx, ids, false)
	if err != nil {
		return err
	}
	var offers []catalog.OfferChange
	var moving []int64
	for _, u := range ups {
		k := now[u.sku.ID]
		offer, stock := target(u.row, k)
		if offer != currentOffer(k) {
			offers = append(offers, catalog.OfferChange{SKU: k, Offer: offer})
		}
		if stock != k.Stock {
			moving = append(moving, k.ID)
		}
	}
	if err := w.s.catalog.SetOffers(ctx, offers, w.actor); err != nil {
		return err
	}
	if len(moving) == 0 {
		return nil
	}
	if now, err = w.skus(ctx, moving, true); err != nil {
		return err
	}
	for _, u := range ups {
		k, ok := now[u.sku.ID]
		if !ok {
			continue
		}
		_, stock := target(u.row, k)
		if err := w.setStock(ctx, k, stock); err != nil {
			return err
		}
	}
	return nil
}

// setStock moves a SKU's stock to n through the ledger, audited.
func (w *writer) setStock(ctx context.Context, k catalog.SKU, n int64) error {
	if n == k.Stock {
		return nil
	}
	if err := w.s.inventory.Adjust(ctx, k.ID, n-k.Stock, inventory.KindAdjust, w.reason, w.ref, w.actor); err != nil {
		return err
	}
	detail := i18n.M("record.audit.sku_stock", "sku", label(k.Code, k.SpecText), "from", k.Stock, "to", n, "reason", w.reason)
	return w.s.audit.Record(ctx, w.actor, "stock.adjust", "sku", k.ID, detail)
}

// skus reads SKUs by id, in id order (the order orders lock them in),
// holding their rows to the end of the transaction when lock is set.
func (w *writer) skus(ctx context.Context, ids []int64, lock bool) (map[int64]catalog.SKU, error) {
	ks, err := w.s.catalog.SKUsByID(ctx, ids, lock)
	if err != nil {
		return nil, fmt.Errorf("read skus: %w", err)
	}
	return ks, nil
}

// label names a SKU in the audit log as the catalog does: its code and,
// when it has one, its combination.
func label(code, spec string) i18n.Msg {
	if spec == "" {
		return i18n.Text(code)
	}
	return i18n.M("record.audit.sku_label", "code", code, "spec", spec)
}
