// Package database opens Kaidian's database (embedded SQLite or PostgreSQL),
// applies the migrations and runs transactions. It is the only package that
// knows which engine is underneath.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Dialect names the engine under a DB.
type Dialect string

// The two supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the open database: a gorm handle for the domain stores, and the
// engine-specific pool the job queue needs.
type DB struct {
	Dialect Dialect
	gorm    *gorm.DB
	sql     *sql.DB
	pgPool  *pgxpool.Pool // only on PostgreSQL
	reads   readStatements
}

// Open connects to PostgreSQL when url is set, otherwise to the SQLite file
// at sqlitePath (created with its folder if missing).
func Open(ctx context.Context, url, sqlitePath string) (*DB, error) {
	if url != "" {
		return openPostgres(ctx, url)
	}
	return openSQLite(sqlitePath)
}

func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("database: create data dir: %w", err)
	}
	// WAL lets readers run beside the writer; synchronous=FULL keeps every
	// committed order across a power cut. Transactions take the write lock
	// at BEGIN (BEGIN IMMEDIATE, through immediateConnector: the driver
	// ignores _txlock beside _time_format), so two never deadlock upgrading
	// read locks.
	// busy_timeout comes first: the pragmas run in order when a connection
	// opens, and switching to WAL needs a lock another process (a `kaidian
	// refunds` beside a running shop) may hold; without the timeout already
	// set, that answered SQLITE_BUSY at once.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_time_format=sqlite"
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, fmt.Errorf("database: open sqlite: %w", err)
	}
	drv := probe.Driver()
	probe.Close()
	sqlDB := sql.OpenDB(immediateConnector{dsn: dsn, drv: drv})
	// SQLite allows one writer at a time. Parallel writers relying on
	// busy_timeout starve each other (measured: 10 s
	// stalls), so every statement goes through one connection, queued fairly
	// by database/sql. Reads on one in-process connection still run at
	// hundreds of thousands per second. River's SQLite driver asks for the same.
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetConnMaxIdleTime(0)
	sqlDB.SetConnMaxLifetime(0)
	g, err := gorm.Open(&sqlite.Dialector{Conn: sqlDB}, gormConfig())
	if err == nil {
		err = registerCount(g)
	}
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database: open sqlite: %w", err)
	}
	return &DB{Dialect: SQLite, gorm: g, sql: sqlDB}, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: parse KAIDIAN_DATABASE_URL: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: connect postgres: %w", err)
	}
	// gorm and the job queue share one pool.
	sqlDB := stdlib.OpenDBFromPool(pool)
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err == nil {
		err = registerCount(g)
	}
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: open postgres: %w", err)
	}
	return &DB{Dialect: Postgres, gorm: g, sql: sqlDB, pgPool: pool}, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                                   logger.Discard,
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
		TranslateError:                           true,
		SkipDefaultTransaction:                   true,
		DisableForeignKeyConstraintWhenMigrating: true,
		PrepareStmt:                              false,
	}
}

// SQL is the underlying database/sql pool (SQLite's single connection, or a
// view over the PostgreSQL pool).
func (d *DB) SQL() *sql.DB { return d.sql }

// PgxPool is the PostgreSQL pool, nil on SQLite.
func (d *DB) PgxPool() *pgxpool.Pool { return d.pgPool }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

// Close releases the connections.
func (d *DB) Close() {
	d.reads.close()
	d.sql.Close()
	if d.pgPool != nil {
		d.pgPool.Close()
	}
}

type txKey struct{}

// Conn returns the handle to run statements on: the transaction begun by an
// enclosing Tx call on ctx, or the plain pool.
func (d *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return d.gorm.WithContext(ctx)
}

// Tx runs fn in a transaction, committed when fn returns nil. A Tx inside
// another joins the outer one, so a use case that spans domains commits once.
// Services are the only callers; handlers never begin transactions.
func (d *DB) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	if c := countOf(ctx); c != nil {
		c.began()
	}
	after := &afterCommit{}
	ctx = context.WithValue(ctx, afterKey{}, after)
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
	if err == nil {
		after.run()
	}
	return err
}

type afterKey struct{}

// afterCommit holds what AfterCommit registered during one transaction.
type afterCommit struct {
	mu  sync.Mutex
	fns []func()
}

