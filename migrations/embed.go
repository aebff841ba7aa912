// Package migrations holds Kaidian's schema as SQL files, one folder per
// database dialect with the same version numbers. They are embedded into the
// binary and applied at start-up and by `kaidian migrate`.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
