package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/staff"
)

// A password reset from the command line must not undo an owner's
// deactivation: the account stays unable to sign in, with either password.
func TestAdminPasswordKeepsAccountDeactivated(t *testing.T) {
	cfg, log := commandConfig(t)
	ctx := context.Background()
	t.Setenv("KAIDIAN_ADMIN_PASSWORD", "")
	admin := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := app.Admin(ctx, cfg, log, args, &out); err != nil {
			t.Fatalf("admin %v: %v", args, err)
		}
		return out.String()
	}
	admin("create", "boss")
	admin("create", "clerk", "staff")

	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	accounts := staff.New(db, audit.New(db, clock.New()), clock.New())
	clerk := account(t, accounts, "clerk")
	if _, err := accounts.Update(ctx, "test", clerk.ID, staff.Change{Name: clerk.Name, Role: clerk.Role, Active: false}); err != nil {
		t.Fatal(err)
	}

	out := admin("password", "clerk")
	if got := account(t, accounts, "clerk"); got.Active {
		t.Fatal("kaidian admin password reactivated a deactivated account")
	}
	password := strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	if _, err := accounts.SignInAttempt(ctx, staff.Attempt{Username: "clerk", Password: password, IP: "127.0.0.1", UserAgent: "test"}); err == nil {
		t.Fatal("a deactivated account signed in with its reset password")
	}
	// An active account's reset still works and keeps it active.
	out = admin("password", "boss")
	password = strings.TrimSpace(out[strings.LastIndex(out, " ")+1:])
	if _, err := accounts.SignInAttempt(ctx, staff.Attempt{Username: "boss", Password: password, IP: "127.0.0.1", UserAgent: "test"}); err != nil || !account(t, accounts, "boss").Active {
		t.Fatalf("active owner after reset: %v", err)
	}
}

// commandConfig is the configuration a command-line test runs a command
// with: the test database (PostgreSQL when KAIDIAN_TEST_DATABASE_URL is set,
// else a fresh SQLite file, whose folder is the data directory), and a
// logger that discards.
func commandConfig(t *testing.T) (config.Config, *slog.Logger) {
	t.Helper()
	pg, sqlite := dbtest.URL(t)
	cfg := config.Config{DatabaseURL: pg, DataDir: strings.TrimSuffix(sqlite, "/kaidian.db")}
	if sqlite == "" {
		cfg.DataDir = t.TempDir()
	}
	return cfg, slog.New(slog.NewTextHandler(io.Discard, nil))
}

func account(t *testing.T, s *staff.Service, username string) staff.Account {
	t.Helper()
	all, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.Username == username {
			return a
		}
	}
	t.Fatalf("no account %q", username)
	return staff.Account{}
}
