package console

import (
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/httpx"
)

type importPageData struct {
	Problems []catalogio.Problem
	Recent   []catalogio.Job
	MaxRows  int
}

// importPage: GET /console/inventory/import — the file format, the
// template, the upload form and the latest imports.
func (h *handlers) importPage(c *gin.Context) {
	h.showImportPage(c, http.StatusOK, NewForm(c, url.Values{}), nil)
}

func (h *handlers) showImportPage(c *gin.Context, status int, form *Form, problems []catalogio.Problem) {
	recent, err := h.d.CatalogIO.RecentImports(c.Request.Context(), 10)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "import.html", View{Title: httpx.Printer(c).T("console.import.title"), Nav: "inventory", Form: form,
		Data: importPageData{Problems: problems, Recent: recent, MaxRows: catalogio.MaxRows}})
}

// importUpload: POST /console/inventory/import with a CSV file. The file is
// checked at once: with any bad row nothing is imported and every bad row
// is listed; a good file becomes a background job, whose page follows it.
func (h *handlers) importUpload(c *gin.Context) {
	form := NewForm(c, url.Values{})
	fh, err := c.FormFile("file")
	if err != nil {
		form.Errors["file"] = httpx.Printer(c).T("console.import.choose_file")
		h.showImportPage(c, http.StatusBadRequest, form, nil)
		return
	}
	f, err := fh.Open()
	if err != nil {
		h.fail(c, err)
		return
	}
	defer f.Close()
	content, err := io.ReadAll(f)
	if err != nil {
		h.fail(c, err)
		return
	}
	job, problems, err := h.d.CatalogIO.StartImport(c.Request.Context(), fh.Filename, content, me(c).Actor())
	if err != nil {
		h.fail(c, err)
		return
	}
	if len(problems) > 0 {
		form.Error = httpx.Printer(c).T("console.import.nothing_imported", "file", fh.Filename, "count", len(problems))
		h.showImportPage(c, http.StatusBadRequest, form, problems)
		return
	}
	redirect(c, fmt.Sprintf("/console/inventory/import/%d", job.ID), httpx.Printer(c).T("console.import.checked", "file", job.FileName))
}

// importShow: GET /console/inventory/import/:id — an import's progress
// (the page reloads itself while it runs) and its outcome.
func (h *handlers) importShow(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	job, err := h.d.CatalogIO.Import(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "import_job.html", View{Title: httpx.Printer(c).T("console.import_job.title", "file", job.FileName), Nav: "inventory", Data: job})
}

// importTemplate: GET /console/inventory/import/template.csv — an example
// file with every column (?headers=en: English column names).
func (h *handlers) importTemplate(c *gin.Context) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="kaidian-import-template.csv"`)
	if err := catalogio.WriteTemplate(c.Writer, csvHeaders(c)); err != nil {
		httpx.Logger(c).Error("console: import template", "error", err.Error())
	}
}
