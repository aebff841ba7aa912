package database

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// JSON stores a Go value as JSON text, the same on SQLite and PostgreSQL
// (TEXT columns on both, so neither engine's JSON dialect leaks into queries).
type JSON[T any] struct{ V T }

// Value encodes the value for the database.
func (j JSON[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	return string(b), err
}

// Scan decodes the stored text.
func (j *JSON[T]) Scan(src any) error {
	switch s := src.(type) {
	case string:
		return json.Unmarshal([]byte(s), &j.V)
	case []byte:
		return json.Unmarshal(s, &j.V)
	case nil:
		var zero T
		j.V = zero
		return nil
	}
	return fmt.Errorf("database.JSON: cannot scan %T", src)
}
