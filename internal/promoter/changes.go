package promoter

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
)

// OnChange registers fn to be told, after the transaction commits, of every
// promoter whose status, rate, switch or account changed, so that what
// others remember of promoters (attribution's cache of who is credited) is
// forgotten in this process at once: disabling a promoter stops crediting
// them here immediately, and on other replicas when their cache expires.
// It is set while the app is wired, before serving.
func (s *Service) OnChange(fn func(Promoter)) { s.listeners = append(s.listeners, fn) }

// changed tells the listeners of p once the caller's transaction commits.
func (s *Service) changed(ctx context.Context, p Promoter) {
	database.AfterCommit(ctx, func() {
		for _, fn := range s.listeners {
			fn(p)
		}
	})
}
