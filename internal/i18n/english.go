package i18n

import "regexp"

// latinAllowed holds the Latin words a Chinese text may contain: names,
// formats and codes that Chinese shop software writes in Latin letters too.
// Tests use EnglishIn to find English left in Chinese pages and messages.
var latinAllowed = map[string]bool{
	"SKU": true, "CSV": true, "ID": true, "URL": true, "HTTPS": true, "https": true, "http": true,
	"PNG": true, "JPEG": true, "JPG": true, "GIF": true, "WebP": true, "KB": true, "MB": true,
	"Kaidian": true, "API": true, "JSON": true, "openid": true, "OpenID": true, "AppID": true,
	"APIv3": true, "UTF": true, "Excel": true, "QR": true, "CPU": true, "KAIDIAN": true,
	"English": true, // the language switch names each language in its own words
	"EMS":     true, // a carrier's Chinese name (shipping.Carriers)
}

var (
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
	action    = regexp.MustCompile(`{{[^}]*}}`)
	envName   = regexp.MustCompile(`KAIDIAN_[A-Z0-9_]+`)
)

// EnglishIn lists the Latin words of a Chinese text that are not on the
// allowed list (template actions and environment variable names aside).
func EnglishIn(s string) []string {
	s = action.ReplaceAllString(s, " ")
	s = envName.ReplaceAllString(s, " ")
	var out []string
	for _, w := range latinWord.FindAllString(s, -1) {
		if !latinAllowed[w] {
			out = append(out, w)
		}
	}
	return out
}
