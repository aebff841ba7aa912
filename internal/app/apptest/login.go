package apptest

import (
	"net/http"
)

// SandboxCode is what wx.login() returns on the phone of the given sandbox user.
func (e *Env) SandboxCode(user string) string {
	e.t.Helper()
	r := e.Post("/sandbox/wx/login", "", map[string]any{"user": user})
	if r.Status != http.StatusOK {
		e.t.Fatalf("sandbox login: %d %s", r.Status, r.Body)
	}
	return r.JSON(e.t)["code"].(string)
}

// Login logs the sandbox user in through the real flow and returns the token.
func (e *Env) Login(user string) string {
	e.t.Helper()
	r := e.Post("/api/v1/auth/login", "", map[string]any{"code": e.SandboxCode(user)})
	if r.Status != http.StatusOK {
		e.t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	return r.JSON(e.t)["token"].(string)
}
