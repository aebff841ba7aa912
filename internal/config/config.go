// Package config reads Kaidian's settings from KAIDIAN_* environment
// variables. Every variable, with its default, is listed in the README.
package config

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the process needs to start. It is built once in main
// and passed down explicitly; nothing reads the environment after that.
type Config struct {
	Addr        string // KAIDIAN_ADDR
	DataDir     string // KAIDIAN_DATA_DIR
	DatabaseURL string // KAIDIAN_DATABASE_URL; empty means SQLite under DataDir
	PublicURL   string // KAIDIAN_PUBLIC_URL; empty means derived from the listen address
	LogLevel    string // KAIDIAN_LOG_LEVEL
	// LogFormat is KAIDIAN_LOG_FORMAT: LogText, LogJSON, or LogAuto (text
	// on an interactive terminal, JSON for a log collector).
	LogFormat string

	// Demo seeds the demo shop when the catalog is empty. Defaults to on for
	// the embedded SQLite database and off for PostgreSQL.
	Demo bool // KAIDIAN_DEMO

	JWTSecret string        // KAIDIAN_JWT_SECRET; empty means one generated and kept in the database
	JWTTTL    time.Duration // KAIDIAN_JWT_TTL

	WechatAppID     string // KAIDIAN_WECHAT_APPID
	WechatAppSecret string // KAIDIAN_WECHAT_APPSECRET
	WechatAPIBase   string // KAIDIAN_WECHAT_API_BASE; empty means api.weixin.qq.com, or the sandbox

	// WeChat Pay merchant credentials, needed outside sandbox mode. With the
	// public key and its id WeChat Pay is verified in public-key mode;
	// without them in platform-certificate mode, the certificates downloaded
	// from WeChat Pay and decrypted with the APIv3 key.
	PayMchID         string // KAIDIAN_WECHATPAY_MCHID
	PayMchSerial     string // KAIDIAN_WECHATPAY_MCH_SERIAL: the merchant API certificate's serial number
	PayMchKeyFile    string // KAIDIAN_WECHATPAY_MCH_KEY_FILE: the merchant API private key (PKCS#8 PEM)
	PayAPIv3Key      string // KAIDIAN_WECHATPAY_APIV3_KEY
	PayPublicKeyID   string // KAIDIAN_WECHATPAY_PUBLIC_KEY_ID: PUB_KEY_ID_…
	PayPublicKeyFile string // KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE: WeChat Pay's public key (PEM)
	// PayPlatformCerts is whether WeChat Pay's platform certificates are
	// downloaded: PlatformCertsAuto or PlatformCertsOff. Auto with a public
	// key is migration mode (either verifies, as Wechatpay-Serial names);
	// the default is auto without a public key and off with one.
	PayPlatformCerts string // KAIDIAN_WECHATPAY_PLATFORM_CERTS

	// SandboxMode is KAIDIAN_SANDBOX: SandboxAuto, SandboxOn or SandboxOff
	// (see Sandbox). Empty counts as auto.
	SandboxMode string // KAIDIAN_SANDBOX
	// SandboxRetryScale compresses the sandbox's notification retry schedule
	// (WeChat's 15 s … 6 h): 0.001 makes the first retry come after 15 ms.
	SandboxRetryScale float64 // KAIDIAN_SANDBOX_RETRY_SCALE
	// SandboxRefundDelay is how long sandbox refunds stay PROCESSING.
	SandboxRefundDelay time.Duration // KAIDIAN_SANDBOX_REFUND_DELAY
	// SandboxPayMode is how the sandbox's WeChat Pay signs, and so how a
	// sandbox-mode Kaidian verifies it: SandboxPayPublicKey or SandboxPayCertificate.
	SandboxPayMode string // KAIDIAN_SANDBOX_PAY_MODE
	// SandboxDuplicateForm is how the sandbox refuses a reused order number:
	// SandboxDuplicateDocumented (OUT_TRADE_NO_USED, ORDER_CLOSED) or
	// SandboxDuplicateLive (INVALID_REQUEST "201 商户订单号重复").
	SandboxDuplicateForm string // KAIDIAN_SANDBOX_DUPLICATE_FORM
	// SandboxRate is the requests a second each client address may make on
	// the sandbox (bursts of twice that); 0 turns the limit off.
	SandboxRate float64 // KAIDIAN_SANDBOX_RATE
	// SandboxBlockedWords is the sandbox content check's word list
	// (sandbox.SetBlockedWords); empty means the sandbox's default.
	SandboxBlockedWords string // KAIDIAN_SANDBOX_BLOCKED_WORDS

	ExpirySweep time.Duration // KAIDIAN_EXPIRY_SWEEP: how often unpaid orders past their deadline are looked for
	// PayPollAfter is how long after a payment is opened, or a refund
	// started, WeChat Pay is first asked about it when no notification came
	// (later checks back off to hourly); also how often due refunds are looked for.
	PayPollAfter    time.Duration // KAIDIAN_PAY_POLL_AFTER
	ShutdownTimeout time.Duration // KAIDIAN_SHUTDOWN_TIMEOUT
	MaxBodyBytes    int64         // KAIDIAN_MAX_BODY_BYTES

	// CatalogCacheTTL is how long a public catalog answer (categories,
	// product lists and details) is reused before the database is asked
	// again; 0 turns the cache off.
	CatalogCacheTTL time.Duration // KAIDIAN_CATALOG_CACHE_TTL
	// Footprints turns the recording of logged-in shoppers' product views
	// on (GET /api/v1/me/footprints) or off.
	Footprints bool // KAIDIAN_FOOTPRINTS
	// RateClient is the requests a second each client address may make on
	// /api/v1 (bursts of twice that); 0 turns the limit off.
	RateClient float64 // KAIDIAN_RATE_CLIENT
	// RateShopper is the state-changing /api/v1 requests a second each
	// shopper may make (bursts of twice that); 0 turns the limit off.
	RateShopper float64 // KAIDIAN_RATE_SHOPPER
	// RateWebhook is the requests a second each client address may make on
	// /wechatpay (bursts of twice that); 0 turns the limit off.
	RateWebhook float64 // KAIDIAN_RATE_WEBHOOK
	// MetricsAddr is where a separate listener serves /metrics without a
	// token (loopback by default, so only the host's own scraper sees it);
	// empty (KAIDIAN_METRICS_ADDR=off) means no separate listener.
	MetricsAddr string // KAIDIAN_METRICS_ADDR
	// MetricsToken, when set, serves /metrics on the main listener too, to
	// requests carrying it as a Bearer token; unset, the main listener has no /metrics.
	MetricsToken string // KAIDIAN_METRICS_TOKEN
	// TrustedProxies are the load balancers (CIDRs or addresses) whose
	// X-Forwarded-For names the client; from anyone else it is ignored.
	TrustedProxies []string // KAIDIAN_TRUSTED_PROXIES

	// otherWechat names KAIDIAN_WECHAT_*/KAIDIAN_WECHATPAY_* variables set
	// that are none of the fields above (see Sandbox).
	otherWechat []string
}

