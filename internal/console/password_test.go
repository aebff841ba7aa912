package console_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/staff"
)

// firstOwner is the owner login a first start generates: the one this
// Kaidian made on SQLite, or (PostgreSQL generates none at start) one made
// the same way now.
func firstOwner(t *testing.T, e *apptest.Env) (string, string) {
	t.Helper()
	if o := e.App.FirstOwner; o.Password != "" {
		return o.Username, o.Password
	}
	user, pw, err := e.App.Staff.EnsureOwner(context.Background())
	if err != nil || pw == "" {
		t.Fatalf("ensure owner: %q %v", pw, err)
	}
	return user, pw
}

func signInWith(t *testing.T, e *apptest.Env, user, pw string) (*apptest.Console, apptest.Page) {
	t.Helper()
	c := e.Anonymous(t)
	c.Get("/console/login")
	return c, c.Post("/console/login", url.Values{"username": {user}, "password": {pw}})
}

// The generated first owner password was shown once (terminal or file): the
// console does nothing for that account but let it choose its own, through
// a CSRF-protected form with the usual password rules, audited, and the
// change signs out every other session.
func TestFirstOwnerMustChooseAPassword(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	user, generated := firstOwner(t, e)
	other, _ := signInWith(t, e, user, generated)
	c, p := signInWith(t, e, user, generated)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("sign in with the generated password: %d %s", p.Status, p.Body)
	}

	for _, path := range []string{"/console", "/console/orders", "/console/staff", "/console/settings", "/console/staff/new"} {
		if p := c.Get(path); p.Status != http.StatusSeeOther || p.Location != "/console/password" {
			t.Errorf("GET %s before choosing a password: %d %s", path, p.Status, p.Location)
		}
	}
	form := c.Get("/console/password")
	if form.Status != http.StatusOK || !form.Has("开店时系统生成") || !form.Has(zh.T("console.password.forced")) || !form.Has(`name="current_password"`) {
		t.Fatalf("change-password page: %d %s", form.Status, form.Body)
	}
	// The language can be chosen before anything else: the owner may not read Chinese.
	if p := c.Post("/console/language", url.Values{"language": {"en"}, "next": {"/console/password"}}); p.Status != http.StatusSeeOther || p.Location != "/console/password" {
		t.Fatalf("choosing English before the password: %d %s", p.Status, p.Location)
	}
	if p := c.Get("/console/password"); !p.Has(en.T("console.password.forced")) {
		t.Fatalf("change-password page in English: %s", p.Body)
	}
	c.Post("/console/language", url.Values{"language": {"zh-CN"}, "next": {"/console/password"}})
	// Forms other than the password's do nothing.
	if p := c.Post("/console/staff", url.Values{"username": {"mallory"}, "name": {"m"}, "password": {"mallory-password"}, "role": {"owner"}}); p.Status != http.StatusSeeOther || p.Location != "/console/password" {
		t.Fatalf("POST /console/staff before choosing a password: %d %s", p.Status, p.Location)
	}
	if as, _ := e.App.Staff.List(ctx); len(as) != 1 {
		t.Fatalf("%d accounts: a form worked before the password was changed", len(as))
	}

	const chosen = "my-own-password-42"
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"no CSRF token", url.Values{"_csrf": {"forged"}, "current_password": {generated}, "password": {chosen}, "confirm": {chosen}}, http.StatusForbidden, says("console.csrf")},
		{"wrong current password", url.Values{"current_password": {"not-the-password"}, "password": {chosen}, "confirm": {chosen}}, http.StatusBadRequest, "当前密码不正确"},
		{"too short", url.Values{"current_password": {generated}, "password": {"short"}, "confirm": {"short"}}, http.StatusBadRequest, says("staff.password_length")},
		{"confirmation differs", url.Values{"current_password": {generated}, "password": {chosen}, "confirm": {chosen + "x"}}, http.StatusBadRequest, says("staff.confirm_mismatch")},
		{"same as the generated one", url.Values{"current_password": {generated}, "password": {generated}, "confirm": {generated}}, http.StatusBadRequest, says("staff.password_same")},
	} {
		if p := c.Post("/console/password", tc.form); p.Status != tc.status || !p.Has(tc.says) {
			t.Errorf("%s: %d, want %d saying %q: %.300s", tc.name, p.Status, tc.status, tc.says, p.Body)
		}
	}
	if p := c.Get("/console"); p.Location != "/console/password" {
		t.Fatal("a refused change let the owner in")
	}

	if p := c.Post("/console/password", url.Values{"current_password": {generated}, "password": {chosen}, "confirm": {chosen}}); p.Status != http.StatusSeeOther || p.Location != "/console" {
		t.Fatalf("change: %d %s %s", p.Status, p.Location, p.Body)
	}
	if p := c.Get("/console"); p.Status != http.StatusOK || !p.Has("密码已修改。") {
		t.Fatalf("dashboard after the change: %d %s", p.Status, p.Location)
	}
	if p := c.Get("/console/staff"); p.Status != http.StatusOK {
		t.Fatalf("staff page after the change: %d", p.Status)
	}
	if p := other.Get("/console/password"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/console/login") {
		t.Fatalf("the other session survived the change: %d %s", p.Status, p.Location)
	}
	if _, p := signInWith(t, e, user, generated); p.Status != http.StatusUnauthorized {
		t.Fatalf("the generated password still signs in: %d", p.Status)
	}
	if _, p := signInWith(t, e, user, chosen); p.Status != http.StatusSeeOther {
		t.Fatalf("the chosen password does not sign in: %d", p.Status)
	}
	es, _, err := e.App.Audit.List(ctx, audit.Query{Action: "staff.password_change", Page: page.Request{Limit: 10}})
	if err != nil || len(es) != 1 || !strings.Contains(es[0].Actor, user) {
		t.Fatalf("audit: %+v %v", es, err)
	}
}

