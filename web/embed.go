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

// StaticFiles is Static rooted inside its "static" folder, so that
// /static/demo/tee.svg maps to static/demo/tee.svg.
func StaticFiles() fs.FS {
	sub, err := fs.Sub(Static, "static")
	if err != nil {
		// fs.Sub fails only for an invalid path name, and "static" is valid.
		panic(err)
	}
	return sub
}
