package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/giftcard"
	"github.com/kaidian/kaidian/internal/httpx"
)

// giftCardHandlers serve gift cards (礼品卡): the designs on sale, buying
// (an order paid through the usual pay call), a shopper's cards and
// balance, sending one to a friend, taking it back, and claiming it.
type giftCardHandlers struct{ svc *giftcard.Service }

type giftCardDesignJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	FaceValue int64  `json:"face_value"`
	Price     int64  `json:"price"`
	Cover     string `json:"cover"`
	Theme     string `json:"theme"`
	ValidDays int    `json:"valid_days"`
}

type giftCardJSON struct {
	ID        int64              `json:"id"`
	Status    string             `json:"status"`
	FaceValue int64              `json:"face_value"`
	Design    giftCardDesignJSON `json:"design"`
	Message   string             `json:"message"`
	ExpiresAt time.Time          `json:"expires_at"`
	CreatedAt time.Time          `json:"created_at"`
	SentAt    *time.Time         `json:"sent_at"`
	ClaimedAt *time.Time         `json:"claimed_at"`
}

type myGiftCardsJSON struct {
	Balance  int64          `json:"balance"`
	Bought   []giftCardJSON `json:"bought"`
	Sent     []giftCardJSON `json:"sent"`
	Received []giftCardJSON `json:"received"`
}

type giftCardShareJSON struct {
	Status      string             `json:"status"`
	FaceValue   int64              `json:"face_value"`
	Design      giftCardDesignJSON `json:"design"`
	Message     string             `json:"message"`
	ExpiresAt   time.Time          `json:"expires_at"`
	CanClaim    bool               `json:"can_claim"`
	Reason      *string            `json:"reason"`
	ClaimedByMe bool               `json:"claimed_by_me"`
}

func toGiftCardDesign(d giftcard.Design) giftCardDesignJSON {
	return giftCardDesignJSON{ID: d.ID, Name: d.Name, FaceValue: d.FaceValue, Price: d.Price, Cover: d.Cover, Theme: d.Theme, ValidDays: d.ValidDays}
}

func toGiftCard(c giftcard.Card) giftCardJSON {
	return giftCardJSON{ID: c.ID, Status: c.Status, FaceValue: c.FaceValue, Design: toGiftCardDesign(c.Design), Message: c.Message,
		ExpiresAt: c.ExpiresAt, CreatedAt: c.CreatedAt, SentAt: c.SentAt, ClaimedAt: c.ClaimedAt}
}

func toGiftCards(cs []giftcard.Card) []giftCardJSON {
	out := make([]giftCardJSON, len(cs))
	for i, c := range cs {
		out[i] = toGiftCard(c)
	}
	return out
}

// designs: GET /api/v1/gift-card-designs
func (h *giftCardHandlers) designs(c *gin.Context) {
	ds, err := h.svc.Designs(c.Request.Context())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := make([]giftCardDesignJSON, len(ds))
	for i, d := range ds {
		out[i] = toGiftCardDesign(d)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// buy: POST /api/v1/gift-cards. Like placing an order: 201 with the unpaid
// order, 200 (Idempotent-Replayed) for a repeated Idempotency-Key.
func (h *giftCardHandlers) buy(c *gin.Context) {
	var in giftcard.BuyInput
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	o, replayed, err := h.svc.Buy(c.Request.Context(), shopperID(c), in, c.GetHeader("Idempotency-Key"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(status, orderFor(httpx.Printer(c), o))
}

// mine: GET /api/v1/me/gift-cards
func (h *giftCardHandlers) mine(c *gin.Context) {
	m, err := h.svc.Mine(c.Request.Context(), shopperID(c))
	reply(c, http.StatusOK, myGiftCardsJSON{Balance: m.Balance, Bought: toGiftCards(m.Bought), Sent: toGiftCards(m.Sent),
		Received: toGiftCards(m.Received)}, err)
}

// send: POST /api/v1/gift-cards/{id}/send
func (h *giftCardHandlers) send(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in struct {
		Message string `json:"message"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	link, err := h.svc.Send(c.Request.Context(), shopperID(c), id, in.Message)
	reply(c, http.StatusOK, shareLinkJSON{ShareToken: link.Token, Path: link.Path}, err)
}

// takeBack: POST /api/v1/gift-cards/{id}/send/cancel
func (h *giftCardHandlers) takeBack(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	card, err := h.svc.TakeBack(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusOK, toGiftCard(card), err)
}

// view: GET /api/v1/gift-card-shares/{token} (login optional)
func (h *giftCardHandlers) view(c *gin.Context) {
	me := shopperID(c)
	sh, err := h.svc.View(c.Request.Context(), c.Param("token"), me)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var reason *string
	if sh.Reason != "" {
		reason = &sh.Reason
	}
	c.JSON(http.StatusOK, giftCardShareJSON{Status: sh.Card.Status, FaceValue: sh.Card.FaceValue, Design: toGiftCardDesign(sh.Card.Design),
		Message: sh.Card.Message, ExpiresAt: sh.Card.ExpiresAt, CanClaim: sh.CanClaim, Reason: reason,
		ClaimedByMe: me != 0 && sh.Card.ReceiverID != nil && *sh.Card.ReceiverID == me})
}

// claim: POST /api/v1/gift-card-shares/{token}/claim
func (h *giftCardHandlers) claim(c *gin.Context) {
	card, err := h.svc.Claim(c.Request.Context(), c.Param("token"), shopperID(c))
	reply(c, http.StatusCreated, toGiftCard(card), err)
}

// refund: POST /api/v1/gift-cards/{id}/refund
func (h *giftCardHandlers) refund(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	card, err := h.svc.Refund(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusOK, toGiftCard(card), err)
}
