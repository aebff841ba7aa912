// Package sandbox is a local stand-in for WeChat's servers. (Being built.)
package sandbox

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/database"
)

// Server is the sandbox's state and routes.
type Server struct {
	db  *database.DB
	log *slog.Logger
}

// New builds the sandbox.
func New(db *database.DB, log *slog.Logger) *Server { return &Server{db: db, log: log} }

// Mount registers the sandbox routes under r (normally /sandbox).
func (s *Server) Mount(r *gin.RouterGroup) {}
