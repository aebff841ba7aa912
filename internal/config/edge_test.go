package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCatalogCacheAndRateLimitDefaults(t *testing.T) {
	c, err := parse(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.CatalogCacheTTL != time.Second || c.RateClient != 100 || c.RateShopper != 5 || c.TrustedProxies != nil {
		t.Fatalf("defaults: ttl %v client %v shopper %v proxies %v", c.CatalogCacheTTL, c.RateClient, c.RateShopper, c.TrustedProxies)
	}
}

func TestCatalogCacheAndRateLimitValues(t *testing.T) {
	c, err := parse(env(map[string]string{
		"KAIDIAN_CATALOG_CACHE_TTL": "0", "KAIDIAN_RATE_CLIENT": "0", "KAIDIAN_RATE_SHOPPER": "0.5",
		"KAIDIAN_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.7 ,fd00::/8,",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.CatalogCacheTTL != 0 || c.RateClient != 0 || c.RateShopper != 0.5 ||
		!slices.Equal(c.TrustedProxies, []string{"10.0.0.0/8", "192.168.1.7", "fd00::/8"}) {
		t.Fatalf("got ttl %v client %v shopper %v proxies %q", c.CatalogCacheTTL, c.RateClient, c.RateShopper, c.TrustedProxies)
	}
	c, err = parse(env(map[string]string{"KAIDIAN_CATALOG_CACHE_TTL": "250ms", "KAIDIAN_RATE_CLIENT": "2500"}))
	if err != nil || c.CatalogCacheTTL != 250*time.Millisecond || c.RateClient != 2500 {
		t.Fatalf("got %v %v %v", err, c.CatalogCacheTTL, c.RateClient)
	}
}

func TestCatalogCacheAndRateLimitRejects(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"KAIDIAN_CATALOG_CACHE_TTL", "-1s"},
		{"KAIDIAN_CATALOG_CACHE_TTL", "soon"},
		{"KAIDIAN_RATE_CLIENT", "-1"},
		{"KAIDIAN_RATE_CLIENT", "fast"},
		{"KAIDIAN_RATE_SHOPPER", "NaN"},
		{"KAIDIAN_RATE_SHOPPER", "+Inf"},
		{"KAIDIAN_TRUSTED_PROXIES", "10.0.0.0/8,lb.internal"},
		{"KAIDIAN_TRUSTED_PROXIES", "10.0.0.0/33"},
	} {
		_, err := parse(env(map[string]string{tc.name: tc.value}))
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s=%q: err = %v, want one naming the variable", tc.name, tc.value, err)
		}
	}
}
