package webhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/wechat/sandbox"
)

// forge builds a payment notification the way WeChat Pay does, with each
// ingredient (signing key, encryption key, time) chosen by the test.
type forge struct {
	signKey  *rsa.PrivateKey
	serial   string
	apiV3Key string
	at       time.Time
}

func (f forge) notification(t *testing.T, id string, resource map[string]any) (body []byte) {
	t.Helper()
	plain, _ := json.Marshal(resource)
	block, err := aes.NewCipher([]byte(f.apiV3Key))
	if err != nil {
		t.Fatal(err)
	}
	gcm, _ := cipher.NewGCM(block)
	nonce := "0123456789ab"
	body, _ = json.Marshal(map[string]any{
		"id": id, "create_time": f.at.Format(time.RFC3339), "event_type": "TRANSACTION.SUCCESS",
		"resource_type": "encrypt-resource", "summary": "支付成功",
		"resource": map[string]string{"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
			"associated_data": "transaction", "nonce": nonce,
			"ciphertext": base64.StdEncoding.EncodeToString(gcm.Seal(nil, []byte(nonce), plain, []byte("transaction")))},
	})
	return body
}

func (f forge) headers(t *testing.T, body []byte) http.Header {
	t.Helper()
	ts, nonce := strconv.FormatInt(f.at.Unix(), 10), "n0nce"
	sum := sha256.Sum256([]byte(ts + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.signKey, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Wechatpay-Timestamp", ts)
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("Wechatpay-Serial", f.serial)
	return h
}

// unpaid places an order and returns its number, the resource of a genuine
// WeChat Pay notification paying it, and the genuine signing recipe.
func unpaid(t *testing.T, e *apptest.Env) (no string, resource map[string]any, genuine forge) {
	t.Helper()
	keys, err := sandbox.LoadOrCreatePayKeys(e.App.Config.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	sku := e.Product(t, apptest.SKU{Price: 2990, Stock: 3}).SKUs[0].ID
	tok := e.Login("alice")
	addr := int64(e.Post("/api/v1/addresses", tok, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"].(float64))
	o := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr}).JSON(t)
	no, amount := o["order_no"].(string), o["pay_amount"].(float64)
	resource = map[string]any{"appid": sandbox.AppID, "mchid": keys.MchID, "out_trade_no": no,
		"transaction_id": "4200000000202611230000000001", "trade_type": "JSAPI", "trade_state": "SUCCESS",
		"trade_state_desc": "支付成功", "bank_type": "OTHERS", "success_time": time.Now().Format(time.RFC3339),
		"payer": map[string]string{"openid": "o-sandbox-alice"}, "amount": map[string]any{"total": amount, "payer_total": amount, "currency": "CNY"}}
	return no, resource, forge{signKey: keys.PlatformKey, serial: keys.PublicKeyID, apiV3Key: keys.APIv3Key, at: time.Now()}
}

func send(t *testing.T, url string, h http.Header, body []byte) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header = h
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// Kaidian's notify handler accepts a notification made exactly as WeChat
// makes it, and refuses with 401, changing nothing, one signed with another
// key, altered after signing, stale, or encrypted with another APIv3 key.
func TestForgedNotificationsAreRefused(t *testing.T) {
	e := apptest.Start(t)
	no, resource, genuine := unpaid(t, e)
	url := e.URL + "/wechatpay/notify/transactions"

	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	wrongSigner, stale, wrongCipher := genuine, genuine, genuine
	wrongSigner.signKey = otherKey
	stale.at = time.Now().Add(-10 * time.Minute)
	wrongCipher.apiV3Key = "ffffffffffffffffffffffffffffffff"
	for name, f := range map[string]forge{"signed with another key": wrongSigner, "stale": stale, "encrypted with another key": wrongCipher} {
		body := f.notification(t, "EV-"+name, resource)
		if s := send(t, url, f.headers(t, body), body).StatusCode; s != http.StatusUnauthorized {
			t.Errorf("%s: answered %d", name, s)
		}
	}
	body := genuine.notification(t, "EV-altered", resource)
	h := genuine.headers(t, body)
	altered := bytes.Replace(body, []byte("EV-altered"), []byte("EV-altereD"), 1)
	if s := send(t, url, h, altered).StatusCode; s != http.StatusUnauthorized {
		t.Errorf("altered body: answered %d", s)
	}

	db := e.App.DB.Conn(context.Background())
	var status string
	var recorded int64
	db.Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&status)
	db.Raw("SELECT COUNT(*) FROM payment_notifications").Scan(&recorded)
	if status != "pending_payment" || recorded != 0 {
		t.Fatalf("after forgeries: order %s, %d notifications recorded", status, recorded)
	}

	// The control: the same recipe with the genuine ingredients is accepted.
	body = genuine.notification(t, "EV-genuine", resource)
	if s := send(t, url, genuine.headers(t, body), body).StatusCode; s != http.StatusNoContent {
		t.Fatalf("genuine notification answered %d", s)
	}
	db.Raw("SELECT status FROM orders WHERE order_no = ?", no).Scan(&status)
	if status != "paid" {
		t.Fatalf("genuine notification left the order %s", status)
	}
}
