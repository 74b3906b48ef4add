package media

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// macSize is how many bytes of the HMAC-SHA256 a token keeps: 128 bits is
// far beyond guessing, and keeps image addresses short.
const macSize = 16

// maxURLLen is the longest image URL the proxy signs; a longer one stays
// a link to the original.
const maxURLLen = 2048

// signer makes and checks tokens: base64url(HMAC(key, url)) "." base64url(url).
// The signature makes the proxy fetch only what our own pages asked for,
// so it cannot be used as an open relay.
type signer struct{ key []byte }

func (s signer) mac(raw string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(raw))
	return m.Sum(nil)[:macSize]
}

func (s signer) token(raw string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString(s.mac(raw)) + "." + enc.EncodeToString([]byte(raw))
}

// open checks a token and returns the URL it signs.
func (s signer) open(token string) (string, error) {
	sig, u, ok := strings.Cut(token, ".")
	if !ok {
		return "", fmt.Errorf("%w: no signature", ErrBadToken)
	}
	enc := base64.RawURLEncoding
	got, err := enc.DecodeString(sig)
	if err != nil {
		return "", fmt.Errorf("%w: signature: %v", ErrBadToken, err)
	}
	raw, err := enc.DecodeString(u)
	if err != nil {
		return "", fmt.Errorf("%w: url: %v", ErrBadToken, err)
	}
	if !hmac.Equal(got, s.mac(string(raw))) {
		return "", fmt.Errorf("%w: signature does not match", ErrBadToken)
	}
	return string(raw), nil
}

// loadKey reads the signing key from path, or makes a random one there the
// first time, so that image addresses stay valid across restarts (pages
// and browsers keep them).
func loadKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < 32 {
			return nil, fmt.Errorf("media: key %s is shorter than 32 bytes", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("media: unable to read key: %w", err)
	}
	key = make([]byte, 32)
	rand.Read(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("media: unable to make key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process made it first
		return loadKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("media: unable to create key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("media: unable to write key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("media: unable to write key: %w", err)
	}
	return key, nil
}
