package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/staff"
)

// Admin manages console accounts from the command line, for the first
// owner of a production shop and for an owner who lost their password:
//
//	kaidian admin create <username> [staff]   a new owner (or staff) account
//	kaidian admin password <username>          a new password for an account
//
// The password is KAIDIAN_ADMIN_PASSWORD when set, otherwise generated; it
// is printed once.
func Admin(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	usage := fmt.Errorf("usage: kaidian admin create <username> [staff] | kaidian admin password <username>")
	if len(args) < 2 {
		return usage
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	clk := clock.New()
	accounts := staff.New(db, audit.New(db, clk), clk)
	password := os.Getenv("KAIDIAN_ADMIN_PASSWORD")
	if password == "" {
		password = staff.GeneratePassword()
	}
	switch args[0] {
	case "create":
		role := staff.RoleOwner
		if len(args) > 2 && args[2] == "staff" {
			role = staff.RoleStaff
		}
		if _, err := accounts.Create(ctx, actorCLI, staff.NewAccount{Username: args[1], Name: args[1], Password: password, Role: role}); err != nil {
			return errs.As(err)
		}
	case "password":
		var found *staff.Account
		all, err := accounts.List(ctx)
		if err != nil {
			return err
		}
		for i := range all {
			if all[i].Username == args[1] {
				found = &all[i]
			}
		}
		if found == nil {
			return fmt.Errorf("admin: no account %q", args[1])
		}
		// Only the password changes: a deactivated account stays deactivated
		// (an owner deactivated it on purpose; reactivating is the console's job).
		if _, err := accounts.Update(ctx, actorCLI, found.ID, staff.Change{Name: found.Name, Role: found.Role,
			Active: found.Active, Password: password}); err != nil {
			return errs.As(err)
		}
	default:
		return usage
	}
	fmt.Fprintf(out, "console login: %s / %s\n", args[1], password)
	return nil
}
