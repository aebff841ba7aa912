package database

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Rows is the result of one hand-written read: step with Next, copy the
// columns out with Scan. Scan takes *int64, *string and *bool (and any
// database/sql Scanner); neither engine's path reflects on them.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
}

// Query is one read statement with its arguments, written once with ?
// placeholders (rewritten to $1, $2 … for PostgreSQL) in SQL both engines
// speak.
type Query struct {
	SQL  string
	Args []any
}

// Read runs hand-written read queries on the raw driver, without gorm: the
// hot public catalog reads, where gorm's reflection costs as much as the
// query. It hands each query's rows to the matching function, in order. On
// PostgreSQL the queries go to the server in one pipelined batch, so they
// cost one round trip however many there are, and each is prepared once
// per connection (pgx's statement cache). On SQLite each is prepared once
// and kept. Inside a transaction begun by Tx they run on it, through gorm.
func (d *DB) Read(ctx context.Context, qs []Query, each ...func(Rows) error) error {
	if len(qs) != len(each) {
		return fmt.Errorf("database: read: %d queries, %d row functions", len(qs), len(each))
	}
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return readOn(tx, qs, each)
	}
	if d.pgPool != nil {
		countOf(ctx).read(qs, true)
		return d.readPostgres(ctx, qs, each)
	}
	countOf(ctx).read(qs, false)
	return d.readSQLite(ctx, qs, each)
}

func (d *DB) readPostgres(ctx context.Context, qs []Query, each []func(Rows) error) error {
	b := &pgx.Batch{}
	for _, q := range qs {
		b.Queue(d.reads.postgres(q.SQL), q.Args...)
	}
	br := d.pgPool.SendBatch(ctx, b)
	for i := range qs {
		rows, err := br.Query()
		if err == nil {
			err = each[i](rows)
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		if err != nil {
			br.Close()
			return fmt.Errorf("database: read: %w", err)
		}
	}
	return br.Close()
}

func (d *DB) readSQLite(ctx context.Context, qs []Query, each []func(Rows) error) error {
	for i, q := range qs {
		st, err := d.reads.sqlite(ctx, d.sql, q.SQL)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, q.Args...)
		if err != nil {
			return fmt.Errorf("database: read: %w", err)
		}
		if err := scanAll(rows, each[i]); err != nil {
			return err
		}
	}
	return nil
}

func readOn(tx *gorm.DB, qs []Query, each []func(Rows) error) error {
	for i, q := range qs {
		rows, err := tx.Raw(q.SQL, q.Args...).Rows()
		if err != nil {
			return fmt.Errorf("database: read: %w", err)
		}
		if err := scanAll(rows, each[i]); err != nil {
			return err
		}
	}
	return nil
}

func scanAll(rows *sql.Rows, fn func(Rows) error) error {
	err := fn(sqlRows{rows})
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return fmt.Errorf("database: read: %w", err)
	}
	return nil
}

// sqlRows scans through database/sql, whose conversion of an integer
// column into *int64 or *bool goes through reflect: wrapping those
// destinations as Scanners takes its fast path instead.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Scan(dest ...any) error {
	for i, d := range dest {
		switch p := d.(type) {
		case *int64:
			dest[i] = intDest{p}
		case *bool:
			dest[i] = boolDest{p}
		}
	}
	return r.Rows.Scan(dest...)
}

type intDest struct{ p *int64 }

func (d intDest) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*d.p = v
	case nil:
		*d.p = 0
	default:
		return fmt.Errorf("database: read: %T into int64", src)
	}
	return nil
}

type boolDest struct{ p *bool }

func (d boolDest) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*d.p = v != 0
	case bool:
		*d.p = v
	case nil:
		*d.p = false
	default:
		return fmt.Errorf("database: read: %T into bool", src)
	}
	return nil
}

// readStatements keeps what Read prepares: SQLite statements, and the
// PostgreSQL spelling of each query text. Both are keyed by the query's
// text, which callers build from constants (never from input), so they are
// few.
type readStatements struct {
	mu       sync.Mutex
	prepared map[string]*sql.Stmt
	dollars  sync.Map // ?-query → $n-query
}

func (s *readStatements) sqlite(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.prepared[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("database: prepare: %w", err)
	}
	if s.prepared == nil {
		s.prepared = map[string]*sql.Stmt{}
	}
	s.prepared[query] = st
	return st, nil
}

func (s *readStatements) postgres(query string) string {
	if q, ok := s.dollars.Load(query); ok {
		return q.(string)
	}
	q := dollarPlaceholders(query)
	s.dollars.Store(query, q)
	return q
}

func (s *readStatements) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.prepared {
		st.Close()
	}
	s.prepared = nil
}

// dollarPlaceholders numbers the ? placeholders of query as $1, $2 …,
// leaving any inside '…' literals alone.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
