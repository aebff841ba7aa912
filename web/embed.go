// Package web holds the files Kaidian serves as they are, embedded into the
// binary so that one file is the whole program.
package web

import (
	"embed"
	"io/fs"
)

// Static is everything under web/static, served at /static.
//
//go:embed static
var Static embed.FS

// templatesFS holds the server-rendered pages.
//
//go:embed templates
var templatesFS embed.FS

// ConsoleTemplates is the merchant console's templates, rooted in their folder.
func ConsoleTemplates() fs.FS { return sub(templatesFS, "templates/console") }

// StaticFiles is Static rooted inside its "static" folder, so that
// /static/demo/tee.svg maps to static/demo/tee.svg.
func StaticFiles() fs.FS { return sub(Static, "static") }

func sub(fsys fs.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path name, and ours are constants.
		panic(err)
	}
	return s
}
