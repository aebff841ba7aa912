package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/config"
)

func TestLogFormatChoice(t *testing.T) {
	for _, tc := range []struct {
		format   string
		terminal bool
		text     bool
	}{
		{config.LogAuto, true, true},
		{config.LogAuto, false, false},
		{config.LogText, false, true},
		{config.LogText, true, true},
		{config.LogJSON, true, false},
		{config.LogJSON, false, false},
	} {
		if got := textLogs(tc.format, tc.terminal); got != tc.text {
			t.Errorf("format %s, terminal %v: text %v, want %v", tc.format, tc.terminal, got, tc.text)
		}
	}
}

// The two forms as they are written: one readable line, one JSON object.
func TestLoggerWritesTheChosenForm(t *testing.T) {
	var text, js bytes.Buffer
	newLogger(config.Config{LogLevel: "info", LogFormat: config.LogAuto}, &text, true).Info("kaidian listening", "addr", ":8080")
	if got := text.String(); !strings.Contains(got, `level=INFO msg="kaidian listening" addr=:8080`) {
		t.Errorf("text log line: %q", got)
	}
	newLogger(config.Config{LogLevel: "warn", LogFormat: config.LogAuto}, &js, false).Info("below the level")
	newLogger(config.Config{LogLevel: "warn", LogFormat: config.LogAuto}, &js, false).Warn("kaidian listening", "addr", ":8080")
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil || rec["msg"] != "kaidian listening" || rec["addr"] != ":8080" {
		t.Errorf("JSON log line: %q (%v)", js.String(), err)
	}
}

// A pipe (docker, systemd) is no terminal; a buffer neither.
func TestPipeIsNoTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) || isTerminal(&bytes.Buffer{}) {
		t.Fatal("a pipe or a buffer counts as a terminal")
	}
}
