package loadgen

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// shopper is one logged-in sandbox user, bound to one target for the run.
type shopper struct {
	i         int
	name      string // the sandbox user: load-<run>-<i>
	base      string // the target this shopper talks to
	token     string
	id        int64 // shopper id, as the login answered
	addressID int64
}

// api is the shopper's URL for an /api/v1 path.
func (s *shopper) api(path string) string { return s.base + "/api/v1" + path }

// login logs n distinct shoppers in through the sandbox, as the mini program
// does (wx.login → code → POST /auth/login), and gives each an address,
// with at most concurrency requests in flight. It is setup, not measured.
func (l *load) login(ctx context.Context, n int) ([]*shopper, error) {
	out := make([]*shopper, n)
	for i := range out {
		out[i] = &shopper{i: i, name: fmt.Sprintf("load-%s-%d", l.o.Run, i), base: l.target(i)}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range min(l.o.Concurrency, n, 64) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				if err := l.loginOne(ctx, out[i]); err != nil {
					select {
					case errc <- fmt.Errorf("set up shopper %s on %s: %w", out[i].name, out[i].base, err):
					default:
					}
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	return out, ctx.Err()
}

func (l *load) loginOne(ctx context.Context, s *shopper) error {
	var code struct {
		Code string `json:"code"`
	}
	if err := l.cl.call(ctx, "POST", s.base+"/sandbox/wx/login", "", map[string]string{"user": s.name}, &code); err != nil {
		return fmt.Errorf("sandbox login (is the target in sandbox mode?): %w", err)
	}
	var tok struct {
		Token string `json:"token"`
		User  struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	if err := l.cl.call(ctx, "POST", s.api("/auth/login"), "", map[string]string{"code": code.Code}, &tok); err != nil {
		return err
	}
	s.token, s.id = tok.Token, tok.User.ID
	var addr struct {
		ID int64 `json:"id"`
	}
	err := l.cl.call(ctx, "POST", s.api("/addresses"), s.token, map[string]any{
		"name": "压测" + fmt.Sprint(s.i), "phone": "13800138000", "province": "广东省", "city": "深圳市",
		"district": "南山区", "detail": "科技园 1 号", "is_default": true,
	}, &addr)
	s.addressID = addr.ID
	return err
}
