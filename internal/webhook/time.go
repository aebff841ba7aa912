package webhook

import "time"

// parseTime reads WeChat's RFC3339 times; an unreadable one becomes now, as
// the payment itself was verified.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Now().UTC()
	}
	return t.UTC()
}
