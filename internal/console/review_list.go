package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/review"
)

// reviewList: GET /console/reviews?product_id=&rating=&photos=&status=&cursor=
// — every review, newest first, each with its reply form and actions.
func (h *handlers) reviewList(c *gin.Context) {
	h.reviewPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

func (h *handlers) reviewPage(c *gin.Context, status int, form *Form) {
	filters := NewForm(c, c.Request.URL.Query())
	q, err := readReviewFilters(filters)
	d := reviewListData{Query: c.Request.URL.Query(), Filters: filters, Ratings: []int{5, 4, 3, 2, 1},
		Statuses: []review.Status{review.StatusPending, review.StatusVisible, review.StatusHidden, review.StatusRejected}}
	if err != nil {
		filters.Fail(err)
		status = httpx.Status(err)
	} else {
		pg, perr := listPage(c, "30")
		if perr == nil {
			q.Page = pg
			d.Reviews, d.Next, perr = h.d.Reviews.List(c.Request.Context(), q)
		}
		if perr != nil {
			h.fail(c, perr)
			return
		}
	}
	h.render(c, status, "reviews.html", View{Title: httpx.Printer(c).T("console.reviews.title"), Nav: "reviews", Form: form, Data: d})
}

type reviewListData struct {
	Reviews  []review.Review
	Next     string
	Query    url.Values
	Filters  *Form
	Statuses []review.Status
	Ratings  []int
}

// readReviewFilters reads the list's filters; a product id or rating that
// is not one is the merchant's typing mistake, shown beside the field.
func readReviewFilters(f *Form) (review.Query, error) {
	var q review.Query
	if s := strings.TrimSpace(f.Get("product_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return q, errs.Field("product_id", "invalid.positive_id")
		}
		q.ProductID = id
	}
	if s := f.Get("rating"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 5 {
			return q, errs.Field("rating", "invalid.range", "min", 1, "max", 5)
		}
		q.Rating = n
	}
	q.WithPhotos = f.Get("photos") == "on"
	q.Status = review.Status(f.Get("status"))
	if q.Status != "" && !q.Status.Valid() {
		return q, errs.Field("status", "review.status")
	}
	return q, nil
}