// The values of KAIDIAN_SANDBOX_PAY_MODE.
const (
	SandboxPayPublicKey   = "public_key"
	SandboxPayCertificate = "certificate"
)

// The values of KAIDIAN_WECHATPAY_PLATFORM_CERTS.
const (
	PlatformCertsAuto = "auto"
	PlatformCertsOff  = "off"
)

// The values of KAIDIAN_SANDBOX_DUPLICATE_FORM.
const (
	SandboxDuplicateDocumented = "documented"
	SandboxDuplicateLive       = "live"
)

// SQLite reports whether the embedded database is used.
func (c Config) SQLite() bool { return c.DatabaseURL == "" }

// SQLitePath is the database file used when no PostgreSQL URL is set.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "kaidian.db") }

// FromEnv reads the configuration, applying defaults and rejecting malformed values.
func FromEnv() (Config, error) {
	names := make([]string, 0, 64)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	return parse(os.Getenv, names...)
}

// parse reads the variables through getenv; names are every variable set in
// the environment (to notice WeChat settings this version does not know).
func parse(getenv func(string) string, names ...string) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		Addr:               p.str("KAIDIAN_ADDR", ":8080"),
		DataDir:            p.str("KAIDIAN_DATA_DIR", "./data"),
		DatabaseURL:        p.str("KAIDIAN_DATABASE_URL", ""),
		PublicURL:          strings.TrimRight(p.str("KAIDIAN_PUBLIC_URL", ""), "/"),
		LogLevel:           p.str("KAIDIAN_LOG_LEVEL", "info"),
		LogFormat:          strings.ToLower(p.str("KAIDIAN_LOG_FORMAT", LogAuto)),
		JWTSecret:          p.str("KAIDIAN_JWT_SECRET", ""),
		JWTTTL:             p.duration("KAIDIAN_JWT_TTL", 2*time.Hour),
		WechatAppID:        p.str("KAIDIAN_WECHAT_APPID", ""),
		WechatAppSecret:    p.str("KAIDIAN_WECHAT_APPSECRET", ""),
		WechatAPIBase:      strings.TrimRight(p.str("KAIDIAN_WECHAT_API_BASE", ""), "/"),
		PayMchID:           p.str("KAIDIAN_WECHATPAY_MCHID", ""),
		PayMchSerial:       p.str("KAIDIAN_WECHATPAY_MCH_SERIAL", ""),
		PayMchKeyFile:      p.str("KAIDIAN_WECHATPAY_MCH_KEY_FILE", ""),
		PayAPIv3Key:        p.str("KAIDIAN_WECHATPAY_APIV3_KEY", ""),
		PayPublicKeyID:     p.str("KAIDIAN_WECHATPAY_PUBLIC_KEY_ID", ""),
		PayPublicKeyFile:   p.str("KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE", ""),
		SandboxMode:        strings.ToLower(p.str("KAIDIAN_SANDBOX", SandboxAuto)),
		SandboxRetryScale:  p.float("KAIDIAN_SANDBOX_RETRY_SCALE", 1),
		SandboxRefundDelay: p.duration("KAIDIAN_SANDBOX_REFUND_DELAY", 3*time.Second),
		SandboxPayMode:     p.str("KAIDIAN_SANDBOX_PAY_MODE", SandboxPayPublicKey),
		SandboxRate:        p.rate("KAIDIAN_SANDBOX_RATE", 5000),
		ExpirySweep:        p.duration("KAIDIAN_EXPIRY_SWEEP", 5*time.Second),
		PayPollAfter:       p.duration("KAIDIAN_PAY_POLL_AFTER", 10*time.Second),
		ShutdownTimeout:    p.duration("KAIDIAN_SHUTDOWN_TIMEOUT", 20*time.Second),
		MaxBodyBytes:       int64(p.int("KAIDIAN_MAX_BODY_BYTES", 1<<20)),
		CatalogCacheTTL:    p.durationOrOff("KAIDIAN_CATALOG_CACHE_TTL", time.Second),
		RateClient:         p.rate("KAIDIAN_RATE_CLIENT", 100),
		RateShopper:        p.rate("KAIDIAN_RATE_SHOPPER", 5),
		RateWebhook:        p.rate("KAIDIAN_RATE_WEBHOOK", 100),
		TrustedProxies:     p.networks("KAIDIAN_TRUSTED_PROXIES"),
		MetricsAddr:        p.str("KAIDIAN_METRICS_ADDR", DefaultMetricsAddr),
		MetricsToken:       p.str("KAIDIAN_METRICS_TOKEN", ""),
		otherWechat:        p.otherWechat(names),
	}
	c.Demo = p.bool("KAIDIAN_DEMO", c.SQLite())
	c.Footprints = p.bool("KAIDIAN_FOOTPRINTS", true)
	c.SandboxDuplicateForm = p.str("KAIDIAN_SANDBOX_DUPLICATE_FORM", SandboxDuplicateDocumented)
	c.SandboxBlockedWords = p.str("KAIDIAN_SANDBOX_BLOCKED_WORDS", "")
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		p.fail("KAIDIAN_JWT_SECRET", "must be at least 32 characters")
	}
	p.wechat(c)
	p.metrics(&c)
	if c.SandboxPayMode != SandboxPayPublicKey && c.SandboxPayMode != SandboxPayCertificate {
		p.fail("KAIDIAN_SANDBOX_PAY_MODE", "must be public_key or certificate")
	}
	// A public key is configured when one is given, or in sandbox mode when
	// the sandbox signs with it.
	publicKey := c.PayPublicKeyFile != ""
	if c.Sandbox() {
		publicKey = c.SandboxPayMode == SandboxPayPublicKey
	}
	switch c.PayPlatformCerts = p.str("KAIDIAN_WECHATPAY_PLATFORM_CERTS", ""); {
	case c.PayPlatformCerts == "" && publicKey:
		c.PayPlatformCerts = PlatformCertsOff
	case c.PayPlatformCerts == "":
		c.PayPlatformCerts = PlatformCertsAuto
	case c.PayPlatformCerts != PlatformCertsAuto && c.PayPlatformCerts != PlatformCertsOff:
		p.fail("KAIDIAN_WECHATPAY_PLATFORM_CERTS", "must be auto or off")
	case c.PayPlatformCerts == PlatformCertsOff && !publicKey:
		p.fail("KAIDIAN_WECHATPAY_PLATFORM_CERTS", "can be off only with a WeChat Pay public key (KAIDIAN_WECHATPAY_PUBLIC_KEY_ID and _FILE): nothing would verify WeChat Pay")
	}
	if c.LogFormat != LogAuto && c.LogFormat != LogText && c.LogFormat != LogJSON {
		p.fail("KAIDIAN_LOG_FORMAT", "must be auto, text or json")
	}
	if c.SandboxDuplicateForm != SandboxDuplicateDocumented && c.SandboxDuplicateForm != SandboxDuplicateLive {
		p.fail("KAIDIAN_SANDBOX_DUPLICATE_FORM", "must be documented or live")
	}
	if c.ExpirySweep < 100*time.Millisecond {
		p.fail("KAIDIAN_EXPIRY_SWEEP", "must be at least 100ms")
	}
	if c.PayPollAfter < 100*time.Millisecond {
		p.fail("KAIDIAN_PAY_POLL_AFTER", "must be at least 100ms")
	}
	return c, p.err
}

