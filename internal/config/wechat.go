package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"slices"
	"strings"
)

// The values of KAIDIAN_SANDBOX.
const (
	// SandboxAuto runs the sandbox exactly when no WeChat credential at all
	// is configured: the zero-configuration default keeps working, and any
	// credential makes every required one mandatory.
	SandboxAuto = "auto"
	// SandboxOn insists on the sandbox, and refuses to start beside real credentials.
	SandboxOn = "on"
	// SandboxOff insists on real WeChat, and refuses to start without its credentials.
	SandboxOff = "off"
)

// credential is one of the settings that point Kaidian at the real WeChat.
// The settings in notCredentials are not.
type credential struct {
	name     string
	required bool // the public key pair is optional (platform-certificate mode)
	value    func(Config) string
}

// notCredentials are KAIDIAN_WECHAT_*/KAIDIAN_WECHATPAY_* settings that say
// how to talk to WeChat, not who the shop is at WeChat: KAIDIAN_WECHAT_API_BASE
// only says where WeChat answers (it also points a sandbox-mode Kaidian at a
// standalone `kaidian sandbox`), and KAIDIAN_WECHATPAY_PLATFORM_CERTS chooses
// the signature mode, which the sandbox has too.
var notCredentials = []string{"KAIDIAN_WECHAT_API_BASE", "KAIDIAN_WECHATPAY_PLATFORM_CERTS"}

var credentials = []credential{
	{"KAIDIAN_WECHAT_APPID", true, func(c Config) string { return c.WechatAppID }},
	{"KAIDIAN_WECHAT_APPSECRET", true, func(c Config) string { return c.WechatAppSecret }},
	{"KAIDIAN_WECHATPAY_MCHID", true, func(c Config) string { return c.PayMchID }},
	{"KAIDIAN_WECHATPAY_MCH_SERIAL", true, func(c Config) string { return c.PayMchSerial }},
	{"KAIDIAN_WECHATPAY_MCH_KEY_FILE", true, func(c Config) string { return c.PayMchKeyFile }},
	{"KAIDIAN_WECHATPAY_APIV3_KEY", true, func(c Config) string { return c.PayAPIv3Key }},
	{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID", false, func(c Config) string { return c.PayPublicKeyID }},
	{"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE", false, func(c Config) string { return c.PayPublicKeyFile }},
}

// Sandbox reports whether Kaidian talks to its own fake WeChat, which lets
// anyone log in as anyone and mark orders paid: only with KAIDIAN_SANDBOX=on,
// or (auto, the default) when no WeChat credential at all is configured.
// parse refuses every configuration in between, so half a set of
// credentials never turns the sandbox on.
func (c Config) Sandbox() bool {
	switch c.SandboxMode {
	case SandboxOn:
		return true
	case SandboxOff:
		return false
	}
	return len(c.credentialsSet()) == 0
}

// credentialsSet names the WeChat credentials that have a value, including
// KAIDIAN_WECHAT_*/KAIDIAN_WECHATPAY_* variables this version does not read:
// whatever they were meant for, their presence says "real WeChat", never the
// sandbox.
func (c Config) credentialsSet() []string {
	set := slices.Clone(c.otherWechat)
	for _, cr := range credentials {
		if cr.value(c) != "" {
			set = append(set, cr.name)
		}
	}
	return set
}

// otherWechat returns the names of set KAIDIAN_WECHAT_* and
// KAIDIAN_WECHATPAY_* variables that are neither known credentials nor in
// notCredentials.
func (p *parser) otherWechat(names []string) []string {
	var other []string
	for _, name := range names {
		if !strings.HasPrefix(name, "KAIDIAN_WECHAT_") && !strings.HasPrefix(name, "KAIDIAN_WECHATPAY_") ||
			slices.Contains(notCredentials, name) || p.str(name, "") == "" || slices.Contains(other, name) ||
			slices.ContainsFunc(credentials, func(cr credential) bool { return cr.name == name }) {
			continue
		}
		other = append(other, name)
	}
	slices.Sort(other)
	return other
}

// wechat checks that the configuration is either the sandbox with no
// credentials, or real WeChat with every required credential present and
// its key files readable and parseable, so a mistake stops the process with
// one line naming it rather than serving the sandbox on a public port.
func (p *parser) wechat(c Config) {
	set := c.credentialsSet()
	switch c.SandboxMode {
	case SandboxOn:
		if len(set) > 0 {
			p.fail("KAIDIAN_SANDBOX", "is on, but WeChat credentials are configured ("+strings.Join(set, ", ")+
				"): the sandbox never runs beside real credentials; unset them, or use KAIDIAN_SANDBOX=auto or off")
		}
		return
	case SandboxAuto:
		if len(set) == 0 {
			return
		}
	case SandboxOff:
	default:
		p.fail("KAIDIAN_SANDBOX", "must be auto, on or off")
		return
	}
	var missing []string
	for _, cr := range credentials {
		if cr.required && cr.value(c) == "" {
			missing = append(missing, cr.name)
		}
	}
	if len(missing) > 0 {
		why := "KAIDIAN_SANDBOX is off"
		if c.SandboxMode != SandboxOff {
			why = strings.Join(set, ", ") + " set"
		}
		p.fail(strings.Join(missing, ", "), "missing: real WeChat needs every credential ("+why+
			"); set them all, or unset every KAIDIAN_WECHAT_* and KAIDIAN_WECHATPAY_* credential for the sandbox")
		return
	}
	if len(c.PayAPIv3Key) != 32 {
		p.fail("KAIDIAN_WECHATPAY_APIV3_KEY", "must be 32 characters")
	}
	// Half a public key would silently fall back to certificate mode.
	if (c.PayPublicKeyID == "") != (c.PayPublicKeyFile == "") {
		p.fail("KAIDIAN_WECHATPAY_PUBLIC_KEY_ID", "and KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE must be set together (or neither, for platform-certificate mode)")
	}
	if err := checkPEM(c.PayMchKeyFile, "PRIVATE KEY", func(der []byte) (any, error) { return x509.ParsePKCS8PrivateKey(der) }); err != nil {
		p.fail("KAIDIAN_WECHATPAY_MCH_KEY_FILE", err.Error())
	}
	if c.PayPublicKeyFile != "" {
		if err := checkPEM(c.PayPublicKeyFile, "PUBLIC KEY", x509.ParsePKIXPublicKey); err != nil {
			p.fail("KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE", err.Error())
		}
	}
}

// checkPEM reads an RSA key the way WeChat Pay's SDK will (one PEM block of
// the given type, PKCS#8 or PKIX), so a bad file is named at start-up.
func checkPEM(path, blockType string, parse func([]byte) (any, error)) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s cannot be read: %v", path, err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != blockType {
		return fmt.Errorf("%s is not a PEM %q block", path, blockType)
	}
	key, err := parse(block.Bytes)
	if err != nil {
		return fmt.Errorf("%s does not parse: %v", path, err)
	}
	switch key.(type) {
	case *rsa.PrivateKey, *rsa.PublicKey:
		return nil
	}
	return fmt.Errorf("%s is not an RSA key", path)
}
