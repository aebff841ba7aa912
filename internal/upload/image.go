package upload

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits of a shopper's image. A phone photo is a few megabytes and 12
// megapixels; MaxPixels leaves room for larger sensors while bounding the
// memory one decode takes (about 1.5 bytes a pixel for a JPEG).
const (
	MaxBytes  = 10 << 20
	MaxPixels = 40_000_000
	// MaxSide is the longest side a stored shopper image keeps: larger ones
	// are scaled down, which is sharp on any phone and keeps pages light.
	MaxSide     = 2048
	jpegQuality = 85
)

// Errors Reencode answers; the caller turns them into messages.
var (
	ErrNotImage = errors.New("not an image Kaidian accepts")
	ErrTooLarge = errors.New("image too large")
)

// Image is a re-encoded image ready to store.
type Image struct {
	Data          []byte
	Ext           string // ".jpg" or ".png"
	Width, Height int
}

// Reencode decodes data (JPEG, PNG, WebP or GIF, told by its content),
// turns it upright as its EXIF orientation says, scales it to at most
// MaxSide and encodes it again: JPEG, or PNG when it has transparency.
// Nothing of the original file but its pixels survives, so metadata and
// anything appended to the image are gone. An animated GIF keeps its first
// frame.
func Reencode(data []byte) (Image, error) {
	ext, ok := Sniff(data)
	if !ok {
		return Image{}, ErrNotImage
	}
	decode := decoders[ext]
	cfg, err := decode.config(bytes.NewReader(data))
	if err != nil {
		return Image{}, ErrNotImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, ErrNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Image{}, ErrTooLarge
	}
	img, err := decode.image(bytes.NewReader(data))
	if err != nil {
		return Image{}, ErrNotImage
	}
	img = scaleDown(img, MaxSide)
	if ext == ".jpg" {
		img = orient(img, jpegOrientation(data))
	}
	b := img.Bounds()
	var out bytes.Buffer
	if opaque(img) {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: jpegQuality})
		ext = ".jpg"
	} else {
		err = png.Encode(&out, img)
		ext = ".png"
	}
	if err != nil {
		return Image{}, fmt.Errorf("encode image: %w", err)
	}
	return Image{Data: out.Bytes(), Ext: ext, Width: b.Dx(), Height: b.Dy()}, nil
}

type decoder struct {
	config func(r *bytes.Reader) (image.Config, error)
	image  func(r *bytes.Reader) (image.Image, error)
}

var decoders = map[string]decoder{
	".jpg":  {func(r *bytes.Reader) (image.Config, error) { return jpeg.DecodeConfig(r) }, func(r *bytes.Reader) (image.Image, error) { return jpeg.Decode(r) }},
	".png":  {func(r *bytes.Reader) (image.Config, error) { return png.DecodeConfig(r) }, func(r *bytes.Reader) (image.Image, error) { return png.Decode(r) }},
	".webp": {func(r *bytes.Reader) (image.Config, error) { return webp.DecodeConfig(r) }, func(r *bytes.Reader) (image.Image, error) { return webp.Decode(r) }},
	".gif":  {func(r *bytes.Reader) (image.Config, error) { return gif.DecodeConfig(r) }, func(r *bytes.Reader) (image.Image, error) { return gif.Decode(r) }},
}

// scaleDown returns img with its longest side at most side pixels.
func scaleDown(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		h, w = max(1, h*side/w), side
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// opaque tells whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
