package attribution

import (
	"context"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/promoter"
	"github.com/kaidian/kaidian/internal/share"
)

// Launch scenes (WeChat's "场景值") of a real scan of a mini-program code:
// 1047 scanned, 1048 long-pressed in a picture, 1049 picked from the album.
// Only these bind a customer to an associate: a chat card or a typed path
// carries a ref anyone can copy, a scan carries a code the associate handed
// out.
var scanEntries = map[int]bool{1047: true, 1048: true, 1049: true}

// resolved is what a visit's scene or ref stands for.
type resolved struct {
	source string
	// associate is set when the source is an active associate reached
	// through a scene key (not a typed ref): a candidate for binding.
	associate *promoter.Promoter
}

// resolve finds the source of a visit by shopper (0: not logged in) that
// carried scene or ref. Nothing resolvable is never an error: it is
// Unknown; only a database failure is.
func (s *Service) resolve(ctx context.Context, shopperID int64, scene, ref string) (resolved, error) {
	fromScene := false
	switch {
	case scene != "":
		v, err := s.cache.get("scene:"+scene, func() (any, error) {
			sc, err := s.scenes.Resolve(ctx, scene)
			if errs.Is(err, share.ErrSceneNotFound.Code) {
				return nil, nil
			}
			return sc.Ref, err
		})
		if err != nil || v == nil {
			return resolved{source: Unknown}, err
		}
		ref, fromScene = v.(string), true
		if ref == "" {
			return resolved{source: Direct}, nil // a code for a page, made without a source
		}
	case ref == "":
		return resolved{source: Direct}, nil
	}
	kind, code, _ := strings.Cut(ref, ":")
	switch kind {
	case "channel":
		c, err := s.channel(ctx, code)
		if err != nil || c == nil {
			return resolved{source: Unknown}, err
		}
		return resolved{source: c.Ref()}, nil
	case "promoter":
		p, err := s.promoterByCode(ctx, code)
		if err != nil || p == nil || !p.Active() {
			return resolved{source: Unknown}, err
		}
		r := resolved{source: p.Ref()}
		if fromScene && p.Kind == promoter.KindAssociate && (p.ShopperID == nil || *p.ShopperID != shopperID) {
			r.associate = p
		}
		return r, nil
	case "share":
		id, err := strconv.ParseInt(code, 10, 64)
		if err != nil || id <= 0 || id == shopperID || strconv.FormatInt(id, 10) != code {
			return resolved{source: Unknown}, nil
		}
		ok, err := s.shopperExists(ctx, id)
		if err != nil || !ok {
			return resolved{source: Unknown}, err
		}
		return resolved{source: "share:" + code}, nil
	}
	return resolved{source: Unknown}, nil
}

func (s *Service) channel(ctx context.Context, code string) (*channel.Channel, error) {
	v, err := s.cache.get("channel:"+code, func() (any, error) {
		c, err := s.channels.ByCode(ctx, code)
		if errs.Is(err, channel.ErrNotFound.Code) {
			return nil, nil
		}
		return &c, err
	})
	if v == nil {
		return nil, err
	}
	return v.(*channel.Channel), err
}

// promoterByCode finds a promoter (any status) by code, nil when none.
func (s *Service) promoterByCode(ctx context.Context, code string) (*promoter.Promoter, error) {
	v, err := s.cache.get("promoter:"+code, func() (any, error) {
		p, err := s.promoters.ByCode(ctx, code)
		if errs.Is(err, promoter.ErrNotFound.Code) {
			return nil, nil
		}
		return &p, err
	})
	if v == nil {
		return nil, err
	}
	return v.(*promoter.Promoter), err
}

// PromoterChanged forgets what this process remembers of the promoter, so
// that a promoter disabled, re-enabled or whose switch changed is credited
// (or not) from the next order on; the app registers it with
// promoter.Service.OnChange.
func (s *Service) PromoterChanged(p promoter.Promoter) {
	s.cache.forget("pid:" + strconv.FormatInt(p.ID, 10))
	s.cache.forget("promoter:" + p.Code)
}

// promoterByID finds a promoter (any status) by id, nil when none.
func (s *Service) promoterByID(ctx context.Context, id int64) (*promoter.Promoter, error) {
	v, err := s.cache.get("pid:"+strconv.FormatInt(id, 10), func() (any, error) {
		p, err := s.promoters.Get(ctx, id)
		if errs.Is(err, promoter.ErrNotFound.Code) {
			return nil, nil
		}
		return &p, err
	})
	if v == nil {
		return nil, err
	}
	return v.(*promoter.Promoter), err
}

func (s *Service) shopperExists(ctx context.Context, id int64) (bool, error) {
	v, err := s.cache.get("shopper:"+strconv.FormatInt(id, 10), func() (any, error) {
		_, err := s.customers.Get(ctx, id)
		if err == nil {
			return true, nil
		}
		if e := errs.As(err); e != nil && e.Kind == errs.KindNotFound {
			return nil, nil
		}
		return nil, err
	})
	return v != nil, err
}
