package app

import (
	"context"

	"github.com/kaidian/kaidian/internal/upload"
)

// photoOwner lets the payment package check an after-sale request's photos
// against the shopper's own uploads (POST /api/v1/uploads) without
// importing the upload service's storage.
type photoOwner struct{ u *upload.Service }

func (p photoOwner) CheckPhotos(ctx context.Context, shopperID int64, urls []string) error {
	return p.u.Owned(ctx, shopperID, "photos", urls)
}
