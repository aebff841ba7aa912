package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The merchant in sandbox mode.
const (
	MchID           = "1900000001"
	PublicKeyID     = "PUB_KEY_ID_0119000000012026112200000000000001"
	keyDirName      = "sandbox"
	merchantKeyPEM  = "merchant_key.pem"         // the merchant's API private key (PKCS#8), Kaidian signs with it
	platformKeyPEM  = "wechatpay_key.pem"        // WeChat Pay's private key (PKCS#8), the sandbox signs with it
	platformPubPEM  = "wechatpay_public_key.pem" // WeChat Pay's public key (PKIX), Kaidian verifies with it
	platformCertPEM = "wechatpay_cert.pem"       // WeChat Pay's platform certificate (self-signed), for certificate mode
	apiV3KeyFile    = "apiv3_key.txt"            // the 32-byte APIv3 key for notification encryption
	serialFile      = "merchant_serial.txt"      // the merchant certificate serial number
)

// PayKeys is what the sandbox and a sandbox-mode Kaidian share: generated at
// first start and kept under KAIDIAN_DATA_DIR/sandbox, so restarts (and a
// developer pointing their own app at `kaidian sandbox`) keep working.
type PayKeys struct {
	Dir            string
	MchID          string
	MerchantSerial string
	MerchantKey    *rsa.PrivateKey
	PlatformKey    *rsa.PrivateKey
	PublicKeyID    string
	// PlatformCert is PlatformKey's certificate, which the sandbox serves at
	// /v3/certificates; PlatformCertSerial is its serial as WeChat writes it.
	PlatformCert       *x509.Certificate
	PlatformCertSerial string
	APIv3Key           string
}

// LoadOrCreatePayKeys reads the keys from dataDir/sandbox, creating any that
// are missing. Private keys are PKCS#8, as wechatpay-go requires.
func LoadOrCreatePayKeys(dataDir string) (*PayKeys, error) {
	dir := filepath.Join(dataDir, keyDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox keys: %w", err)
	}
	k := &PayKeys{Dir: dir, MchID: MchID, PublicKeyID: PublicKeyID}
	var err error
	if k.MerchantKey, err = loadOrCreateKey(filepath.Join(dir, merchantKeyPEM)); err != nil {
		return nil, err
	}
	if k.PlatformKey, err = loadOrCreateKey(filepath.Join(dir, platformKeyPEM)); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PlatformKey.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := writeIfAbsent(filepath.Join(dir, platformPubPEM), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})); err != nil {
		return nil, err
	}
	if k.PlatformCert, err = loadOrCreateCertificate(filepath.Join(dir, platformCertPEM), k.PlatformKey); err != nil {
		return nil, err
	}
	k.PlatformCertSerial = certificateSerial(k.PlatformCert)
	if k.APIv3Key, err = loadOrCreateText(filepath.Join(dir, apiV3KeyFile), 16, strings.ToLower); err != nil {
		return nil, err
	}
	// Serials are upper-case hex, as WeChat writes them. Files written in
	// lower case by earlier versions keep working: the sandbox compares
	// serials without regard to case.
	if k.MerchantSerial, err = loadOrCreateText(filepath.Join(dir, serialFile), 20, strings.ToUpper); err != nil {
		return nil, err
	}
	k.MerchantSerial = strings.ToUpper(k.MerchantSerial)
	return k, nil
}

func loadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		if err := writeIfAbsent(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
			return nil, err
		}
		return loadOrCreateKey(path) // another process may have won the race: use what is on disk
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox keys: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("sandbox keys: %s is not PEM", path)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("sandbox keys: %s: %w", path, err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("sandbox keys: %s is not an RSA key", path)
	}
	return rk, nil
}

// loadOrCreateText returns the file's content, or writes n random bytes as
// hex in the case that letter gives (strings.ToUpper or strings.ToLower).
func loadOrCreateText(path string, n int, letter func(string) string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		r := make([]byte, n)
		rand.Read(r)
		if err := writeIfAbsent(path, []byte(letter(hex.EncodeToString(r)))); err != nil {
			return "", err
		}
		return loadOrCreateText(path, n, letter)
	}
	return strings.TrimSpace(string(b)), err
}

// writeIfAbsent puts content at path unless a file is already there. It
// writes a temporary file and hard-links it into place, so two processes
// starting at once never overwrite, or read half of, each other's keys.
func writeIfAbsent(path string, content []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("sandbox keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("sandbox keys: %w", err)
	}
	return nil
}
