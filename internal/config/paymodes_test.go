package config

import "testing"

func TestSandboxDuplicateForm(t *testing.T) {
	for value, want := range map[string]string{"": SandboxDuplicateDocumented, "documented": SandboxDuplicateDocumented, "live": SandboxDuplicateLive} {
		c, err := parse(env(map[string]string{"KAIDIAN_SANDBOX_DUPLICATE_FORM": value}))
		if err != nil || c.SandboxDuplicateForm != want {
			t.Errorf("KAIDIAN_SANDBOX_DUPLICATE_FORM=%q: %q, %v", value, c.SandboxDuplicateForm, err)
		}
	}
	if _, err := parse(env(map[string]string{"KAIDIAN_SANDBOX_DUPLICATE_FORM": "real"})); err == nil {
		t.Error("KAIDIAN_SANDBOX_DUPLICATE_FORM=real accepted")
	}
}

// Platform certificates default to on without a public key and off with one;
// auto with a public key is migration mode; off with no public key would
// leave nothing to verify WeChat Pay and is refused.
func TestPlatformCerts(t *testing.T) {
	with := func(extra map[string]string) map[string]string { return production(t, extra) }
	pub := writeKeys(t).public
	pubKey := map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1", "KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": pub}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" means refused
	}{
		{"certificates only", with(nil), PlatformCertsAuto},
		{"public key only", with(pubKey), PlatformCertsOff},
		{"migration", with(map[string]string{"KAIDIAN_WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1",
			"KAIDIAN_WECHATPAY_PUBLIC_KEY_FILE": pub, "KAIDIAN_WECHATPAY_PLATFORM_CERTS": "auto"}), PlatformCertsAuto},
		{"nothing to verify with", with(map[string]string{"KAIDIAN_WECHATPAY_PLATFORM_CERTS": "off"}), ""},
		{"unknown value", with(map[string]string{"KAIDIAN_WECHATPAY_PLATFORM_CERTS": "yes"}), ""},
		{"sandbox", nil, PlatformCertsOff},
		{"sandbox in certificate mode", map[string]string{"KAIDIAN_SANDBOX_PAY_MODE": "certificate"}, PlatformCertsAuto},
		{"sandbox migration", map[string]string{"KAIDIAN_WECHATPAY_PLATFORM_CERTS": "auto"}, PlatformCertsAuto},
	} {
		c, err := parse(env(tc.env))
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: accepted (%q)", tc.name, c.PayPlatformCerts)
		case tc.want != "" && (err != nil || c.PayPlatformCerts != tc.want):
			t.Errorf("%s: %q, %v; want %q", tc.name, c.PayPlatformCerts, err, tc.want)
		}
	}
}
