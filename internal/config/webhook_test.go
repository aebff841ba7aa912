package config

import "testing"

func TestWebhookRate(t *testing.T) {
	c, err := parse(env(nil))
	if err != nil || c.RateWebhook != 100 {
		t.Fatalf("default KAIDIAN_RATE_WEBHOOK: %v, %v", c.RateWebhook, err)
	}
	if c, err = parse(env(map[string]string{"KAIDIAN_RATE_WEBHOOK": "0"})); err != nil || c.RateWebhook != 0 {
		t.Fatalf("KAIDIAN_RATE_WEBHOOK=0: %v, %v", c.RateWebhook, err)
	}
	if _, err = parse(env(map[string]string{"KAIDIAN_RATE_WEBHOOK": "-1"})); err == nil {
		t.Fatal("KAIDIAN_RATE_WEBHOOK=-1 accepted")
	}
}
