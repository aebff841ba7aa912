package auth

// Remembered is how many verified tokens t keeps (tests of the bound).
func (t *Tokens) Remembered() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.verified)
}

// MaxVerified is the bound on the tokens kept.
const MaxVerified = maxVerified
