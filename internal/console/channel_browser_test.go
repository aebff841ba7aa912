package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
	"github.com/kaidian/kaidian/internal/testkit"
)

// A merchant creates a channel in a real browser, sees its code previewed
// and downloads the 860 px code: the file is a PNG whose QR code opens the
// home page with a scene key that stands for the channel.
func TestBrowserChannelCodeDownload(t *testing.T) {
	e := apptest.Start(t)
	b := e.Browser(t)
	e.StaffAccount(t, "boss", staff.RoleOwner)
	b.SignIn("boss", "password-boss")
	w := pageLanguage(b)

	b.Open("/console/channels")
	b.MustSee(w.T("console.channel.empty"))
	b.Open("/console/channels/new")
	b.Run("name the channel", chromedp.SendKeys(`input[name=name]`, "静安店橱窗", chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name=note]`, "春季海报", chromedp.ByQuery))
	b.Submit("create it", `main form .actions button[type=submit]`)
	cs, err := e.App.Channels.List(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("channels after creating one: %+v %v", cs, err)
	}
	ch := cs[0]
	b.MustSee(w.T("console.channel.created", "name", "静安店橱窗", "code", ch.Code))
	var previewed bool
	b.Run("the preview loads", chromedp.Poll(`(() => { const i = document.querySelector("#codes img"); return i.complete && i.naturalWidth >= 280 })()`,
		&previewed, chromedp.WithPollingTimeout(20*time.Second)))

	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(b.Context(), func(ev any) {
		if p, ok := ev.(*browser.EventDownloadProgress); ok && p.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- p.GUID:
			default:
			}
		}
	})
	b.Run("allow downloads", browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(dir).WithEventsEnabled(true))
	b.Screenshot("channel-codes")
	b.Run("download the 860 px code", chromedp.Click(`#codes a[href*="width=860"]`, chromedp.ByQuery))
	var guid string
	select {
	case guid = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not finish")
	}
	png, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	text, width := testkit.ReadQR(t, png)
	page, key, _ := strings.Cut(text, "?scene=")
	sc, err := e.App.Scenes.Resolve(context.Background(), key)
	if err != nil || page != "pages/index/index" || sc.Ref != ch.Ref() || sc.Target != "home" || width < 860 {
		t.Fatalf("downloaded code reads %q at %d px: %+v %v", text, width, sc, err)
	}
}
