package auth

// Login exchanges a wx.login code for a shopper token. (Being built.)
type Login struct{}
