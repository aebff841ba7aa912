package share_test

import (
	"context"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/share"
)

// TestSceneKeyIsStableUnderRace: 16 requests for a new triple at once all
// get the one key the database kept, and the key resolves to the triple.
func TestSceneKeyIsStableUnderRace(t *testing.T) {
	db := dbtest.Open(t)
	sc := share.NewScenes(db, clock.New())
	ctx := context.Background()
	keys := make([]string, 16)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := sc.Key(ctx, "pages/product/index", "product:42", "channel:AB23CD")
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] || len(k) != share.SceneKeyLength {
			t.Fatalf("keys differ or have the wrong length: %v", keys)
		}
	}
	got, err := sc.Resolve(ctx, keys[0])
	if err != nil || got.Page != "pages/product/index" || got.Target != "product:42" || got.Ref != "channel:AB23CD" {
		t.Fatalf("Resolve(%s) = %+v, %v", keys[0], got, err)
	}
	other, err := sc.Key(ctx, "pages/product/index", "product:43", "channel:AB23CD")
	if err != nil || other == keys[0] {
		t.Fatalf("another target got key %q (err %v), the first was %q", other, err, keys[0])
	}
}

func TestResolveUnknownOrForgedKey(t *testing.T) {
	db := dbtest.Open(t)
	sc := share.NewScenes(db, clock.New())
	for _, k := range []string{"", "ZZZZZZZZ", "abc", "' OR 1=1 --", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if _, err := sc.Resolve(context.Background(), k); !errs.Is(err, "scene_not_found") {
			t.Errorf("Resolve(%q) = %v, want scene_not_found", k, err)
		}
	}
}
