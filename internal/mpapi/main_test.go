package mpapi_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// TestMain runs the API tests and then, when the whole package ran and
// passed, fails if any operation in api/openapi.yaml was never called: the
// document and the tests cannot drift apart.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		missing, err := apptest.Unexercised()
		if err != nil || len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "api/openapi.yaml operations no test called: %v %v\n", missing, err)
			code = 1
		}
	}
	os.Exit(code)
}
