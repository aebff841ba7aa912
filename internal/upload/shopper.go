package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strconv"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// DailyLimit bounds the images one shopper may upload in a day (China
// time): enough for any number of reviews and returns, small enough that
// nobody fills the disk.
const DailyLimit = 100

// decodeSlots bounds the images decoded at once: a decode takes tens of
// megabytes for a moment, and a burst of uploads must not take the
// server's memory with it.
const decodeSlots = 2

// Upload is one image a shopper uploaded.
type Upload struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	ShopperID int64     `gorm:"column:shopper_id"`
	Name      string    `gorm:"column:name"`
	Bytes     int64     `gorm:"column:bytes"`
	Width     int       `gorm:"column:width"`
	Height    int       `gorm:"column:height"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

// TableName maps Upload to its table.
func (Upload) TableName() string { return "uploads" }

// URL is where the image is served.
func (u Upload) URL() string { return URLPrefix + u.Name }

// Errors of shoppers' uploads.
var (
	ErrNoFile = errs.Field("file", "upload.no_file")
	ErrTooBig = errs.Field("file", "upload.too_big", "max", MaxBytes>>20)
	ErrLimit  = errs.Rule("upload_limit", "upload.daily_limit", "max", DailyLimit)
)

// Service stores shoppers' images and answers whose they are.
type Service struct {
	db    *database.DB
	store *Store
	clock *clock.Clock
	slots chan struct{}
}

// New builds the service.
func New(db *database.DB, store *Store, clk *clock.Clock) *Service {
	return &Service{db: db, store: store, clock: clk, slots: make(chan struct{}, decodeSlots)}
}

// Store is the folder the service keeps images in.
func (s *Service) Store() *Store { return s.store }

// Save checks, re-encodes and stores one image the shopper uploaded, and
// records it as theirs.
func (s *Service) Save(ctx context.Context, shopperID int64, fh *multipart.FileHeader) (Upload, error) {
	if fh == nil {
		return Upload{}, ErrNoFile
	}
	if fh.Size > MaxBytes {
		return Upload{}, ErrTooBig
	}
	if err := s.underLimit(ctx, shopperID); err != nil {
		return Upload{}, err
	}
	f, err := fh.Open()
	if err != nil {
		return Upload{}, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return Upload{}, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > MaxBytes {
		return Upload{}, ErrTooBig
	}
	img, err := s.reencode(ctx, data)
	switch {
	case errors.Is(err, ErrNotImage):
		return Upload{}, errs.Field("file", "upload.not_image")
	case errors.Is(err, ErrTooLarge):
		return Upload{}, errs.Field("file", "upload.too_many_pixels", "max", MaxPixels/1_000_000)
	case err != nil:
		return Upload{}, err
	}
	url, err := s.store.Save(img.Data, img.Ext)
	if err != nil {
		return Upload{}, err
	}
	name, _ := Name(url)
	u := Upload{ShopperID: shopperID, Name: name, Bytes: int64(len(img.Data)), Width: img.Width, Height: img.Height, CreatedAt: s.clock.Now()}
	// The file is written before its row, so a row always has its file; a
	// crash between the two leaves a file nobody names, never a name
	// without a file.
	if err := s.db.Conn(ctx).Create(&u).Error; err != nil {
		return Upload{}, fmt.Errorf("record upload: %w", err)
	}
	return u, nil
}

// reencode runs Reencode in one of the decode slots.
func (s *Service) reencode(ctx context.Context, data []byte) (Image, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return Image{}, ctx.Err()
	}
	defer func() { <-s.slots }()
	return Reencode(data)
}

// underLimit refuses a shopper who uploaded DailyLimit images today. Two
// uploads racing at the limit may both pass: the limit guards the disk,
// not money, and one image over it is harmless.
func (s *Service) underLimit(ctx context.Context, shopperID int64) error {
	var n int64
	err := s.db.Conn(ctx).Model(&Upload{}).
		Where("shopper_id = ? AND created_at >= ?", shopperID, startOfDay(s.clock.Now())).
		Count(&n).Error
	if err != nil {
		return fmt.Errorf("count uploads: %w", err)
	}
	if n >= DailyLimit {
		return ErrLimit
	}
	return nil
}

// Owned checks that every URL in urls is an image this shopper uploaded,
// each named once; the first that is not is reported on field[i] (e.g.
// "photos[2]"). Reviews, returns and avatars call it before they keep
// the URLs.
func (s *Service) Owned(ctx context.Context, shopperID int64, field string, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	names := make([]string, len(urls))
	seen := make(map[string]bool, len(urls))
	for i, u := range urls {
		name, ok := Name(u)
		if !ok {
			return errs.Field(item(field, i), "upload.not_yours")
		}
		if seen[name] {
			return errs.Field(item(field, i), "upload.duplicate")
		}
		seen[name] = true
		names[i] = name
	}
	var mine []string
	err := s.db.Conn(ctx).Model(&Upload{}).Where("shopper_id = ? AND name IN ?", shopperID, names).Pluck("name", &mine).Error
	if err != nil {
		return fmt.Errorf("check uploads: %w", err)
	}
	found := make(map[string]bool, len(mine))
	for _, n := range mine {
		found[n] = true
	}
	for i, n := range names {
		if !found[n] {
			return errs.Field(item(field, i), "upload.not_yours")
		}
	}
	return nil
}

// startOfDay is midnight, China time, of the day t falls on.
func startOfDay(t time.Time) time.Time {
	t = t.In(clock.China)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, clock.China)
}

// item is the path of the i-th element of the list field.
func item(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }
