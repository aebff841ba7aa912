package mpapi

import (
	"errors"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/upload"
)

// mountProfile registers PATCH /api/v1/me and POST /api/v1/me/avatar on
// the uploads' group: their multipart form carries an image, larger than
// the rest of the API's bodies may be. The JSON form keeps a small cap of
// its own (maxProfileJSON). POST /me/avatar is the same change for
// wx.uploadFile, which can only POST.
func mountProfile(r *gin.RouterGroup, d Deps) {
	mine := &meHandlers{customers: d.Customers, reports: d.Reports, uploads: d.Uploads, avatar: d.AvatarCheck, phone: d.Phone}
	guard := []gin.HandlerFunc{d.ClientLimit.PerClient(), requireShopper(d.Tokens), limitShopperWrites(d.ShopperLimit)}
	r.PATCH("/me", append(guard, mine.update)...)
	r.POST("/me/avatar", append(guard, mine.update)...)
}

// maxProfileJSON caps PATCH /me's JSON body: a nickname and a URL, with
// room for a nickname far too long to be told so rather than cut off.
const maxProfileJSON = 64 << 10

// profile reads PATCH /me's body: JSON, or a multipart form (what
// wx.uploadFile sends with chooseAvatar's file: the file in "avatar",
// other fields as formData). A multipart avatar is stored through the
// upload service, as POST /uploads stores it, after the nickname (if any)
// is found valid, so a refused request leaves no image behind.
func (h *meHandlers) profile(c *gin.Context) (customer.Profile, error) {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "multipart/form-data" {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxProfileJSON)
		var in profileJSON
		if err := httpx.BindJSON(c, &in); err != nil {
			return customer.Profile{}, err
		}
		return customer.Profile{Nickname: in.Nickname, AvatarURL: in.AvatarURL}, nil
	}
	var p customer.Profile
	form, err := c.MultipartForm()
	if err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return p, avatarError(upload.ErrTooBig)
		}
		return p, errs.Invalid("malformed_form", "me.form_unreadable")
	}
	if names := form.Value["nickname"]; len(names) > 0 {
		name, err := customer.Nickname(names[0])
		if err != nil {
			return p, err
		}
		p.Nickname = &name
	}
	files := form.File["avatar"]
	if len(files) == 0 {
		if p.Nickname == nil {
			return p, errs.Field("avatar", "upload.no_file")
		}
		return p, nil
	}
	u, err := h.uploads.Save(c.Request.Context(), shopperID(c), files[0])
	if err != nil {
		return p, avatarError(err)
	}
	url := u.URL()
	p.AvatarURL = &url
	return p, nil
}

// avatarError names the avatar field in the upload service's errors about
// the file, so the message says which field of this form was wrong.
func avatarError(err error) error {
	e := errs.As(err)
	if f, _ := e.Details["field"].(string); f == "file" && e.Kind == errs.KindInvalid {
		return e.With("field", "avatar")
	}
	return err
}
