package database

import (
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// Array passes a slice as one PostgreSQL array parameter, for statements
// that write many rows from columns of arrays (INSERT … SELECT … FROM
// unnest(?::bigint[], ?::text[]) …): their text is the same whatever the
// number of rows, so PostgreSQL parses and plans it once per connection,
// and the rows travel as a few binary arrays rather than thousands of
// parameters. gorm hands it to pgx as it is (a slice would be spread into a
// list). PostgreSQL only; SQLite writes such rows with multi-row VALUES.
func Array[T any](elems []T) any {
	return pgtype.Array[T]{Elements: elems, Dims: []pgtype.ArrayDimension{{Length: int32(len(elems)), LowerBound: 1}}, Valid: true}
}

// ErrDuplicate is a unique-constraint violation that a statement noticed
// without failing on it (an insert that skipped a taken row with ON CONFLICT
// DO NOTHING and returned fewer rows than it was given). IsDuplicate holds
// for it and for errors wrapping it.
var ErrDuplicate = gorm.ErrDuplicatedKey