// Anyone signed in can change their own password, and is not forced to.
func TestStaffChangeTheirOwnPassword(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console"); p.Status != http.StatusOK {
		t.Fatalf("a staff account with its own password is sent elsewhere: %d %s", p.Status, p.Location)
	}
	form := c.Get("/console/password")
	if form.Status != http.StatusOK || form.Has(zh.T("console.password.forced")) || !form.Has("<h1>修改密码</h1>") {
		t.Fatalf("password page: %d", form.Status)
	}
	if p := c.Post("/console/password", url.Values{"current_password": {"password-lily"}, "password": {"lily-new-password"}, "confirm": {"lily-new-password"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", p.Status, p.Body)
	}
	if _, p := signInWith(t, e, "lily", "lily-new-password"); p.Status != http.StatusSeeOther {
		t.Fatalf("new password: %d", p.Status)
	}
}

// Guessing the current password through the change form is throttled like
// sign-in: a stolen session cannot brute-force its way to the account.
func TestPasswordChangeGuessesAreThrottled(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	c.Get("/console/password")
	for range staff.ThrottleUser {
		c.Post("/console/password", url.Values{"current_password": {"guess-guess-guess"}, "password": {"lily-new-password"}, "confirm": {"lily-new-password"}})
	}
	p := c.Post("/console/password", url.Values{"current_password": {"password-lily"}, "password": {"lily-new-password"}, "confirm": {"lily-new-password"}})
	if p.Status != http.StatusTooManyRequests {
		t.Fatalf("after %d wrong guesses the right password: %d", staff.ThrottleUser, p.Status)
	}
}

// Two changes racing from the same old password: one wins, the other is
// told the password changed meanwhile, and the winner's password is the one kept.
func TestConcurrentPasswordChangesOneWins(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	e.StaffAccount(t, "lily", staff.RoleStaff)
	in, err := e.App.Staff.SignInAttempt(ctx, staff.Attempt{Username: "lily", Password: "password-lily", IP: "127.0.0.1", UserAgent: "test"})
	sess := in.Session
	if err != nil {
		t.Fatal(err)
	}
	news := []string{"first-new-password", "second-new-password", "third-new-password"}
	errsOut := make([]error, len(news))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, pw := range news {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errsOut[i] = e.App.Staff.ChangePassword(ctx, sess, "password-lily", pw, pw)
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errsOut {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Fatalf("two changes from the same old password both won: %q and %q", news[winner], news[i])
			}
			winner = i
		case !errs.Is(err, staff.ErrPasswordChanged.Code):
			t.Fatalf("change %d: %v", i, err)
		}
	}
	if winner < 0 {
		t.Fatalf("no change won: %v", errors.Join(errsOut...))
	}
	if _, err := e.App.Staff.SignInAttempt(ctx, staff.Attempt{Username: "lily", Password: news[winner], IP: "127.0.0.1", UserAgent: "test"}); err != nil {
		t.Fatalf("the winner's password does not sign in: %v", err)
	}
}
