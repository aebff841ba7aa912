package apptest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Browser drives a real headless Chromium (Debian's chromium package,
// installed by .ci/test) against this Kaidian, for the console's end-to-end
// tests.
type Browser struct {
	e   *Env
	t   testing.TB
	ctx context.Context
}

// Browser starts Chromium for the test. Without Chromium on the machine the
// test is skipped with a message — unless KAIDIAN_REQUIRE_BROWSER=1 (CI),
// where it fails.
func (e *Env) Browser(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("KAIDIAN_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium not found (apt-get install -y chromium); KAIDIAN_REQUIRE_BROWSER=1 requires it")
		}
		t.Skip("Chromium not installed: skipping the browser test (.ci/test installs it)")
	}
	// Chromium may still be writing its profile as it exits, which would fail
	// t.TempDir's cleanup: the profile is removed after Chromium is gone.
	profile, err := os.MkdirTemp("", "kaidian-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.WindowSize(1366, 900),
		// This machine's network is closed: without these Chromium keeps
		// trying Google's hosts in the background.
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); os.RemoveAll(profile) })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &Browser{e: e, t: t, ctx: ctx}
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Run performs the actions, failing the test (with a screenshot of where
// it got stuck) if one fails or 30 seconds pass.
func (b *Browser) Run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		b.Screenshot("failed-" + what)
		b.t.Fatalf("browser: %s: %v", what, err)
	}
}

// Open navigates to a path of this Kaidian and waits for the page.
func (b *Browser) Open(path string) {
	b.t.Helper()
	b.Run("open "+path, chromedp.Navigate(b.e.URL+path), chromedp.WaitReady("body"))
}

// Text returns the visible text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	var s string
	b.Run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// MustSee fails unless the page's main area shows every text.
func (b *Browser) MustSee(texts ...string) {
	b.t.Helper()
	body := b.Text("main")
	for _, s := range texts {
		if !strings.Contains(body, s) {
			b.Screenshot("missing")
			b.t.Fatalf("browser: the page does not show %q:\n%s", s, body)
		}
	}
}

// Screenshot saves the whole page as a PNG artefact under
// KAIDIAN_ARTIFACTS (default .ci/artifacts/screens in the repository).
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	dir := os.Getenv("KAIDIAN_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(), ".ci", "artifacts", "screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot: %v", err)
		return ""
	}
	var png []byte
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot: %v", err)
	}
	return path
}

// repoRoot finds the module root from the test's working directory.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}

// SignIn signs the account in through the console's login form.
func (b *Browser) SignIn(username, password string) {
	b.t.Helper()
	b.Open("/console/login")
	b.Run("sign in",
		chromedp.SendKeys(`input[name=username]`, username, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, password, chromedp.ByQuery),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`header.top`, chromedp.ByQuery)) // only signed-in pages have it
}

// Value returns the current value of a form field.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	var v string
	b.Run("value of "+sel, chromedp.Value(sel, &v, chromedp.ByQuery))
	return v
}

// Context is the browser tab's context, for listeners (e.g. dialogs).
func (b *Browser) Context() context.Context { return b.ctx }

// Submit clicks the element at sel and waits until the page it leads to
// has loaded (the old document is marked; the new one lacks the mark and is
// complete), so the next step never acts on the page being left. While the
// navigation runs, evaluating fails; those errors just mean "not yet".
func (b *Browser) Submit(what, sel string) {
	b.t.Helper()
	b.Run(what, chromedp.Evaluate(`window.__kaidianLeaving = true`, nil), chromedp.Click(sel, chromedp.ByQuery))
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var arrived bool
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		err := chromedp.Run(ctx, chromedp.Evaluate(`!window.__kaidianLeaving && document.readyState === "complete"`, &arrived))
		cancel()
		if err == nil && arrived {
			return
		}
		if time.Now().After(deadline) {
			b.Screenshot("failed-" + what)
			b.t.Fatalf("browser: %s: the next page never loaded", what)
		}
	}
}

// SetLanguage makes the browser ask for lang ("zh-CN", "en") in every
// request's Accept-Language, as a browser set to that language does: the
// console's language before sign-in, and after it for an account that has
// not chosen one.
func (b *Browser) SetLanguage(lang string) {
	b.t.Helper()
	b.Run("ask for "+lang, network.Enable(), network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": lang}))
}

// Viewport resizes the page's window to width × height CSS pixels (390 ×
// 844 is a phone, 1366 × 900 a laptop), as a phone or a resized window
// would: media queries follow.
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.Run("viewport", chromedp.EmulateViewport(width, height))
}

// Eval evaluates a JavaScript expression in the page into out (nil: discard).
func (b *Browser) Eval(js string, out any) {
	b.t.Helper()
	b.Run("evaluate", chromedp.Evaluate(js, out))
}
