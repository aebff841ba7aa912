package config

import (
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := parse(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || !c.SQLite() || !c.Sandbox() || !c.Demo ||
		c.JWTTTL != 2*time.Hour || c.ExpirySweep != 5*time.Second || c.PayPollAfter != 10*time.Second || c.MaxBodyBytes != 1<<20 || c.LogFormat != LogAuto {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestPostgresTurnsDemoOffAndCredentialsLeaveSandbox(t *testing.T) {
	keys := writeKeys(t)
	c, err := parse(env(map[string]string{
		"KAIDIAN_DATABASE_URL": "postgres://x", "KAIDIAN_WECHAT_APPID": "wx1", "KAIDIAN_WECHAT_APPSECRET": "s",
		"KAIDIAN_PUBLIC_URL": "https://shop.example.com/", "KAIDIAN_WECHATPAY_MCHID": "1900000001",
		"KAIDIAN_WECHATPAY_MCH_SERIAL": "ABC", "KAIDIAN_WECHATPAY_MCH_KEY_FILE": keys.private,
		"KAIDIAN_WECHATPAY_APIV3_KEY": "0123456789abcdef0123456789abcdef", "KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1",
		"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": keys.public,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SQLite() || c.Demo || c.Sandbox() || c.PublicURL != "https://shop.example.com" {
		t.Fatalf("got %+v", c)
	}
}

func TestWeChatCredentialsNeedPaymentCredentials(t *testing.T) {
	if _, err := parse(env(map[string]string{"KAIDIAN_WECHAT_APPID": "wx1", "KAIDIAN_WECHAT_APPSECRET": "s"})); err == nil {
		t.Fatal("real WeChat without WeChat Pay credentials accepted")
	}
}

// production is a real-WeChat configuration in platform-certificate mode,
// with the given variables added (or, set to "", removed).
func production(t *testing.T, extra map[string]string) map[string]string {
	m := map[string]string{
		"KAIDIAN_WECHAT_APPID": "wx1", "KAIDIAN_WECHAT_APPSECRET": "s", "KAIDIAN_WECHATPAY_MCHID": "1900000001",
		"KAIDIAN_WECHATPAY_MCH_SERIAL": "ABC", "KAIDIAN_WECHATPAY_MCH_KEY_FILE": writeKeys(t).private,
		"KAIDIAN_WECHATPAY_APIV3_KEY": "0123456789abcdef0123456789abcdef",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestPaymentVerificationMode(t *testing.T) {
	pub := writeKeys(t).public
	for _, tc := range []struct {
		name  string
		extra map[string]string
		ok    bool
	}{
		{"certificate mode: no public key", nil, true},
		{"public-key mode", map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1", "KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": pub}, true},
		{"public key id without the key", map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1"}, false},
		{"public key without its id", map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": pub}, false},
		{"certificate mode still needs the APIv3 key", map[string]string{"KAIDIAN_WECHATPAY_APIV3_KEY": ""}, false},
		{"certificate mode still needs the merchant key", map[string]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE": ""}, false},
	} {
		c, err := parse(env(production(t, tc.extra)))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if err == nil && c.Sandbox() {
			t.Errorf("%s: still in sandbox mode", tc.name)
		}
	}
}

func TestSandboxPayMode(t *testing.T) {
	for value, want := range map[string]string{"": SandboxPayPublicKey, "public_key": SandboxPayPublicKey, "certificate": SandboxPayCertificate} {
		c, err := parse(env(map[string]string{"KAIDIAN_SANDBOX_PAY_MODE": value}))
		if err != nil || c.SandboxPayMode != want {
			t.Errorf("KAIDIAN_SANDBOX_PAY_MODE=%q: %q, %v", value, c.SandboxPayMode, err)
		}
	}
}

func TestMalformedValuesAreRefused(t *testing.T) {
	for name, value := range map[string]string{
		"KAIDIAN_JWT_TTL":             "soon",
		"KAIDIAN_EXPIRY_SWEEP":        "1ms",
		"KAIDIAN_PAY_POLL_AFTER":      "1ms",
		"KAIDIAN_MAX_BODY_BYTES":      "-1",
		"KAIDIAN_DEMO":                "maybe",
		"KAIDIAN_JWT_SECRET":          "short",
		"KAIDIAN_SANDBOX_RETRY_SCALE": "-1",
		"KAIDIAN_SANDBOX_PAY_MODE":    "certificates",
		"KAIDIAN_LOG_FORMAT":          "yaml",
	} {
		if _, err := parse(env(map[string]string{name: value})); err == nil {
			t.Errorf("%s=%q accepted", name, value)
		}
	}
}

func TestLogFormat(t *testing.T) {
	for value, want := range map[string]string{"": LogAuto, "auto": LogAuto, "text": LogText, "JSON": LogJSON} {
		c, err := parse(env(map[string]string{"KAIDIAN_LOG_FORMAT": value}))
		if err != nil || c.LogFormat != want {
			t.Errorf("KAIDIAN_LOG_FORMAT=%q: %q, %v; want %q", value, c.LogFormat, err, want)
		}
	}
}
