// Package upload keeps the images people upload: merchants' product and
// banner images from the console, and shoppers' photos (reviews, returns,
// avatars) from the mini program. Every image is recognised by its content,
// never by its name, stored under DataDir/uploads with a random name and the
// extension of its real type, and served at /uploads/{name}.
// Shoppers' images are also decoded and re-encoded (see Reencode), which
// drops whatever metadata the phone wrote (GPS position, device) and any
// bytes hidden after the image; each is recorded against the shopper, so
// another feature can check that the photos a request names are that
// shopper's own (Service.Owned).
package upload

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// servedTypes maps the extension of each image type Kaidian accepts to
// the content type it is served with.
var servedTypes = map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}

// storedName is the only shape of name Store gives a file.
var storedName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png|webp|gif)$`)

// URLPrefix is where stored images are served.
const URLPrefix = "/uploads/"

// Store is the folder of uploaded images.
type Store struct{ dir string }

// NewStore keeps images under dataDir/uploads.
func NewStore(dataDir string) *Store { return &Store{dir: filepath.Join(dataDir, "uploads")} }

// Dir is the folder the images are kept in.
func (s *Store) Dir() string { return s.dir }

// Sniff is the extension of the image type data's content shows (by the
// signature each format opens with, as browsers sniff them), or false when
// it is none Kaidian accepts: JPEG, PNG, GIF or WebP.
func Sniff(data []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return ".jpg", true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1A\n")):
		return ".png", true
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return ".gif", true
	case len(data) >= 14 && string(data[:4]) == "RIFF" && string(data[8:14]) == "WEBPVP":
		return ".webp", true
	}
	return "", false
}

// Save writes data under a new random name with extension ext and returns
// the URL it is served at. It is written to a temporary name and renamed,
// so a half-written image is never served.
func (s *Store) Save(data []byte, ext string) (string, error) {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return "", fmt.Errorf("uploads folder: %w", err)
	}
	random := make([]byte, 16)
	rand.Read(random)
	name := hex.EncodeToString(random) + ext
	tmp, err := os.CreateTemp(s.dir, ".partial-*")
	if err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("store upload: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.dir, name)); err != nil {
		return "", fmt.Errorf("store upload: %w", err)
	}
	return URLPrefix + name, nil
}

// Name is the stored file name a URL from Save refers to, or false when the
// URL is not one.
func Name(url string) (string, bool) {
	name, ok := strings.CutPrefix(url, URLPrefix)
	if !ok || !storedName.MatchString(name) {
		return "", false
	}
	return name, true
}

// Open opens the stored image name for serving, with the content type its
// name says (the type its content was sniffed as). Only names Save gives
// are opened, so nothing else that lands in the folder is ever served.
func (s *Store) Open(name string) (f *os.File, info os.FileInfo, contentType string, ok bool) {
	if !storedName.MatchString(name) {
		return nil, nil, "", false
	}
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return nil, nil, "", false
	}
	info, err = f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, "", false
	}
	return f, info, servedTypes[path.Ext(name)], true
}
