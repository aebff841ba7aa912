package config

import "testing"

func TestSandboxDuplicateForm(t *testing.T) {
	for value, want := range map[string]string{"": SandboxDuplicateDocumented, "documented": SandboxDuplicateDocumented, "live": SandboxDuplicateLive} {
		c, err := parse(env(map[string]string{"KAIDIAN_SANDBOX_DUPLICATE_FORM": value}))
		if err != nil || c.SandboxDuplicateForm != want {
			t.Errorf("KAIDIAN_SANDBOX_DUPLICATE_FORM=%q: %q, %v", value, c.SandboxDuplicateForm, err)
		}
	}
	if _, err := parse(env(map[string]string{"KAIDIAN_SANDBOX_DUPLICATE_FORM": "real"})); err == nil {
		t.Error("KAIDIAN_SANDBOX_DUPLICATE_FORM=real accepted")
	}
}
