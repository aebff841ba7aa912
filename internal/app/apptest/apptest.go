// Package apptest boots a whole Kaidian on a loopback port with a fresh
// database and the WeChat sandbox, and drives it over real HTTP. Every
// /api/v1 response a test receives is validated against api/openapi.yaml, so
// the contract cannot drift from the code.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Env is one running Kaidian.
type Env struct {
	URL string
	// MetricsURL is the base URL of the separate metrics listener
	// (KAIDIAN_METRICS_ADDR), empty when it is off.
	MetricsURL string
	App        *app.App
	t          testing.TB
	stop       func()
}

// Option adjusts the configuration before start.
type Option func(*config.Config)

// Start boots Kaidian; it stops when the test ends.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return StartLogged(t, logSink(), opts...)
}

// StartLogged is Start with Kaidian's log (JSON lines, warnings and errors)
// written to log, for tests of what gets logged.
func StartLogged(t testing.TB, log io.Writer, opts ...Option) *Env {
	t.Helper()
	pgURL, sqlitePath := dbtest.URL(t)
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = pgURL
	cfg.DataDir = t.TempDir()
	if sqlitePath != "" {
		cfg.DataDir = strings.TrimSuffix(sqlitePath, "/kaidian.db")
	}
	cfg.Demo = false
	// The sandbox, whatever the caller's environment says about WeChat.
	cfg.SandboxMode = config.SandboxOn
	cfg.WechatAppID, cfg.WechatAppSecret, cfg.WechatAPIBase = "", "", ""
	cfg.PayMchID, cfg.PayMchSerial, cfg.PayMchKeyFile, cfg.PayAPIv3Key, cfg.PayPublicKeyID, cfg.PayPublicKeyFile = "", "", "", "", "", ""
	cfg.JWTSecret = ""
	cfg.ShutdownTimeout = 5 * time.Second
	// Tests change the catalog and read it straight back, and fire requests
	// faster than any shopper: no catalog cache and no rate limits unless a
	// test turns them on (WithCatalogCache, WithRateLimits, WithWebhookRate).
	cfg.CatalogCacheTTL, cfg.RateClient, cfg.RateShopper, cfg.RateWebhook = 0, 0, 0, 0
	// Each Kaidian's metrics listener on a port of its own, as tests run side by side.
	cfg.MetricsAddr, cfg.MetricsToken = "127.0.0.1:0", ""
	for _, o := range opts {
		o(&cfg)
	}
	return boot(t, cfg, log)
}

// WithCatalogCache turns the public catalog cache on with the given TTL.
func WithCatalogCache(ttl time.Duration) Option {
	return func(c *config.Config) { c.CatalogCacheTTL = ttl }
}

// WithRateLimits sets the per-client and per-shopper rate limits (requests a
// second; 0 is off) and the proxies whose X-Forwarded-For is believed.
func WithRateLimits(client, shopper float64, trustedProxies ...string) Option {
	return func(c *config.Config) {
		c.RateClient, c.RateShopper, c.TrustedProxies = client, shopper, trustedProxies
	}
}

// WithWebhookRate sets the /wechatpay rate limit per client address
// (requests a second; 0 is off).
func WithWebhookRate(perSec float64) Option {
	return func(c *config.Config) { c.RateWebhook = perSec }
}

// Boot starts Kaidian with exactly cfg (tests of restarts boot twice on one database).
func Boot(t testing.TB, cfg config.Config) *Env {
	t.Helper()
	return boot(t, cfg, logSink())
}

func boot(t testing.TB, cfg config.Config, logTo io.Writer) *Env {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	metricsLn, err := app.ListenMetrics(cfg.MetricsAddr)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	metricsURL := ""
	if metricsLn != nil {
		metricsURL = "http://" + metricsLn.Addr().String()
	}
	log := slog.New(slog.NewJSONHandler(logTo, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, log, url)
	if err != nil {
		cancel()
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		t.Fatalf("apptest: start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, metricsLn) }()
	stop := sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("apptest: serve: %v", err)
		}
		a.Close()
	})
	t.Cleanup(stop)
	waitServing(t, url, done)
	return &Env{URL: url, MetricsURL: metricsURL, App: a, t: t, stop: stop}
}

