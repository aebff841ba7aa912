package giftcard

import (
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/review"
	"github.com/kaidian/kaidian/internal/shortcode"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// Mine is a shopper's cards and balance.
type Mine struct {
	Balance  int64  // fen
	Bought   []Card // bought and not sent (unsent, or sending and not yet claimed)
	Sent     []Card // claimed by a friend
	Received []Card // claimed by this shopper
}

// Mine lists the shopper's cards, newest first, with their balance.
func (s *Service) Mine(ctx context.Context, shopperID int64) (Mine, error) {
	var cards []Card
	err := s.db.Conn(ctx).Where("buyer_id = ? OR receiver_id = ?", shopperID, shopperID).Order("id DESC").Find(&cards).Error
	if err != nil {
		return Mine{}, fmt.Errorf("list gift cards: %w", err)
	}
	if err := s.withDesigns(ctx, cards); err != nil {
		return Mine{}, err
	}
	m := Mine{Bought: []Card{}, Sent: []Card{}, Received: []Card{}}
	for _, c := range cards {
		switch {
		case c.ReceiverID != nil && *c.ReceiverID == shopperID:
			m.Received = append(m.Received, c)
		case c.Status == StatusClaimed:
			m.Sent = append(m.Sent, c)
		default:
			m.Bought = append(m.Bought, c)
		}
	}
	m.Balance, err = s.Balance(ctx, shopperID)
	return m, err
}

// withDesigns fills in each card's design with one query.
func (s *Service) withDesigns(ctx context.Context, cards []Card) error {
	if len(cards) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(cards))
	for _, c := range cards {
		ids = append(ids, c.DesignID)
	}
	var ds []Design
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&ds).Error; err != nil {
		return fmt.Errorf("read gift-card designs: %w", err)
	}
	by := make(map[int64]Design, len(ds))
	for _, d := range ds {
		by[d.ID] = d
	}
	for i := range cards {
		cards[i].Design = by[cards[i].DesignID]
	}
	return nil
}

// withDesign is the card with its design.
func (s *Service) withDesign(ctx context.Context, c Card) (Card, error) {
	one := []Card{c}
	err := s.withDesigns(ctx, one)
	return one[0], err
}

// Balance is the shopper's gift-card balance in fen (0 without one).
func (s *Service) Balance(ctx context.Context, shopperID int64) (int64, error) {
	var b []int64
	if err := s.db.Conn(ctx).Raw("SELECT balance FROM gift_card_balances WHERE shopper_id = ?", shopperID).Scan(&b).Error; err != nil {
		return 0, fmt.Errorf("read gift-card balance: %w", err)
	}
	if len(b) == 0 {
		return 0, nil
	}
	return b[0], nil
}

// Ledger is the shopper's entries, newest first.
func (s *Service) Ledger(ctx context.Context, shopperID int64) ([]Entry, error) {
	es := []Entry{}
	if err := s.db.Conn(ctx).Where("shopper_id = ?", shopperID).Order("id DESC").Find(&es).Error; err != nil {
		return nil, fmt.Errorf("read gift-card ledger: %w", err)
	}
	return es, nil
}

// credit adds an entry of amount (> 0) and moves the balance with it, in
// the caller's transaction: one upsert adds to the row, so concurrent
// credits never lose one.
func (s *Service) credit(ctx context.Context, e Entry) error {
	e.CreatedAt = s.clock.Now()
	if err := s.db.Conn(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("add gift-card entry: %w", err)
	}
	err := s.db.Conn(ctx).Exec(`INSERT INTO gift_card_balances (shopper_id, balance, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (shopper_id) DO UPDATE SET balance = gift_card_balances.balance + excluded.balance, updated_at = excluded.updated_at`,
		e.ShopperID, e.Amount, e.CreatedAt).Error
	if err != nil {
		return fmt.Errorf("credit gift-card balance: %w", err)
	}
	return nil
}

// own reads one of the shopper's bought cards, locked for the transaction;
// anyone else's is not found.
func (s *Service) own(ctx context.Context, shopperID, cardID int64) (Card, error) {
	var c Card
	res := s.db.Conn(ctx).Raw("SELECT * FROM gift_cards WHERE id = ? AND buyer_id = ?"+s.db.LockSQL(), cardID, shopperID).Scan(&c)
	switch {
	case res.Error != nil:
		return Card{}, fmt.Errorf("read gift card: %w", res.Error)
	case c.ID == 0:
		return Card{}, ErrCardNotFound.With("id", cardID)
	}
	return c, nil
}

// Link is what onShareAppMessage takes for a card sent to a friend.
type Link struct {
	Token, Path string
}

func sharePath(token string) string { return "pages/gift-card/claim?token=" + token }

// Send offers one of the shopper's unsent cards to a friend with a message:
// the card is sending until a friend claims it or the sender takes it back.
// Sending a card already on its way answers its token again (the new
// message replaces the old). A claimed card, or an expired one, cannot be sent.
func (s *Service) Send(ctx context.Context, shopperID, cardID int64, message string) (Link, error) {
	if utf8.RuneCountInString(message) > MaxMessageRunes {
		return Link{}, errs.Field("message", "invalid.max_length", "max", MaxMessageRunes)
	}
	var link Link
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		c, err := s.own(ctx, shopperID, cardID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		switch {
		case c.Status == StatusClaimed:
			return ErrClaimed
		case c.Status == StatusRefunded:
			return ErrRefunded
		case !now.Before(c.ExpiresAt):
			return ErrExpired
		}
		token := shortcode.New(TokenLength)
		if c.ShareToken != nil {
			token = *c.ShareToken
		}
		err = s.db.Conn(ctx).Exec("UPDATE gift_cards SET status = ?, share_token = ?, message = ?, sent_at = ? WHERE id = ?",
			StatusSending, token, message, now, c.ID).Error
		if err != nil {
			return fmt.Errorf("send gift card: %w", err)
		}
		link = Link{Token: token, Path: sharePath(token)}
		return nil
	})
	return link, err
}