func (a *afterCommit) run() {
	a.mu.Lock()
	fns := a.fns
	a.fns = nil
	a.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// AfterCommit runs fn once the transaction on ctx has committed (at once
// when ctx has none), and never if it rolls back: the way to start work
// about rows a transaction wrote (enqueue their job) without a caller
// having to know. A Savepoint rolled back inside a committed transaction
// does not cancel what it registered, so fn must cope with rows that are
// not there (a job that finds nothing to do).
func AfterCommit(ctx context.Context, fn func()) {
	if a, ok := ctx.Value(afterKey{}).(*afterCommit); ok {
		a.mu.Lock()
		a.fns = append(a.fns, fn)
		a.mu.Unlock()
		return
	}
	fn()
}

// Optimize refreshes the query planner's statistics. PostgreSQL's autovacuum
// does this by itself; SQLite only when asked, and without statistics it
// can pick a poor index on a large table (e.g. orders by status rather than
// by paid time), so Kaidian runs this at start and hourly. ANALYZE is also
// what any bulk load should be followed by.
func (d *DB) Optimize(ctx context.Context) error {
	if d.Dialect == Postgres {
		return d.Conn(ctx).Exec("ANALYZE").Error
	}
	return d.Conn(ctx).Exec("PRAGMA optimize=0x10002").Error
}

// Savepoint runs fn inside the enclosing transaction as a unit that can fail
// alone: if fn returns an error, whatever it wrote is rolled back (to a
// savepoint) and the enclosing transaction carries on. Outside a transaction
// it is Tx.
func (d *DB) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	outer, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return d.Tx(ctx, fn)
	}
	return outer.Transaction(func(tx *gorm.DB) error { // nested: gorm uses SAVEPOINT
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// IsDuplicate reports whether err is a unique-constraint violation. gorm
// translates its statements' errors, but on PostgreSQL the translation
// misses an error that comes with the rows of a statement read through
// Raw().Scan() (an UPDATE … RETURNING), so the driver's code is asked too.
func IsDuplicate(err error) bool {
	var pg *pgconn.PgError
	return errors.Is(err, gorm.ErrDuplicatedKey) || errors.As(err, &pg) && pg.Code == "23505" // unique_violation
}

// IsNotFound reports whether err is gorm's "record not found".
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// LogValue keeps DB handles from ever printing connection strings.
func (d *DB) LogValue() slog.Value { return slog.StringValue(string(d.Dialect)) }

// Expr is a SQL expression with parameters, for updates such as
// "quantity = quantity + ?" that must be computed by the database.
func Expr(sql string, args ...any) any { return gorm.Expr(sql, args...) }

// Row locks. Every row lock in Kaidian is taken through LockRow, Locking or
// LockSQL, so there is one kind of lock: on PostgreSQL FOR NO KEY UPDATE,
// which serialises writers of the row but leaves inserts that merely
// reference it (an order item pointing at its SKU) unblocked; on SQLite
// nothing, as its transactions take the database's write lock at BEGIN.

// LockRow serialises writers on one row until the current transaction ends,
// for checks that span rows (a count before an insert). table must be a
// constant, never input.
func (d *DB) LockRow(ctx context.Context, table string, id int64) error {
	if d.Dialect != Postgres {
		return nil
	}
	return d.Conn(ctx).Exec("SELECT id FROM "+table+" WHERE id = ?"+d.LockSQL(), id).Error
}

// Locking is Conn for a query that reads rows and holds them until the
// current transaction ends.
func (d *DB) Locking(ctx context.Context) *gorm.DB {
	if d.Dialect != Postgres {
		return d.Conn(ctx)
	}
	return d.Conn(ctx).Clauses(clause.Locking{Strength: "NO KEY UPDATE"})
}

// LockSQL is the clause a raw SELECT ends with to hold the rows it reads,
// " FOR NO KEY UPDATE" (with " OF" and the given table aliases, for a join
// that should lock only some of its tables); "" on SQLite. The aliases must
// be constants, never input.
func (d *DB) LockSQL(of ...string) string {
	if d.Dialect != Postgres {
		return ""
	}
	if len(of) == 0 {
		return " FOR NO KEY UPDATE"
	}
	return " FOR NO KEY UPDATE OF " + strings.Join(of, ", ")
}

// SkipLockedSQL is the clause a subquery that picks rows to claim ends with,
// so concurrent claimers take different rows instead of queueing behind one
// another: " FOR UPDATE SKIP LOCKED" on PostgreSQL; "" on SQLite, whose
// write lock already serialises claims.
func (d *DB) SkipLockedSQL() string {
	if d.Dialect != Postgres {
		return ""
	}
	return " FOR UPDATE SKIP LOCKED"
}

// TimeArg is the placeholder for a time parameter where the statement alone
// does not give it a type (a CASE whose every branch is a parameter):
// PostgreSQL would take it for text.
func (d *DB) TimeArg() string {
	if d.Dialect != Postgres {
		return "?"
	}
	return "CAST(? AS TIMESTAMPTZ)"
}
