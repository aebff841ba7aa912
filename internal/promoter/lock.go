package promoter

import "context"

// Lock holds a promoter's row until the caller's transaction ends: payout
// batches take it so that two batches created at once decide one after
// another what each promoter is owed.
func (s *Service) Lock(ctx context.Context, id int64) error {
	return s.db.LockRow(ctx, "promoters", id)
}
