package customer_test

import (
	"context"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

func TestLoginFindsByOpenIDOrUnionID(t *testing.T) {
	svc := customer.New(dbtest.Open(t), clock.New())
	ctx := context.Background()
	first, err := svc.Login(ctx, customer.Identity{OpenID: "o-1", SessionKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Login(ctx, customer.Identity{OpenID: "o-1", UnionID: "u-1", SessionKey: "k2"})
	if err != nil || again.ID != first.ID || again.UnionID == nil || *again.UnionID != "u-1" || again.SessionKey != "k2" {
		t.Fatalf("second login: %+v %v", again, err)
	}
	// The same person through another app of the brand: a new openid, the same unionid.
	other, err := svc.Login(ctx, customer.Identity{OpenID: "o-2", UnionID: "u-1"})
	if err != nil || other.ID != first.ID {
		t.Fatalf("unionid login: %+v %v", other, err)
	}
	stranger, err := svc.Login(ctx, customer.Identity{OpenID: "o-3"})
	if err != nil || stranger.ID == first.ID {
		t.Fatalf("stranger: %+v %v", stranger, err)
	}
	if _, err := svc.Login(ctx, customer.Identity{}); err == nil {
		t.Fatal("login without openid accepted")
	}
}

// Two first logins of one person racing end with one shopper.
func TestConcurrentFirstLogins(t *testing.T) {
	svc := customer.New(dbtest.Open(t), clock.New())
	var wg sync.WaitGroup
	ids := make([]int64, 12)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh, err := svc.Login(context.Background(), customer.Identity{OpenID: "o-race"})
			if err != nil {
				t.Error(err)
			}
			ids[i] = sh.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("racing logins made shoppers %v", ids)
		}
	}
}
