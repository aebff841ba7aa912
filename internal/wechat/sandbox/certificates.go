package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
)

// PayMode is the name the sandbox's WeChat Pay signs under, in
// Wechatpay-Serial; the merchant's verifier must know that name
// (WeChat Pay's guide to platform certificates and the public key). The key behind both names is the same.
type PayMode string

const (
	// PublicKeyMode signs as the WeChat Pay public key, PUB_KEY_ID_…: what
	// WeChat gives new merchants.
	PublicKeyMode PayMode = "public_key"
	// CertificateMode signs as the platform certificate, by its serial
	// number, as WeChat does for merchants that download /v3/certificates.
	CertificateMode PayMode = "certificate"
)

// SetPayMode chooses the name answers and notifications are signed under
// (PublicKeyMode unless told otherwise); other values are ignored. It may be
// called while the sandbox serves: what is signed afterwards, including
// notifications already queued, is signed in the new mode, as when WeChat
// moves a merchant from certificates to the public key.
func (s *Server) SetPayMode(m PayMode) {
	if s.pay != nil && (m == PublicKeyMode || m == CertificateMode) {
		s.pay.mode.Store(m)
	}
}

// setPayMode: POST /sandbox/wxpay/mode {"mode": "public_key"|"certificate"}
// switches the signing mode at run time (this process only; each replica
// keeps its own).
func (p *pay) setPayMode(c *gin.Context) {
	var in struct {
		Mode PayMode `json:"mode"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || (in.Mode != PublicKeyMode && in.Mode != CertificateMode) {
		c.JSON(http.StatusBadRequest, gin.H{"error": gin.H{"code": "invalid_field", "message": `send {"mode": "public_key" or "certificate"}`}})
		return
	}
	p.mode.Store(in.Mode)
	c.JSON(http.StatusOK, gin.H{"mode": in.Mode, "serial": p.serial()})
}

// serial is what Wechatpay-Serial says on everything the sandbox signs.
func (p *pay) serial() string {
	if m, _ := p.mode.Load().(PayMode); m == CertificateMode {
		return p.keys.PlatformCertSerial
	}
	return p.keys.PublicKeyID
}

// certificates: GET /v3/certificates, the platform certificates with each
// PEM sealed under the APIv3 key (§2.3). It answers in both modes, as WeChat
// keeps serving certificates to merchants migrating to the public key.
func (p *pay) certificates(c *gin.Context) {
	cert := p.keys.PlatformCert
	plain := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	p.reply(c.Writer, http.StatusOK, map[string]any{"data": []map[string]any{{
		"serial_no":           p.keys.PlatformCertSerial,
		"effective_time":      cert.NotBefore.In(clock.China).Format(time.RFC3339),
		"expire_time":         cert.NotAfter.In(clock.China).Format(time.RFC3339),
		"encrypt_certificate": p.seal(plain, "certificate"),
	}}})
}

// certificateSerial writes a serial number as WeChat does, and as the SDK
// compares it: upper-case hex of its bytes (utils.GetCertificateSerialNumber).
func certificateSerial(cert *x509.Certificate) string {
	return fmt.Sprintf("%X", cert.SerialNumber.Bytes())
}

// loadOrCreateCertificate reads the platform certificate at path, or
// self-signs one for key when there is none (key dirs made before
// certificate mode existed get theirs on their next start).
func loadOrCreateCertificate(path string, key *rsa.PrivateKey) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		der, err := selfSign(key)
		if err != nil {
			return nil, fmt.Errorf("sandbox keys: certificate: %w", err)
		}
		if err := writeIfAbsent(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
			return nil, err
		}
		return loadOrCreateCertificate(path, key) // another process may have won the race: use what is on disk
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox keys: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("sandbox keys: %s is not a PEM certificate", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sandbox keys: %s: %w", path, err)
	}
	// A certificate left over from a replaced key would make every signature
	// fail to verify, far from the cause; say so here instead.
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return nil, fmt.Errorf("sandbox keys: %s is not for %s; delete it to have a new one made", path, platformKeyPEM)
	}
	return cert, nil
}

// selfSign makes a platform certificate for key. The serial is 20 random
// bytes, positive and with a non-zero first byte, so that it prints as 40
// hex digits like WeChat's.
func selfSign(key *rsa.PrivateKey) ([]byte, error) {
	serial := randomBytes(20)
	serial[0] = serial[0]&0x7f | 0x40
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(serial),
		Subject:      pkix.Name{CommonName: "Kaidian sandbox WeChat Pay platform certificate", Organization: []string{"Kaidian sandbox"}},
		NotBefore:    now.Add(-time.Hour), // tolerate a merchant clock slightly behind
		NotAfter:     now.AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	return x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
}
