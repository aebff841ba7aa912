package config

import "testing"

func TestMetricsSettings(t *testing.T) {
	for _, tc := range []struct {
		env         map[string]string
		addr, token string
		ok          bool
	}{
		{nil, "127.0.0.1:9090", "", true},
		{map[string]string{"KAIDIAN_METRICS_ADDR": "off"}, "", "", true},
		{map[string]string{"KAIDIAN_METRICS_ADDR": "OFF", "KAIDIAN_METRICS_TOKEN": "0123456789abcdef"}, "", "0123456789abcdef", true},
		{map[string]string{"KAIDIAN_METRICS_ADDR": "10.0.0.5:9100"}, "10.0.0.5:9100", "", true},
		{map[string]string{"KAIDIAN_METRICS_ADDR": "9090"}, "", "", false},
		{map[string]string{"KAIDIAN_METRICS_TOKEN": "short"}, "", "", false},
	} {
		c, err := parse(env(tc.env))
		if (err == nil) != tc.ok {
			t.Errorf("%v: %v", tc.env, err)
			continue
		}
		if tc.ok && (c.MetricsAddr != tc.addr || c.MetricsToken != tc.token) {
			t.Errorf("%v: addr %q token %q", tc.env, c.MetricsAddr, c.MetricsToken)
		}
	}
}
