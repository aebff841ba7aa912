package console

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/httpx"
)

func channelInput(form *Form) channel.Input {
	return channel.Input{Name: form.Get("name"), Note: form.Get("note"), Active: form.Get("active") == "on"}
}

// channelCreate: POST /console/channels — audited by the channel service;
// on to the new channel's page, where its codes are.
func (h *handlers) channelCreate(c *gin.Context) {
	form := postedForm(c)
	ch, err := h.d.Channels.Create(c.Request.Context(), me(c).Actor(), channelInput(form))
	if err != nil {
		h.render(c, httpx.Status(err), "channel_form.html", View{Title: httpx.Printer(c).T("console.channel.add"), Nav: "channels", Form: form.Fail(err)})
		return
	}
	redirect(c, "/console/channels/"+strconv.FormatInt(ch.ID, 10), httpx.Printer(c).T("console.channel.created", "name", ch.Name, "code", ch.Code))
}

// channelUpdate: POST /console/channels/{id} — name, note and whether it
// is active; the code never changes.
func (h *handlers) channelUpdate(c *gin.Context) {
	ch, ok := pathRecord(h, c, h.d.Channels.Get)
	if !ok {
		return
	}
	form := postedForm(c)
	saved, err := h.d.Channels.Update(c.Request.Context(), me(c).Actor(), ch.ID, channelInput(form))
	if err != nil {
		h.render(c, httpx.Status(err), "channel.html", View{Title: ch.Name, Nav: "channels", Form: form.Fail(err), Data: h.channelData(c, ch)})
		return
	}
	redirect(c, "/console/channels", httpx.Printer(c).T("console.channel.saved", "name", saved.Name))
}
