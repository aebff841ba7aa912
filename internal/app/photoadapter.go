package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
)

// uploadedName is the shape of a file name under /uploads (the console's
// saveImage names files so: a random hex name and the sniffed type).
var uploadedName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png|webp|gif)$`)

// shopPhotos checks after-sale photos until the shoppers' upload route
// lands: each must be one of this shop's /uploads/<name> URLs (relative,
// or under the shop's public URL) naming a file that exists. Which shopper
// uploaded it cannot be told yet; see the README's after-sale section.
type shopPhotos struct {
	base, dir string // the shop's public URL; the uploads folder
}

func (a *App) photoChecker(selfURL string) shopPhotos {
	base := a.Config.PublicURL
	if base == "" {
		base = selfURL
	}
	return shopPhotos{base: strings.TrimRight(base, "/"), dir: filepath.Join(a.Config.DataDir, "uploads")}
}

func (p shopPhotos) CheckPhotos(_ context.Context, _ int64, urls []string) error {
	for i, u := range urls {
		name, ok := strings.CutPrefix(strings.TrimPrefix(u, p.base), "/uploads/")
		if !ok || !uploadedName.MatchString(name) {
			return errs.Field("photos", "aftersale.photo").With("index", i)
		}
		if info, err := os.Stat(filepath.Join(p.dir, name)); err != nil || !info.Mode().IsRegular() {
			return errs.Field("photos", "aftersale.photo").With("index", i)
		}
	}
	return nil
}
