package apptest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kaidian/kaidian/api"
)

var document = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is invalid: %w", err)
	}
	return doc, nil
})

var contract = sync.OnceValues(func() (routers.Router, error) {
	doc, err := document()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// exercised records every documented operation and status a test received.
var exercised sync.Map // "METHOD /path" → struct{}

// Unexercised lists the documented operations no test in this process has
// called, so a route cannot be documented (or added) without a test using it.
func Unexercised() ([]string, error) {
	doc, err := document()
	if err != nil {
		return nil, err
	}
	var missing []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if _, ok := exercised.Load(method + " " + path); !ok {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	return missing, nil
}

// validate checks that the route is documented and that the response's
// status, headers and body are what the document says.
func validate(req *http.Request, res *Response) error {
	router, err := contract()
	if err != nil {
		return err
	}
	// The document's server is "/", so routes are found by path alone.
	lookup := req.Clone(context.Background())
	lookup.URL = &url.URL{Path: req.URL.Path, RawQuery: req.URL.RawQuery}
	lookup.Host = ""
	route, params, err := router.FindRoute(lookup)
	if err != nil {
		return fmt.Errorf("route not documented: %w", err)
	}
	exercised.Store(route.Method+" "+route.Path, struct{}{})
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.Status,
		Header: res.Header,
		Body:   io.NopCloser(bytes.NewReader(res.Body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true, // an undocumented status is a failure
			MultiError:            true,
		},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}
