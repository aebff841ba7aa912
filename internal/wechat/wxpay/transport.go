// Package wxpay is Kaidian's WeChat Pay v3 client, built on the official
// wechatpay-go SDK.
package wxpay

import (
	"net/http"
	"net/url"
	"strings"
)

// Redirect returns a transport that sends every request, whatever host the
// SDK addressed (its API host is a constant), to base instead, keeping the
// path under base's path. The SDK signs the path and query it built, not
// the host, so signatures still verify (WeChat Pay's signature documentation); the sandbox
// strips base's path before checking them. This is the only change sandbox
// mode makes to the payment code path.
func Redirect(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return redirect{base: u, next: next}, nil
}

type redirect struct {
	base *url.URL
	next http.RoundTripper
}

func (t redirect) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	prefix := strings.TrimRight(t.base.Path, "/")
	out.URL.Scheme, out.URL.Host, out.Host = t.base.Scheme, t.base.Host, t.base.Host
	out.URL.Path = prefix + r.URL.Path
	if r.URL.RawPath != "" {
		out.URL.RawPath = prefix + r.URL.RawPath
	}
	return t.next.RoundTrip(out)
}
