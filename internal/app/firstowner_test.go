package app_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/config"
)

func firstOwnerApp(t *testing.T, logs *bytes.Buffer) *app.App {
	a := &app.App{Config: config.Config{DataDir: t.TempDir()}, Log: slog.New(slog.NewJSONHandler(logs, nil))}
	a.FirstOwner.Username, a.FirstOwner.Password = "owner", "GENERATEDPASSWORD234567ABCD"
	return a
}

// Without a terminal (docker logs, a pipe, a file) the generated password
// goes to a file only this user can read; the log says where, and never
// carries the password.
func TestFirstOwnerLoginStaysOutOfTheLogs(t *testing.T) {
	var logs bytes.Buffer
	a := firstOwnerApp(t, &logs)
	// A pipe, as stdout is under docker or systemd, is not a terminal.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if app.Terminal(w) != nil {
		t.Fatal("a pipe counts as a terminal")
	}
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		defer null.Close()
		if app.Terminal(null) != nil {
			t.Fatal("/dev/null counts as a terminal")
		}
	}
	if err := a.AnnounceFirstOwner(app.Terminal(w), "http://127.0.0.1:8080/console"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), a.FirstOwner.Password) {
		t.Fatalf("the password is in the log: %s", logs.String())
	}
	path := filepath.Join(a.Config.DataDir, app.FirstOwnerFile)
	if !strings.Contains(logs.String(), path) {
		t.Fatalf("the log does not say where the login is: %s", logs.String())
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("login file mode %v, want 0600", fi.Mode().Perm())
	}
	body, _ := os.ReadFile(path)
	if !strings.Contains(string(body), "password: "+a.FirstOwner.Password) || !strings.Contains(string(body), "username: owner") {
		t.Fatalf("login file: %q", body)
	}

	// A leftover file readable by others is replaced, not reused.
	os.Chmod(path, 0o644)
	if err := a.AnnounceFirstOwner(nil, "http://127.0.0.1:8080/console"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("rewritten login file mode %v", fi.Mode().Perm())
	}
}

// On an interactive terminal the login is shown there, and no file is written.
func TestFirstOwnerLoginOnATerminal(t *testing.T) {
	var logs, screen bytes.Buffer
	a := firstOwnerApp(t, &logs)
	if err := a.AnnounceFirstOwner(&screen, "http://127.0.0.1:8080/console"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(screen.String(), a.FirstOwner.Password) || strings.Contains(logs.String(), a.FirstOwner.Password) {
		t.Fatalf("screen %q, logs %q", screen.String(), logs.String())
	}
	if _, err := os.Stat(filepath.Join(a.Config.DataDir, app.FirstOwnerFile)); err == nil {
		t.Fatal("a login file was written although a terminal showed it")
	}
}