// TakeBack withdraws a card on its way to a friend who has not claimed it:
// its token stops working and the card is unsent again.
func (s *Service) TakeBack(ctx context.Context, shopperID, cardID int64) (Card, error) {
	var c Card
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.own(ctx, shopperID, cardID); err != nil {
			return err
		}
		switch c.Status {
		case StatusClaimed:
			return ErrClaimed
		case StatusUnsent:
			return ErrNotSending
		}
		res := s.db.Conn(ctx).Exec("UPDATE gift_cards SET status = ?, share_token = NULL, sent_at = NULL WHERE id = ? AND status = ?",
			StatusUnsent, c.ID, StatusSending)
		if res.Error != nil {
			return fmt.Errorf("take back gift card: %w", res.Error)
		}
		c.Status, c.ShareToken, c.SentAt = StatusUnsent, nil, nil
		return nil
	})
	if err != nil {
		return Card{}, err
	}
	return s.withDesign(ctx, c)
}

// emitReceived records gift_received for the card's claimer, in the
// claim's transaction; subscribe sends it only to a claimer who consented.
func (s *Service) emitReceived(ctx context.Context, c Card, at time.Time) error {
	if s.messages == nil || !s.messages.Wants(ctx, subscribe.GiftReceived) {
		return nil
	}
	c, err := s.withDesign(ctx, c)
	if err != nil {
		return err
	}
	sender, err := s.shoppers.Get(ctx, c.BuyerID)
	if err != nil {
		return err
	}
	// A thing keyword may not be empty: a shopper without a nickname is
	// "a friend", in Chinese like every subscribe message.
	name := review.MaskName(sender.Nickname)
	if name == "" {
		name = i18n.For(i18n.ZhCN).T("giftcard.sender_friend")
	}
	return s.messages.Emit(ctx, subscribe.Event{Scene: subscribe.GiftReceived, ShopperID: *c.ReceiverID,
		Ref: "gift_card:" + strconv.FormatInt(c.ID, 10), Values: subscribe.Values{"product_name": subscribe.Text(c.Design.Name),
			"sender": subscribe.Text(name), "received_at": subscribe.At(at)}})
}

// Share is a sent card as the friend who opens its link sees it.
type Share struct {
	Card     Card
	CanClaim bool
	Reason   string // why not, when not: own, claimed, expired
}

// View shows the card behind a token to whoever opened it (viewerID 0:
// not logged in). A token taken back or never given is not found.
func (s *Service) View(ctx context.Context, token string, viewerID int64) (Share, error) {
	c, err := s.byToken(ctx, token, false)
	if err != nil {
		return Share{}, err
	}
	if c, err = s.withDesign(ctx, c); err != nil {
		return Share{}, err
	}
	sh := Share{Card: c}
	switch {
	case c.Status == StatusClaimed:
		sh.Reason = "claimed"
	case !s.clock.Now().Before(c.ExpiresAt):
		sh.Reason = "expired"
	case viewerID == c.BuyerID:
		sh.Reason = "own"
	default:
		sh.CanClaim = true
	}
	return sh, nil
}

func (s *Service) byToken(ctx context.Context, token string, lock bool) (Card, error) {
	if !shortcode.Valid(token, TokenLength) {
		return Card{}, ErrShareNotFound
	}
	q := "SELECT * FROM gift_cards WHERE share_token = ?"
	if lock {
		q += s.db.LockSQL()
	}
	var c Card
	if err := s.db.Conn(ctx).Raw(q, token).Scan(&c).Error; err != nil {
		return Card{}, fmt.Errorf("read gift card: %w", err)
	}
	if c.ID == 0 {
		return Card{}, ErrShareNotFound
	}
	return c, nil
}

// Claim gives the card behind the token to the shopper: its face value
// joins their balance (a claim entry), in one transaction. Exactly one
// claimer: the claim is one guarded update from sending to claimed, so of
// concurrent claims one wins and the others see it claimed. The sender
// cannot claim their own card.
func (s *Service) Claim(ctx context.Context, token string, shopperID int64) (Card, error) {
	var c Card
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.byToken(ctx, token, true); err != nil {
			return err
		}
		now := s.clock.Now()
		switch {
		case c.Status == StatusClaimed:
			return ErrClaimed
		case c.BuyerID == shopperID:
			return ErrOwnCard
		case !now.Before(c.ExpiresAt):
			return ErrExpired
		}
		res := s.db.Conn(ctx).Exec("UPDATE gift_cards SET status = ?, receiver_id = ?, claimed_at = ? WHERE id = ? AND status = ?",
			StatusClaimed, shopperID, now, c.ID, StatusSending)
		switch {
		case res.Error != nil:
			return fmt.Errorf("claim gift card: %w", res.Error)
		case res.RowsAffected == 0: // SQLite: another claim got there first
			return ErrClaimed
		}
		c.Status, c.ReceiverID, c.ClaimedAt = StatusClaimed, &shopperID, &now
		id := c.ID
		if err := s.credit(ctx, Entry{ShopperID: shopperID, Kind: EntryClaim, Amount: c.FaceValue, CardID: &id}); err != nil {
			return err
		}
		return s.emitReceived(ctx, c, now)
	})
	if err != nil {
		return Card{}, err
	}
	return s.withDesign(ctx, c)
}
