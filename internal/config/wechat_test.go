package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

type keyFiles struct{ private, public, garbage string }

var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// writeKeys writes a merchant private key (PKCS#8 PEM), a WeChat Pay public
// key (PKIX PEM) and a file that is neither, as the operator's files would be.
func writeKeys(t *testing.T) keyFiles {
	t.Helper()
	dir := t.TempDir()
	priv, err := x509.MarshalPKCS8PrivateKey(rsaKey())
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&rsaKey().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	k := keyFiles{filepath.Join(dir, "apiclient_key.pem"), filepath.Join(dir, "pub_key.pem"), filepath.Join(dir, "garbage.pem")}
	for path, body := range map[string][]byte{
		k.private: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv}),
		k.public:  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
		k.garbage: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not a key at all")}),
	} {
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return k
}

// Half a set of WeChat credentials used to turn the sandbox on (anyone could
// log in as anyone and mark orders paid); now the sandbox runs only with no
// credential at all, and anything in between refuses to start with one line
// naming what is wrong.
func TestSandboxDecision(t *testing.T) {
	keys := writeKeys(t)
	full := production(t, nil)
	with := func(base map[string]string, extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	required := []string{"KAIDIAN_WECHAT_APPID", "KAIDIAN_WECHAT_APPSECRET", "KAIDIAN_WECHATPAY_MCHID",
		"KAIDIAN_WECHATPAY_MCH_SERIAL", "KAIDIAN_WECHATPAY_MCH_KEY_FILE", "KAIDIAN_WECHATPAY_APIV3_KEY"}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		sandbox bool
		errHas  []string // empty: must start
	}{
		{"auto with no credentials: sandbox", nil, true, nil},
		{"sandbox tuning and the API base are not credentials", map[string]string{"KAIDIAN_SANDBOX_PAY_MODE": "certificate",
			"KAIDIAN_SANDBOX_RETRY_SCALE": "0.001", "KAIDIAN_SANDBOX_REFUND_DELAY": "1s",
			"KAIDIAN_WECHAT_API_BASE": "http://127.0.0.1:9000/sandbox"}, true, nil},
		{"on with no credentials: sandbox", map[string]string{"KAIDIAN_SANDBOX": "on"}, true, nil},
		{"auto with every credential: real WeChat", full, false, nil},
		{"off with every credential: real WeChat", with(full, map[string]string{"KAIDIAN_SANDBOX": "off"}), false, nil},
		{"only the AppID", map[string]string{"KAIDIAN_WECHAT_APPID": "wx1"}, false,
			append(required[1:], "KAIDIAN_WECHAT_APPID set")},
		{"only the AppID and secret", map[string]string{"KAIDIAN_WECHAT_APPID": "wx1", "KAIDIAN_WECHAT_APPSECRET": "s"}, false,
			required[2:]},
		{"only the merchant id", map[string]string{"KAIDIAN_WECHATPAY_MCHID": "1900000001"}, false,
			[]string{"KAIDIAN_WECHAT_APPID", "KAIDIAN_WECHAT_APPSECRET", "KAIDIAN_WECHATPAY_MCH_KEY_FILE", "KAIDIAN_WECHATPAY_MCHID set"}},
		{"only the public key pair", map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1", "KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": keys.public},
			false, required},
		{"everything but the secret", with(full, map[string]string{"KAIDIAN_WECHAT_APPSECRET": ""}), false,
			[]string{"KAIDIAN_WECHAT_APPSECRET missing"}},
		{"unreadable merchant key file", with(full, map[string]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE": keys.private + ".missing"}), false,
			[]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE", "cannot be read"}},
		{"merchant key file is a directory", with(full, map[string]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE": filepath.Dir(keys.private)}), false,
			[]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE", "cannot be read"}},
		{"unparseable merchant key file", with(full, map[string]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE": keys.garbage}), false,
			[]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE", "does not parse"}},
		{"public key given as the merchant key", with(full, map[string]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE": keys.public}), false,
			[]string{"KAIDIAN_WECHATPAY_MCH_KEY_FILE", "not a PEM"}},
		{"unparseable WeChat Pay public key", with(full, map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1",
			"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": keys.private}), false, []string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE", "not a PEM"}},
		{"short APIv3 key", with(full, map[string]string{"KAIDIAN_WECHATPAY_APIV3_KEY": "short"}), false,
			[]string{"KAIDIAN_WECHATPAY_APIV3_KEY", "32 characters"}},
		{"on with credentials", with(full, map[string]string{"KAIDIAN_SANDBOX": "on"}), false,
			[]string{"KAIDIAN_SANDBOX is on", "KAIDIAN_WECHAT_APPID"}},
		{"on with a single credential", map[string]string{"KAIDIAN_SANDBOX": "on", "KAIDIAN_WECHATPAY_MCHID": "1900000001"}, false,
			[]string{"KAIDIAN_SANDBOX is on", "KAIDIAN_WECHATPAY_MCHID"}},
		{"off without credentials", map[string]string{"KAIDIAN_SANDBOX": "off"}, false,
			append(required, "KAIDIAN_SANDBOX is off")},
		{"a WeChat variable this version does not know", map[string]string{"KAIDIAN_WECHATPAY_PLATFORM_CERT_FILE": "/c.pem"}, false,
			append(required, "KAIDIAN_WECHATPAY_PLATFORM_CERT_FILE set")},
		{"a set but empty WeChat variable is not a credential", map[string]string{"KAIDIAN_WECHATPAY_MCHID": " "}, true, nil},
		{"unknown mode", map[string]string{"KAIDIAN_SANDBOX": "yes"}, false, []string{"KAIDIAN_SANDBOX must be auto, on or off"}},
	} {
		names := make([]string, 0, len(tc.env))
		for name := range tc.env {
			names = append(names, name)
		}
		c, err := parse(env(tc.env), names...)
		if len(tc.errHas) == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			} else if c.Sandbox() != tc.sandbox {
				t.Errorf("%s: sandbox = %t", tc.name, c.Sandbox())
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: started (sandbox %t)", tc.name, c.Sandbox())
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Errorf("%s: not one line: %q", tc.name, msg)
		}
		for _, want := range tc.errHas {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q does not say %q", tc.name, msg, want)
			}
		}
	}
}

// Code that builds a Config by hand (tests, `kaidian sandbox`) gets the
// sandbox only when it configures no credential.
func TestSandboxOfHandMadeConfig(t *testing.T) {
	if !(Config{}).Sandbox() {
		t.Error("an empty Config is not the sandbox")
	}
	if (Config{WechatAppID: "wx1"}).Sandbox() || (Config{PayMchID: "1"}).Sandbox() {
		t.Error("a Config with a credential is the sandbox")
	}
	if (Config{SandboxMode: SandboxOff}).Sandbox() || !(Config{SandboxMode: SandboxOn, WechatAppID: "wx1"}).Sandbox() {
		t.Error("KAIDIAN_SANDBOX on/off not obeyed")
	}
}
