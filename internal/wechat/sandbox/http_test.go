package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// postJSON posts body and decodes a 200 answer; other statuses are errors.
func postJSON(url, body string) (map[string]any, error) {
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	var m map[string]any
	return m, json.NewDecoder(res.Body).Decode(&m)
}
