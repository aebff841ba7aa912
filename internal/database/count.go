package database

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// Count tallies the statements run with one context, for tests that hold a
// use case to its budget of statements and round trips (a regression that
// adds a query fails the test; no timing is involved). Statements run by
// other goroutines with other contexts (background jobs, the sandbox) are
// not counted.
type Count struct {
	mu           sync.Mutex
	statements   []string
	transactions int
	pipelined    int // statements sent in a batch behind another (Read on PostgreSQL): no round trip of their own
}

type countKey struct{}

// Counting returns ctx marked so that every statement Kaidian runs with it,
// or with a context derived from it, is added to the returned Count.
func Counting(ctx context.Context) (context.Context, *Count) {
	c := &Count{}
	return context.WithValue(ctx, countKey{}, c), c
}

func countOf(ctx context.Context) *Count {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(countKey{}).(*Count)
	return c
}

// Statements is the number of statements run (each Create, Find, Update,
// Delete, Raw, Exec and Row through gorm), BEGIN and COMMIT not included.
func (c *Count) Statements() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.statements)
}

// Transactions is the number of transactions begun (by Tx; a nested Tx
// joins the outer one and is not counted again).
func (c *Count) Transactions() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.transactions
}

// RoundTrips is what reaches the database server: the statements, and the
// BEGIN and COMMIT of each transaction; statements Read pipelines behind
// another in one batch share its round trip.
func (c *Count) RoundTrips() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.statements) + 2*c.transactions - c.pipelined
}

// SQL is the statements run, in order, for a failing test to show.
func (c *Count) SQL() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.statements...)
}

// Reset starts the tally again.
func (c *Count) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statements, c.transactions, c.pipelined = nil, 0, 0
}

// read adds the statements of one Read on the raw driver (gorm's callbacks
// do not see it), the ones after the first pipelined when batched.
func (c *Count) read(qs []Query, batched bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, q := range qs {
		c.statements = append(c.statements, q.SQL)
	}
	if batched && len(qs) > 1 {
		c.pipelined += len(qs) - 1
	}
}

func (c *Count) began() {
	c.mu.Lock()
	c.transactions++
	c.mu.Unlock()
}

// registerCount adds the counting callback after each of gorm's
// processors. Unmarked contexts cost one context lookup per statement.
func registerCount(g *gorm.DB) error {
	count := func(db *gorm.DB) {
		c := countOf(db.Statement.Context)
		if c == nil || db.Statement.SQL.Len() == 0 { // skipped: nothing reached the database
			return
		}
		c.mu.Lock()
		c.statements = append(c.statements, db.Statement.SQL.String())
		c.mu.Unlock()
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("*").Register("kaidian:count", count),
		cb.Query().After("*").Register("kaidian:count", count),
		cb.Update().After("*").Register("kaidian:count", count),
		cb.Delete().After("*").Register("kaidian:count", count),
		cb.Row().After("*").Register("kaidian:count", count),
		cb.Raw().After("*").Register("kaidian:count", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
