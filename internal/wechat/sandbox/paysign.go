package sandbox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// authScheme is the only signature scheme WeChat Pay v3 accepts.
const authScheme = "WECHATPAY2-SHA256-RSA2048"

// maxClockSkew is WeChat's window for request and response timestamps.
const maxClockSkew = 5 * time.Minute

var errSign = errors.New("signature")

// verifyMerchant checks a request's Authorization header as WeChat Pay does
// (WeChat Pay's signature documentation): the merchant and certificate serial are ours, the
// timestamp is fresh, and the SHA256withRSA signature over
// METHOD\nURI\nTIMESTAMP\nNONCE\nBODY\n verifies with the merchant's public
// key. uris are the request URIs the merchant may have signed: a client
// pointed at http://host/sandbox/ signs the path it requests, one that
// rewrites WeChat's URL (wxpay.Redirect) signs the path without the mount
// point; either verifies, as either is a signature by the merchant's key.
func (p *pay) verifyMerchant(r *http.Request, uris []string, body []byte) error {
	h, ok := strings.CutPrefix(r.Header.Get("Authorization"), authScheme+" ")
	if !ok {
		return errSign
	}
	f := map[string]string{}
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return errSign
		}
		f[k] = strings.Trim(v, `"`)
	}
	ts, err := strconv.ParseInt(f["timestamp"], 10, 64)
	if err != nil || f["nonce_str"] == "" || f["mchid"] != p.keys.MchID ||
		// WeChat's serials are upper-case hex; tools that copy one from a
		// file or a certificate in lower case name the same certificate.
		!strings.EqualFold(f["serial_no"], p.keys.MerchantSerial) {
		return errSign
	}
	if skew := p.now().Sub(time.Unix(ts, 0)); skew > maxClockSkew || skew < -maxClockSkew {
		return errSign
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	if err != nil {
		return errSign
	}
	for _, uri := range uris {
		msg := r.Method + "\n" + uri + "\n" + f["timestamp"] + "\n" + f["nonce_str"] + "\n" + string(body) + "\n"
		sum := sha256.Sum256([]byte(msg))
		if rsa.VerifyPKCS1v15(&p.keys.MerchantKey.PublicKey, crypto.SHA256, sum[:], sig) == nil {
			return nil
		}
	}
	return errSign
}

// sign returns WeChat Pay's signature headers for a body: SHA256withRSA with
// the platform key over TIMESTAMP\nNONCE\nBODY\n (§2.2), naming the
// public-key id or the certificate serial the merchant verifies with.
func (p *pay) sign(body []byte) http.Header {
	ts := strconv.FormatInt(p.now().Unix(), 10)
	nonce := randomToken(16)
	sum := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.keys.PlatformKey, crypto.SHA256, sum[:])
	if err != nil {
		panic("sandbox: sign: " + err.Error()) // only fails on a broken key
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", ts)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("Wechatpay-Serial", p.serial())
	h.Set("Wechatpay-Signature-Type", authScheme)
	h.Set("Request-ID", randomToken(12))
	return h
}

// reply writes a signed answer; status 204 has no body.
func (p *pay) reply(w http.ResponseWriter, status int, v any) {
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	for k, vs := range p.sign(body) {
		w.Header()[k] = vs
	}
	if len(body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	w.Write(body)
}

// fail answers with WeChat's error body {"code","message"} (§2.10).
func (p *pay) fail(w http.ResponseWriter, status int, code, message string) {
	p.reply(w, status, map[string]string{"code": code, "message": message})
}

// refuse answers an error unsigned, as WeChat does for requests whose
// signature has not verified (401 SIGN_ERROR and anything refused before
// the check): signing answers to unauthenticated callers would hand anyone
// platform signatures over bodies of their choosing. Like WeChat it still
// names the request with Request-ID.
func (p *pay) refuse(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]string{"code": code, "message": message})
	w.Header().Set("Request-ID", randomToken(12))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}
