package mpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// addressBody is a valid address request; edits change one field.
func addressBody(edits ...func(map[string]any)) map[string]any {
	m := map[string]any{"name": "李四", "phone": "13900139000", "province": "北京市", "city": "北京市",
		"district": "朝阳区", "detail": "建国路 1 号"}
	for _, f := range edits {
		f(m)
	}
	return m
}

func set(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
func drop(k string) func(map[string]any)       { return func(m map[string]any) { delete(m, k) } }

type addressListBody struct {
	Items []struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Phone     string `json:"phone"`
		IsDefault bool   `json:"is_default"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func createAddress(t *testing.T, e *apptest.Env, tok string, body map[string]any) int64 {
	t.Helper()
	r := e.Post("/api/v1/addresses", tok, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create address: %d %s", r.Status, r.Body)
	}
	return int64(r.JSON(t)["id"].(float64))
}

func TestAddressAPILifecycle(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")

	r := e.Post("/api/v1/addresses", tok, addressBody(set("name", "  张三  ")))
	first := r.JSON(t)
	if r.Status != 201 || first["is_default"] != true || first["name"] != "张三" {
		t.Fatalf("first address: %d %s", r.Status, r.Body)
	}
	firstID := int64(first["id"].(float64))
	second := createAddress(t, e, tok, addressBody(set("phone", "0755-12345678"), set("is_default", true)))
	third := createAddress(t, e, tok, addressBody())

	// PUT replaces every field; is_default moves the default back.
	r = e.Put(fmt.Sprintf("/api/v1/addresses/%d", firstID), tok, addressBody(set("detail", "新地址 9 号"), set("is_default", true)))
	if m := r.JSON(t); r.Status != 200 || m["detail"] != "新地址 9 号" || m["name"] != "李四" || m["is_default"] != true {
		t.Fatalf("put: %d %s", r.Status, r.Body)
	}
	var p1, p2 addressListBody
	e.Get("/api/v1/addresses?limit=2", tok).Decode(t, &p1)
	e.Get("/api/v1/addresses?limit=2&cursor="+p1.NextCursor, tok).Decode(t, &p2)
	if len(p1.Items) != 2 || p1.NextCursor == "" || len(p2.Items) != 1 || p2.NextCursor != "" {
		t.Fatalf("pages: %+v %+v", p1, p2)
	}
	if p1.Items[0].ID != firstID || !p1.Items[0].IsDefault || p1.Items[1].ID != second || p1.Items[1].IsDefault || p2.Items[0].ID != third {
		t.Fatalf("defaults after put: %+v %+v", p1, p2)
	}
	// Deleting the default promotes the newest remaining address.
	if r := e.Delete(fmt.Sprintf("/api/v1/addresses/%d", firstID), tok); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	var l addressListBody
	e.Get("/api/v1/addresses", tok).Decode(t, &l)
	if len(l.Items) != 2 || l.Items[1].ID != third || !l.Items[1].IsDefault || l.Items[0].IsDefault {
		t.Fatalf("after deleting the default: %+v", l)
	}

	for range 20 - len(l.Items) {
		createAddress(t, e, tok, addressBody())
	}
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "21st address", Req: apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: tok, Body: addressBody()}, Status: 422, Code: "address_limit"},
		{Name: "delete again", Req: apptest.Request{Method: "DELETE", Path: fmt.Sprintf("/api/v1/addresses/%d", firstID), Token: tok}, Status: 404, Code: "address_not_found"},
		{Name: "bad cursor", Req: apptest.Request{Method: "GET", Path: "/api/v1/addresses?cursor=bogus", Token: tok}, Status: 400, Code: "invalid_field"},
	})
}

// Every address route answers 404 for someone else's address and changes nothing.
func TestAddressAPIOtherShoppersAddresses(t *testing.T) {
	e := apptest.Start(t)
	alice, bob := e.Token("alice"), e.Token("bob")
	id := createAddress(t, e, alice, addressBody())
	createAddress(t, e, bob, addressBody(set("name", "王五")))
	path := fmt.Sprintf("/api/v1/addresses/%d", id)
	before, bobBefore := snapshot(t, e, "/api/v1/addresses", alice), snapshot(t, e, "/api/v1/addresses", bob)

	e.RunScenarios(t, []apptest.Scenario{
		{Name: "put", Req: apptest.Request{Method: "PUT", Path: path, Token: bob, Body: addressBody(set("is_default", true))}, Status: 404, Code: "address_not_found"},
		{Name: "delete", Req: apptest.Request{Method: "DELETE", Path: path, Token: bob}, Status: 404, Code: "address_not_found"},
		{Name: "put unknown id", Req: apptest.Request{Method: "PUT", Path: "/api/v1/addresses/999999", Token: bob, Body: addressBody()}, Status: 404, Code: "address_not_found"},
		{Name: "non-numeric id", Req: apptest.Request{Method: "PUT", Path: "/api/v1/addresses/x1", Token: bob, Body: addressBody()}, Status: 404, Code: "not_found"},
	})
	if after := snapshot(t, e, "/api/v1/addresses", alice); after != before {
		t.Fatalf("alice's addresses changed:\n%s\n%s", before, after)
	}
	if after := snapshot(t, e, "/api/v1/addresses", bob); after != bobBefore || strings.Contains(after, "李四") {
		t.Fatalf("bob's list changed or shows alice's: %s", after)
	}
}

func TestAddressAPIRequiresToken(t *testing.T) {
	e := apptest.Start(t)
	alice := e.Token("alice")
	id := createAddress(t, e, alice, addressBody())
	path := fmt.Sprintf("/api/v1/addresses/%d", id)
	before := snapshot(t, e, "/api/v1/addresses", alice)
	var tests []apptest.Scenario
	for _, tok := range []string{"", "not-a-token", alice + "x"} {
		tests = append(tests,
			apptest.Scenario{Name: "list " + tok, Req: apptest.Request{Method: "GET", Path: "/api/v1/addresses", Token: tok}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "create " + tok, Req: apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: tok, Body: addressBody()}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "put " + tok, Req: apptest.Request{Method: "PUT", Path: path, Token: tok, Body: addressBody(set("name", "改"))}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "delete " + tok, Req: apptest.Request{Method: "DELETE", Path: path, Token: tok}, Status: 401, Code: "unauthenticated"},
		)
	}
	e.RunScenarios(t, tests)
	if after := snapshot(t, e, "/api/v1/addresses", alice); after != before {
		t.Fatalf("addresses changed without a token: %s", after)
	}
}

// Bad input gets 400 and changes nothing, on create and on replace.
func TestAddressAPIBadInput(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")
	path := fmt.Sprintf("/api/v1/addresses/%d", createAddress(t, e, tok, addressBody()))
	before := snapshot(t, e, "/api/v1/addresses", tok)
	bodies := []struct {
		name string
		body any
		code string
	}{
		{"malformed", `{"name": "李四",`, "malformed_json"},
		{"array", `[]`, "malformed_json"},
		{"empty", ``, "malformed_json"},
		{"phone as number", addressBody(set("phone", 13900139000)), "invalid_type"},
		{"is_default as string", addressBody(set("is_default", "yes")), "invalid_type"},
		{"unknown field", addressBody(set("zip", "100000")), "unknown_field"},
		{"missing name", addressBody(drop("name")), "invalid_field"},
		{"blank city", addressBody(set("city", "   ")), "invalid_field"},
		{"missing detail", addressBody(drop("detail")), "invalid_field"},
		{"name too long", addressBody(set("name", strings.Repeat("名", 51))), "invalid_field"},
		{"detail too long", addressBody(set("detail", strings.Repeat("路", 201))), "invalid_field"},
		{"short mobile", addressBody(set("phone", "1390013900")), "invalid_field"},
		{"mobile 12x", addressBody(set("phone", "12900139000")), "invalid_field"},
		{"landline without area code", addressBody(set("phone", "12345678")), "invalid_field"},
		{"oversized", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, "body_too_large"},
	}
	var tests []apptest.Scenario
	for _, b := range bodies {
		tests = append(tests,
			apptest.Scenario{Name: "create " + b.name, Req: apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: tok, Body: b.body}, Status: 400, Code: b.code},
			apptest.Scenario{Name: "put " + b.name, Req: apptest.Request{Method: "PUT", Path: path, Token: tok, Body: b.body}, Status: 400, Code: b.code},
		)
	}
	e.RunScenarios(t, tests)
	if after := snapshot(t, e, "/api/v1/addresses", tok); after != before {
		t.Fatalf("bad input changed the addresses:\n%s\n%s", before, after)
	}
}
