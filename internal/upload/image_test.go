package upload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// photo is a w×h JPEG whose top-left quarter is red and the rest blue, so a
// test can tell which way it was turned.
func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withExif puts an APP1 EXIF segment holding the orientation tag and a
// GPS-looking string right after the JPEG's SOI marker, as a phone does.
func withExif(jpg []byte, orientation uint16, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	order.PutUint16(tiff[2:], 42)
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1) // one entry
	e := tiff[10:]
	order.PutUint16(e[0:], 0x0112)
	order.PutUint16(e[2:], 3) // SHORT
	order.PutUint32(e[4:], 1)
	order.PutUint16(e[8:], orientation)
	tiff = append(tiff, []byte("GPS 31.2304N 121.4737E secret-device")...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func redAt(t *testing.T, data []byte, x, y int) bool {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := img.At(x, y).RGBA()
	return r > 0xC000 && g < 0x4000 && b < 0x4000
}

func TestReencodeTurnsPhotosUprightAndDropsMetadata(t *testing.T) {
	src := photo(t, 40, 20) // red in the top-left quarter: x<20, y<10
	for _, tc := range []struct {
		orientation  uint16
		order        binary.ByteOrder
		w, h         int
		redX, redY   int // a pixel that must be red after turning
		blueX, blueY int // and one that must not
		describe     string
	}{
		{1, binary.BigEndian, 40, 20, 2, 2, 37, 17, "upright"},
		{3, binary.LittleEndian, 40, 20, 37, 17, 2, 2, "upside down"},
		{6, binary.BigEndian, 20, 40, 17, 2, 2, 37, "turned a quarter: turned back clockwise"},
		{8, binary.LittleEndian, 20, 40, 2, 37, 17, 2, "turned the other way"},
		{2, binary.BigEndian, 40, 20, 37, 2, 2, 2, "mirrored"},
	} {
		out, err := Reencode(withExif(src, tc.orientation, tc.order))
		if err != nil {
			t.Fatalf("%s: %v", tc.describe, err)
		}
		if out.Ext != ".jpg" || out.Width != tc.w || out.Height != tc.h {
			t.Errorf("%s: %s %dx%d, want .jpg %dx%d", tc.describe, out.Ext, out.Width, out.Height, tc.w, tc.h)
			continue
		}
		if !redAt(t, out.Data, tc.redX, tc.redY) || redAt(t, out.Data, tc.blueX, tc.blueY) {
			t.Errorf("%s: the red corner is not where it belongs", tc.describe)
		}
		if bytes.Contains(out.Data, []byte("Exif")) || bytes.Contains(out.Data, []byte("secret-device")) {
			t.Errorf("%s: metadata survived re-encoding", tc.describe)
		}
	}
}

func TestReencodeDropsWhatIsHiddenAfterTheImage(t *testing.T) {
	hidden := append(photo(t, 16, 16), []byte("PK\x03\x04<script>alert(1)</script>")...)
	out, err := Reencode(hidden)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Data, []byte("<script>")) {
		t.Fatal("bytes appended to the image were kept")
	}
}

func TestReencodeScalesDownLargeImagesAndKeepsTransparency(t *testing.T) {
	big := image.NewNRGBA(image.Rect(0, 0, 3000, 1500))
	big.Set(0, 0, color.NRGBA{1, 2, 3, 0}) // one transparent pixel
	var buf bytes.Buffer
	png.Encode(&buf, big)
	out, err := Reencode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if out.Ext != ".png" || out.Width != MaxSide || out.Height != MaxSide/2 {
		t.Fatalf("got %s %dx%d, want .png %dx%d", out.Ext, out.Width, out.Height, MaxSide, MaxSide/2)
	}
}

func TestReencodeRefusesWhatIsNotAnImage(t *testing.T) {
	// A PNG header claiming 100,000 × 100,000 pixels: refused before any
	// pixel is decoded (it would take 40 GB).
	var bomb bytes.Buffer
	bomb.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100_000)
	binary.BigEndian.PutUint32(ihdr[4:], 100_000)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	binary.Write(&bomb, binary.BigEndian, uint32(len(ihdr)))
	bomb.WriteString("IHDR")
	bomb.Write(ihdr)
	binary.Write(&bomb, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("hello, not an image at all"), ErrNotImage},
		{"html", []byte("<html><script>alert(1)</script></html>"), ErrNotImage},
		{"truncated jpeg", photo(t, 16, 16)[:40], ErrNotImage},
		{"pdf", []byte("%PDF-1.7\n1 0 obj"), ErrNotImage},
	} {
		if _, err := Reencode(tc.data); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Reencode(bomb.Bytes()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("pixel bomb: %v", err)
	}
}

func TestJPEGOrientationSurvivesBrokenSegments(t *testing.T) {
	for _, data := range [][]byte{
		nil, {0xFF}, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF},
		{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F},
	} {
		if o := jpegOrientation(data); o != 1 {
			t.Errorf("%x: orientation %d, want 1", data, o)
		}
	}
}

func TestSniffKnowsTheFourFormatsByContent(t *testing.T) {
	for data, want := range map[string]string{
		"\xFF\xD8\xFF\xE0rest": ".jpg", "\x89PNG\r\n\x1A\nrest": ".png", "GIF89a..": ".gif", "GIF87a..": ".gif",
		"RIFF\x00\x00\x00\x00WEBPVP8 ": ".webp", "RIFF\x00\x00\x00\x00WAVEfmt ": "", "<svg onload=alert(1)>": "", "": "",
	} {
		if got, ok := Sniff([]byte(data)); got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", data, got, ok, want)
		}
	}
}