// waitServing returns once Kaidian answers (its jobs have started by then),
// or fails the test if it stopped instead.
func waitServing(t testing.TB, url string, done chan error) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("apptest: kaidian stopped while starting: %v", err)
		default:
		}
		if res, err := http.Get(url + "/healthz"); err == nil {
			res.Body.Close()
			return
		}
	}
	t.Fatal("apptest: kaidian did not start within 30s")
}

// Metrics returns what the metrics listener serves on /metrics (or fails the test).
func (e *Env) Metrics() string {
	e.t.Helper()
	if e.MetricsURL == "" {
		e.t.Fatal("apptest: the metrics listener is off")
	}
	res, err := http.Get(e.MetricsURL + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		e.t.Fatalf("apptest: metrics listener: %d %v", res.StatusCode, err)
	}
	return string(body)
}

// Stop shuts this Kaidian down gracefully, as SIGTERM would (tests of restarts).
func (e *Env) Stop() { e.stop() }

func logSink() io.Writer {
	if os.Getenv("KAIDIAN_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// Token returns a valid token for a shopper known by the given sandbox user
// name, creating the shopper directly (tests of the login flow use Login).
func (e *Env) Token(user string) string {
	e.t.Helper()
	sh, err := e.App.Customers.Login(context.Background(), customer.Identity{OpenID: "test-openid-" + user, SessionKey: "k"})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.App.Tokens.Issue(sh.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// Response is what a request got back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map (or fails the test).
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// Decode decodes the body into v (or fails the test).
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode: %v: %s", err, r.Body)
	}
}

// ErrorCode is the error.code of an error response, or "".
func (r *Response) ErrorCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Request is one call: body may be nil, a []byte/string sent verbatim, or a
// value encoded as JSON.
type Request struct {
	Method, Path string
	Body         any
	Token        string
	Header       map[string]string
}

// Do sends the request and validates the response against the contract.
func (e *Env) Do(r Request) *Response {
	e.t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(r.Method, e.URL+r.Path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	out := &Response{Status: res.StatusCode, Header: res.Header}
	out.Body, _ = io.ReadAll(res.Body)
	if strings.HasPrefix(r.Path, "/api/v1/") {
		if err := validate(req, out); err != nil {
			e.t.Errorf("%s %s: response breaks api/openapi.yaml: %v\nbody: %s", r.Method, r.Path, err, out.Body)
		}
		if words := englishInError(req, out); len(words) > 0 {
			e.t.Errorf("%s %s: the Chinese error message has English words %v\nbody: %s", r.Method, r.Path, words, out.Body)
		}
	}
	return out
}

// quoted is what a Chinese message quotes as it was sent (a field name, a
// product title): data, not text left untranslated.
var quoted = regexp.MustCompile(`“[^”]*”`)

// englishInError lists the English words in an API error's message when
// the request did not ask for English, so every error a test provokes is
// checked for text the catalogs left untranslated.
func englishInError(req *http.Request, res *Response) []string {
	if res.Status < 400 || i18n.Match(req.Header.Get("Accept-Language")) == i18n.En {
		return nil
	}
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(res.Body, &body) != nil {
		return nil
	}
	return i18n.EnglishIn(quoted.ReplaceAllString(body.Error.Message, "“”"))
}

// Get, Post, Patch, Put and Delete are shorthands for Do.
func (e *Env) Get(path, token string) *Response {
	e.t.Helper()
	return e.Do(Request{Method: http.MethodGet, Path: path, Token: token})
}

// Post sends body as JSON.
func (e *Env) Post(path, token string, body any) *Response {
	e.t.Helper()
	return e.Do(Request{Method: http.MethodPost, Path: path, Token: token, Body: body})
}

// Patch sends body as JSON.
func (e *Env) Patch(path, token string, body any) *Response {
	e.t.Helper()
	return e.Do(Request{Method: http.MethodPatch, Path: path, Token: token, Body: body})
}

// Put sends body as JSON.
func (e *Env) Put(path, token string, body any) *Response {
	e.t.Helper()
	return e.Do(Request{Method: http.MethodPut, Path: path, Token: token, Body: body})
}

// Delete sends no body.
func (e *Env) Delete(path, token string) *Response {
	e.t.Helper()
	return e.Do(Request{Method: http.MethodDelete, Path: path, Token: token})
}
