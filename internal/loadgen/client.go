package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// client sends the load's requests. Its transport keeps one idle connection
// per concurrent worker and target, so a run measures the server rather
// than TCP handshakes; compression is off because the server sends none.
type client struct {
	hc *http.Client
}

func newClient(concurrency, targets int) *client {
	tr := &http.Transport{
		Proxy:               nil, // loopback loads never go through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        concurrency*targets + 16,
		MaxIdleConnsPerHost: concurrency + 4,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *client) close() { c.hc.CloseIdleConnections() }

// answer is what one request got: the status (0 when no answer came), the
// error code of an error answer, the body when asked for, and the time taken.
type answer struct {
	status     int
	code       string
	body       []byte
	retryAfter time.Duration // from a 429's Retry-After
	took       time.Duration
	err        error
}

// ok reports a 2xx answer.
func (a answer) ok() bool { return a.err == nil && a.status >= 200 && a.status < 300 }

// key is how the answer is counted among errors ("" for a 2xx).
func (a answer) key() string {
	switch {
	case a.err != nil:
		return "transport error"
	case a.status >= 200 && a.status < 300:
		return ""
	}
	return answerKey(a.status, a.code)
}

// String describes the answer for error messages.
func (a answer) String() string {
	if a.err != nil {
		return a.err.Error()
	}
	return fmt.Sprintf("HTTP %s: %.200s", answerKey(a.status, a.code), a.body)
}

// decode reads a kept body as JSON into v.
func (a answer) decode(v any) error {
	if err := json.Unmarshal(a.body, v); err != nil {
		return fmt.Errorf("decode %.100s: %w", a.body, err)
	}
	return nil
}

// do sends one request. body is nil, JSON already encoded ([]byte), or a value encoded as JSON; keep asks for
// a 2xx body to be returned (error bodies always are, for their code).
func (c *client) do(ctx context.Context, method, url, token string, body any, keep bool) answer {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte: // encoded once by the caller, for hot loops
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return answer{err: err}
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := c.hc.Do(req)
	if err != nil {
		return answer{err: err, took: time.Since(start)}
	}
	a := answer{status: res.StatusCode}
	ok := a.status >= 200 && a.status < 300
	if keep || !ok {
		a.body, err = io.ReadAll(res.Body)
	} else {
		// Drained, not kept: the connection goes back to the pool.
		_, err = io.Copy(io.Discard, res.Body)
	}
	res.Body.Close()
	a.took = time.Since(start)
	if err != nil {
		a.err = err
		return a
	}
	if !ok {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		if json.Unmarshal(a.body, &e) == nil {
			a.code = e.Error.Code
		}
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && a.status == http.StatusTooManyRequests {
			a.retryAfter = time.Duration(s) * time.Second
		}
	}
	return a
}

// call is do for setup and verification requests: a non-2xx answer is an
// error, and the body is decoded into out when out is not nil.
func (c *client) call(ctx context.Context, method, url, token string, body, out any) error {
	for attempt := 0; ; attempt++ {
		a := c.do(ctx, method, url, token, body, out != nil)
		// Setup must not fail because the shop sheds load: wait as told.
		if a.status == http.StatusTooManyRequests && attempt < 20 {
			if err := sleep(ctx, max(a.retryAfter, 100*time.Millisecond)); err != nil {
				return err
			}
			continue
		}
		if !a.ok() {
			return fmt.Errorf("%s %s: %s", method, url, a)
		}
		if out != nil {
			return a.decode(out)
		}
		return nil
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
