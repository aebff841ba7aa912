package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kaidian/kaidian/internal/i18n"
)

// FirstOwnerFile is where, under KAIDIAN_DATA_DIR, the generated first
// owner login is written when there is no terminal to show it on.
const FirstOwnerFile = "first-owner-login.txt"

// AnnounceFirstOwner hands the generated first owner login (if this start
// made one) to the operator, with the first start's banner (see banner).
// On an interactive terminal the banner and the login are printed there.
// Otherwise stdout is a log stream (docker logs, journald, a file) kept and
// shipped elsewhere, so the banner with the password goes into a file only
// this user can read under KAIDIAN_DATA_DIR and the log says where, never
// the password itself. Either way the owner must choose a new password at
// the first sign-in.
func (a *App) AnnounceFirstOwner(terminal io.Writer, consoleURL string) error {
	o := a.FirstOwner
	if o.Password == "" {
		return nil
	}
	if terminal != nil {
		_, err := io.WriteString(terminal, "\n"+a.banner(consoleURL, false)+"\n")
		return err
	}
	path := filepath.Join(a.Config.DataDir, FirstOwnerFile)
	// A fresh file (O_EXCL): never one left with wider permissions, nor a
	// link someone planted pointing elsewhere.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("first owner login: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("first owner login: %w", err)
	}
	_, err = io.WriteString(f, a.banner(consoleURL, true))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("first owner login: %w", err)
	}
	// The message stays English (stable to search and alert on); the
	// Chinese beside it is for the person reading the log.
	a.Log.Warn("first console owner created: its generated login is in a file readable only by this user; sign in, choose a new password, then delete the file",
		"console", consoleURL, "username", o.Username, "file", path,
		"zh", i18n.For(i18n.ZhCN).T("operator.banner.login_file", "file", path))
	return nil
}

// QuickStart is the README's quick start, the two commands the banner
// repeats: start the shop, run the tests.
var QuickStart = [2]string{"go run ./cmd/kaidian", ".ci/test"}

// banner is what the first start tells the operator, in Chinese and then
// in English: where the console is, the first owner's login (inFile: in
// the file that holds it, which is to be deleted once used), whether
// WeChat is the sandbox, and the quick start's two commands.
func (a *App) banner(consoleURL string, inFile bool) string {
	var b strings.Builder
	for i, l := range i18n.Langs {
		p := i18n.For(l)
		line := func(id string, kv ...any) { b.WriteString("  " + p.T(id, kv...) + "\n") }
		if i > 0 {
			b.WriteString("\n")
		}
		line("operator.banner.title")
		line("operator.banner.console", "url", consoleURL)
		line("operator.banner.login", "username", a.FirstOwner.Username, "password", a.FirstOwner.Password)
		if inFile {
			line("operator.banner.delete_file")
		} else {
			line("operator.banner.login_once")
		}
		if a.Config.Sandbox() {
			line("operator.banner.sandbox", "path", "/sandbox")
		}
		line("operator.banner.start", "command", QuickStart[0])
		line("operator.banner.test", "command", QuickStart[1])
	}
	return b.String()
}

// Terminal returns f when it is an interactive terminal, else nil: a
// character device other than /dev/null (which is one too, and would
// swallow the login).
func Terminal(f *os.File) io.Writer {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return nil
	}
	return f
}
