// Package address is being built; see the storefront core issue.
package address

import "github.com/kaidian/kaidian/internal/database"

// Service is the address use cases.
type Service struct{ db *database.DB }

// New builds the service.
func New(db *database.DB) *Service { return &Service{db: db} }
