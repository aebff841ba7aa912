package testkit

import (
	"bytes"
	"image"
	_ "image/png" // codes are PNGs
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// ReadQR reads the text of the QR code in a PNG, as a phone's camera
// would, and the image's width; it fails the test when the bytes are not a
// PNG or hold no readable code.
func ReadQR(t testing.TB, png []byte) (text string, width int) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(png))
	if err != nil || format != "png" {
		t.Fatalf("not a PNG (%s): %v", format, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code in the image: %v", err)
	}
	return res.GetText(), img.Bounds().Dx()
}
