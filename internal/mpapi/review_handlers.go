package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/review"
)

// reviewHandlers serve reviews: writing them after receipt, the follow-up,
// the shopper's own, and a product's list with its summary.
type reviewHandlers struct{ svc *review.Service }

type reviewLineIn struct {
	OrderItemID int64    `json:"order_item_id"`
	Rating      int      `json:"rating"`
	Text        string   `json:"text"`
	Photos      []string `json:"photos"`
	Anonymous   bool     `json:"anonymous"`
}

// submit: POST /api/v1/orders/{order_no}/reviews
func (h *reviewHandlers) submit(c *gin.Context) {
	var in struct {
		Reviews []reviewLineIn `json:"reviews"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	lines := make([]review.LineInput, len(in.Reviews))
	for i, l := range in.Reviews {
		lines[i] = review.LineInput{OrderItemID: l.OrderItemID, Rating: l.Rating, Text: l.Text, Photos: l.Photos, Anonymous: l.Anonymous}
	}
	rs, err := h.svc.Submit(c.Request.Context(), shopperID(c), c.Param("order_no"), lines)
	reply(c, http.StatusCreated, listOf(rs, "", toMyReview), err)
}

// mine: GET /api/v1/orders/{order_no}/reviews
func (h *reviewHandlers) mine(c *gin.Context) {
	rs, err := h.svc.OfOrder(c.Request.Context(), shopperID(c), c.Param("order_no"))
	reply(c, http.StatusOK, listOf(rs, "", toMyReview), err)
}

// followUp: POST /api/v1/orders/{order_no}/reviews/{review_id}/follow-up
func (h *reviewHandlers) followUp(c *gin.Context) {
	id, err := httpx.PathID(c, "review_id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in struct {
		Text   string   `json:"text"`
		Photos []string `json:"photos"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.svc.FollowUp(c.Request.Context(), shopperID(c), c.Param("order_no"), id, review.FollowUpInput{Text: in.Text, Photos: in.Photos})
	reply(c, http.StatusCreated, toMyReview(r), err)
}

// product: GET /api/v1/products/{id}/reviews?filter=&cursor=&limit=
func (h *reviewHandlers) product(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	sum, shown, next, err := h.svc.ForProduct(c.Request.Context(), id, review.Filter(c.Query("filter")), pg)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	p := httpx.Printer(c)
	out := productReviewsJSON{Summary: reviewSummaryJSON{Count: sum.Count, Average: sum.Average(), GoodPercent: sum.GoodShare(),
		GoodCount: sum.Good, BadCount: sum.Bad, WithPhotosCount: sum.WithPhotos}, Items: make([]shownReviewJSON, len(shown)), NextCursor: next}
	for i, r := range shown {
		out.Items[i] = toShownReview(p, r)
	}
	c.JSON(http.StatusOK, out)
}

type reviewSummaryJSON struct {
	Count           int64   `json:"count"`
	Average         float64 `json:"average"`
	GoodPercent     int64   `json:"good_percent"`
	GoodCount       int64   `json:"good_count"`
	BadCount        int64   `json:"bad_count"`
	WithPhotosCount int64   `json:"with_photos_count"`
}

type productReviewsJSON struct {
	Summary    reviewSummaryJSON `json:"summary"`
	Items      []shownReviewJSON `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

type followUpJSON struct {
	Text      string    `json:"text"`
	Photos    []string  `json:"photos"`
	CreatedAt time.Time `json:"created_at"`
}

type merchantReplyJSON struct {
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

type shownReviewJSON struct {
	ID        int64              `json:"id"`
	Rating    int64              `json:"rating"`
	Text      string             `json:"text"`
	Photos    []string           `json:"photos"`
	SKUName   string             `json:"sku_name"`
	Shopper   string             `json:"shopper"`
	Anonymous bool               `json:"anonymous"`
	CreatedAt time.Time          `json:"created_at"`
	FollowUp  *followUpJSON      `json:"follow_up"`
	Reply     *merchantReplyJSON `json:"merchant_reply"`
}

// toShownReview names the shopper by their masked nickname, or in the
// reader's language as anonymous (or as a WeChat user without a nickname).
func toShownReview(p *i18n.Printer, r review.Shown) shownReviewJSON {
	out := shownReviewJSON{ID: r.ID, Rating: r.Rating, Text: r.Content, Photos: photoList(r.Photos), SKUName: r.SKUText,
		Shopper: r.ShopperName, Anonymous: r.Anonymous, CreatedAt: r.CreatedAt}
	switch {
	case r.Anonymous:
		out.Shopper = p.T("review.anonymous")
	case r.ShopperName == "":
		out.Shopper = p.T("review.unnamed")
	}
	if r.FollowUp != nil {
		out.FollowUp = &followUpJSON{Text: r.FollowUp.Content, Photos: photoList(r.FollowUp.Photos), CreatedAt: r.FollowUp.At}
	}
	if r.RepliedAt != nil {
		out.Reply = &merchantReplyJSON{Text: r.Reply, CreatedAt: *r.RepliedAt}
	}
	return out
}

type myFollowUpJSON struct {
	Text      string        `json:"text"`
	Photos    []string      `json:"photos"`
	Status    review.Status `json:"status"`
	CreatedAt time.Time     `json:"created_at"`
}

// myReviewJSON is a review as its writer sees it, whatever its status.
type myReviewJSON struct {
	ID          int64              `json:"id"`
	OrderItemID int64              `json:"order_item_id"`
	ProductID   int64              `json:"product_id"`
	SKUName     string             `json:"sku_name"`
	Rating      int                `json:"rating"`
	Text        string             `json:"text"`
	Photos      []string           `json:"photos"`
	Anonymous   bool               `json:"anonymous"`
	Status      review.Status      `json:"status"`
	CreatedAt   time.Time          `json:"created_at"`
	FollowUp    *myFollowUpJSON    `json:"follow_up"`
	Reply       *merchantReplyJSON `json:"merchant_reply"`
}

func toMyReview(r review.Review) myReviewJSON {
	out := myReviewJSON{ID: r.ID, OrderItemID: r.OrderItemID, ProductID: r.ProductID, SKUName: r.SKUText, Rating: r.Rating,
		Text: r.Content, Photos: photoList(r.Photos.V), Anonymous: r.Anonymous, Status: r.Status, CreatedAt: r.CreatedAt}
	if r.FollowUpStatus != "" && r.FollowUpAt != nil {
		out.FollowUp = &myFollowUpJSON{Text: r.FollowUpContent, Photos: photoList(r.FollowUpPhotos.V), Status: r.FollowUpStatus,
			CreatedAt: *r.FollowUpAt}
	}
	if r.ReplyContent != "" && r.RepliedAt != nil {
		out.Reply = &merchantReplyJSON{Text: r.ReplyContent, CreatedAt: *r.RepliedAt}
	}
	return out
}

func photoList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
