// Package api holds the mini-program API contract, api/openapi.yaml.
package api

import _ "embed"

// OpenAPI is the contract document; tests validate every response against it.
//
//go:embed openapi.yaml
var OpenAPI []byte
