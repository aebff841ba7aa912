package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// FirstOwnerFile is where, under KAIDIAN_DATA_DIR, the generated first
// owner login is written when there is no terminal to show it on.
const FirstOwnerFile = "first-owner-login.txt"

// AnnounceFirstOwner hands the generated first owner login (if this start
// made one) to the operator. On an interactive terminal it is printed there.
// Otherwise stdout is a log stream (docker logs, journald, a file) kept and
// shipped elsewhere, so the password goes into a file only this user can read
// under KAIDIAN_DATA_DIR and the log says where, never the password itself.
// Either way the owner must choose a new password at the first sign-in.
func (a *App) AnnounceFirstOwner(terminal io.Writer, consoleURL string) error {
	o := a.FirstOwner
	if o.Password == "" {
		return nil
	}
	if terminal != nil {
		_, err := fmt.Fprintf(terminal, "\n  Merchant console: %s\n  Sign in as %s with password %s\n  (shown once; you will choose your own password at the first sign-in)\n\n",
			consoleURL, o.Username, o.Password)
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
	_, err = fmt.Fprintf(f, "Merchant console: %s\nusername: %s\npassword: %s\n\nYou will choose your own password at the first sign-in; then delete this file.\n",
		consoleURL, o.Username, o.Password)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("first owner login: %w", err)
	}
	a.Log.Warn("first console owner created: its generated login is in a file readable only by this user; sign in, choose a new password, then delete the file",
		"console", consoleURL, "username", o.Username, "file", path)
	return nil
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
