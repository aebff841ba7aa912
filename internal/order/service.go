// Package order places, lists and moves shopper orders through their states.
package order

import "github.com/kaidian/kaidian/internal/database"

// Service is the order use cases.
type Service struct{ db *database.DB }

// New builds the service.
func New(db *database.DB) *Service { return &Service{db: db} }
