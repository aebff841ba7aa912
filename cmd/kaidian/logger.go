package main

import (
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/config"
)

// newLogger builds the process's logger on w, at KAIDIAN_LOG_LEVEL and in
// the format textLogs chooses.
func newLogger(cfg config.Config, w io.Writer, terminal bool) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel))); err != nil {
		l = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: l}
	if textLogs(cfg.LogFormat, terminal) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// textLogs reports whether logs are written as readable text rather than
// JSON: as KAIDIAN_LOG_FORMAT says, or, left to auto, when a person is
// watching an interactive terminal. A pipe, a file or /dev/null is a log
// collector's (docker, journald), which wants one JSON object a line.
func textLogs(format string, terminal bool) bool {
	switch format {
	case config.LogText:
		return true
	case config.LogJSON:
		return false
	}
	return terminal
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && app.Terminal(f) != nil
}
