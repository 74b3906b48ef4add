package translate

import (
	"fmt"
	"strings"
	"time"
)

// BackendNames lists the backends BackendFromEnv knows.
func BackendNames() []string { return []string{"apertium", "apy", "libretranslate", "openai"} }

// BackendFromEnv builds a backend by name, configured from environment
// variables:
//
//	apertium        NEWSDESK_APERTIUM_MODES (default /usr/share/apertium/modes),
//	                NEWSDESK_APERTIUM_PLAIN=1 turns off its case and cognate fixes (to measure them)
//	apy             NEWSDESK_APY_URL (default http://127.0.0.1:2737)
//	libretranslate  NEWSDESK_LIBRETRANSLATE_URL (default http://127.0.0.1:5000), NEWSDESK_LIBRETRANSLATE_KEY
//	openai          NEWSDESK_OPENAI_URL (default http://127.0.0.1:8080/v1), NEWSDESK_OPENAI_MODEL, NEWSDESK_OPENAI_KEY
func BackendFromEnv(name string, getenv func(string) string) (Backend, error) {
	or := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	switch strings.ToLower(name) {
	case "apertium":
		plain := getenv("NEWSDESK_APERTIUM_PLAIN") == "1"
		return &Apertium{ModesDir: getenv("NEWSDESK_APERTIUM_MODES"), NoCaseFix: plain, NoCognates: plain}, nil
	case "apy":
		return &APY{BaseURL: or("NEWSDESK_APY_URL", "http://127.0.0.1:2737")}, nil
	case "libretranslate":
		return &LibreTranslate{BaseURL: or("NEWSDESK_LIBRETRANSLATE_URL", "http://127.0.0.1:5000"), APIKey: getenv("NEWSDESK_LIBRETRANSLATE_KEY")}, nil
	case "openai":
		return &OpenAI{BaseURL: or("NEWSDESK_OPENAI_URL", "http://127.0.0.1:8080/v1"), Model: getenv("NEWSDESK_OPENAI_MODEL"), APIKey: getenv("NEWSDESK_OPENAI_KEY"), Timeout: 2 * time.Minute}, nil
	}
	return nil, fmt.Errorf("translate: unknown backend %q (known: %s)", name, strings.Join(BackendNames(), ", "))
}
