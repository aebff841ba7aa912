package database

import (
	"context"
	"database/sql/driver"
	"errors"
)

// The SQLite driver (github.com/glebarez/go-sqlite, v1.21.2 to v1.23.0)
// reads `_txlock=immediate` from the DSN only when `_time_format` is absent:
// its query-parameter loop returns right after `_time_format`. Kaidian needs
// both, so every transaction began as a plain (deferred) BEGIN. A deferred
// transaction reads under a shared lock and takes the write lock only at its
// first write; when another connection (a `kaidian refunds` beside the
// serving shop, a second replica) wrote in between, SQLite cannot wait for
// it — waiting could deadlock — and answers SQLITE_BUSY (or, in WAL,
// SQLITE_BUSY_SNAPSHOT, 517) at once, whatever busy_timeout says. One
// process never saw it: every statement shares its single connection.
//
// immediateConnector therefore begins each read-write transaction itself
// with BEGIN IMMEDIATE, which takes the write lock first and so waits under
// busy_timeout like any single write. It wraps the driver's connections;
// goose, River and gorm all begin through database/sql and so through here.
type immediateConnector struct {
	dsn string
	drv driver.Driver
}

func (c immediateConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		conn.Close()
		return nil, errors.New("database: the SQLite driver's connection lacks context methods")
	}
	return immediateConn{sc}, nil
}

func (c immediateConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is what the driver's connection implements.
type sqliteConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

type immediateConn struct{ sqliteConn }

// BeginTx begins with BEGIN IMMEDIATE; a read-only transaction, which never
// writes, keeps a deferred BEGIN.
func (c immediateConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	begin := "BEGIN IMMEDIATE"
	if opts.ReadOnly {
		begin = "BEGIN"
	}
	if _, err := c.ExecContext(ctx, begin, nil); err != nil {
		return nil, err
	}
	return immediateTx{c.sqliteConn}, nil
}

// Begin is the pre-context form of BeginTx.
func (c immediateConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

type immediateTx struct{ c sqliteConn }

func (t immediateTx) Commit() error {
	_, err := t.c.ExecContext(context.Background(), "COMMIT", nil)
	return err
}

func (t immediateTx) Rollback() error {
	_, err := t.c.ExecContext(context.Background(), "ROLLBACK", nil)
	return err
}
