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
	"github.com/kaidian/kaidian/internal/i18n"
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
	for _, l := range i18n.Langs {
		p := i18n.For(l)
		for _, want := range []string{
			p.T("operator.banner.login", "username", "owner", "password", a.FirstOwner.Password),
			p.T("operator.banner.delete_file"),
			p.T("operator.banner.console", "url", "http://127.0.0.1:8080/console"),
		} {
			if !strings.Contains(string(body), want) {
				t.Fatalf("login file lacks %q:\n%s", want, body)
			}
		}
	}
	if !strings.Contains(string(body), "用户名 owner，密码 "+a.FirstOwner.Password) {
		t.Fatalf("login file has no Chinese login line:\n%s", body)
	}
	if !strings.Contains(logs.String(), "已写入 "+path) {
		t.Fatalf("the log has no Chinese pointer to the file: %s", logs.String())
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

// The first start's banner says, in Chinese and then in English, where the
// console is, the login, that WeChat is the sandbox, and the quick start's
// two commands.
func TestFirstStartBannerInBothLanguages(t *testing.T) {
	var logs, screen bytes.Buffer
	a := firstOwnerApp(t, &logs)
	if err := a.AnnounceFirstOwner(&screen, "http://127.0.0.1:8080/console"); err != nil {
		t.Fatal(err)
	}
	out := screen.String()
	for _, want := range []string{"管理后台：http://127.0.0.1:8080/console", "沙箱模式", "启动店铺：go run ./cmd/kaidian", "运行测试：.ci/test",
		"Merchant console: http://127.0.0.1:8080/console", "Sandbox mode", "Run the tests: .ci/test"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	var last int
	for _, l := range i18n.Langs { // Chinese first
		p := i18n.For(l)
		for _, want := range []string{p.T("operator.banner.title"), p.T("operator.banner.login_once"), p.T("operator.banner.sandbox", "path", "/sandbox")} {
			if !strings.Contains(out, want) {
				t.Errorf("%s banner lacks %q", l, want)
			}
		}
		at := strings.Index(out, p.T("operator.banner.title"))
		if at < last {
			t.Errorf("%s banner comes before the one above it:\n%s", l, out)
		}
		last = at
	}

	// With WeChat configured there is no sandbox to warn about.
	screen.Reset()
	a.Config.WechatAppID = "wx1"
	a.AnnounceFirstOwner(&screen, "http://127.0.0.1:8080/console")
	if strings.Contains(screen.String(), "沙箱") || strings.Contains(screen.String(), "Sandbox") {
		t.Errorf("banner mentions the sandbox with WeChat configured:\n%s", screen.String())
	}
}