// The log formats of KAIDIAN_LOG_FORMAT.
const (
	LogAuto = "auto" // text on an interactive terminal, else JSON
	LogText = "text" // one readable line per record (slog's text form)
	LogJSON = "json" // one JSON object per line, for collectors
)

// DefaultMetricsAddr is where /metrics is served unless KAIDIAN_METRICS_ADDR says otherwise.
const DefaultMetricsAddr = "127.0.0.1:9090"

// metrics checks the metrics listener's address ("off" for none) and the token.
func (p *parser) metrics(c *Config) {
	if strings.EqualFold(c.MetricsAddr, "off") {
		c.MetricsAddr = ""
	} else if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
		p.fail("KAIDIAN_METRICS_ADDR", "must be host:port such as 127.0.0.1:9090, or off")
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		p.fail("KAIDIAN_METRICS_TOKEN", "must be at least 16 characters")
	}
}

type parser struct {
	getenv func(string) string
	err    error
}

func (p *parser) fail(name, msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("config: %s %s", name, msg)
	}
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, "must be a positive duration such as 15m or 30s")
		return def
	}
	return d
}

// durationOrOff is a duration where 0 means "off".
func (p *parser) durationOrOff(name string, def time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		p.fail(name, "must be a duration such as 1s or 500ms, or 0 for off")
		return def
	}
	return d
}

// rate is a number of requests a second where 0 means "no limit".
func (p *parser) rate(name string, def float64) float64 {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		p.fail(name, "must be a number of requests per second such as 100 or 0.5, or 0 for no limit")
		return def
	}
	return f
}

// networks is a comma-separated list of CIDRs or single addresses.
func (p *parser) networks(name string) []string {
	var out []string
	for _, n := range strings.Split(p.str(name, ""), ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		_, errPrefix := netip.ParsePrefix(n)
		_, errAddr := netip.ParseAddr(n)
		if errPrefix != nil && errAddr != nil {
			p.fail(name, "must be a comma-separated list of CIDRs such as 10.0.0.0/8 or addresses; "+strconv.Quote(n)+" is neither")
			return nil
		}
		out = append(out, n)
	}
	return out
}

func (p *parser) int(name string, def int) int {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		p.fail(name, "must be a positive integer")
		return def
	}
	return n
}

func (p *parser) float(name string, def float64) float64 {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 1000 {
		p.fail(name, "must be a positive number such as 0.001")
		return def
	}
	return f
}

func (p *parser) bool(name string, def bool) bool {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, "must be true or false")
		return def
	}
	return b
}
