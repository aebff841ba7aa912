package apptest

import "testing"

// Scenario is one row of an HTTP scenario table: a request and the status
// and error code ("" for a success) it must be answered with.
type Scenario struct {
	Name   string
	Req    Request
	Status int
	Code   string
}

// RunScenarios sends each scenario's request in a subtest of its name and
// fails it when the status or the error code differs from the row's.
func (e *Env) RunScenarios(t *testing.T, tests []Scenario) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			r := e.Do(tt.Req)
			if r.Status != tt.Status || r.ErrorCode() != tt.Code {
				t.Fatalf("%s %s: got %d %s, want %d %q", tt.Req.Method, tt.Req.Path, r.Status, r.Body, tt.Status, tt.Code)
			}
		})
	}
}
