package translate

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var reTag = regexp.MustCompile(`<[^>]+>`)

// translateMarkup translates the text between tags and keeps the tags, as
// every HTML-aware engine does.
func translateMarkup(s string) string {
	var b strings.Builder
	at := 0
	for _, m := range reTag.FindAllStringIndex(s, -1) {
		b.WriteString(wordForWord(s[at:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		at = m[1]
	}
	b.WriteString(wordForWord(s[at:]))
	return b.String()
}

const linkHTML = `<p>El presidente <a href="https://example.org/amlo">López Obrador</a> y el secretario <a href="https://example.org/blinken">Blinken</a> se reunió en la <span translate="no">casa</span>.</p>`

func checkLinks(t *testing.T, out string) {
	t.Helper()
	for _, want := range []string{
		`<a href="https://example.org/amlo">López Obrador</a> and`,
		`<a href="https://example.org/blinken">Blinken</a> met`,
		`<span translate="no">casa</span>`,
		"The president",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "data-nd") {
		t.Errorf("placeholder attributes leaked: %s", out)
	}
}

func TestAPY(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/listPairs":
			w.Write([]byte(`{"responseData":[{"sourceLanguage":"spa","targetLanguage":"eng"}],"responseDetails":null,"responseStatus":200}`))
		case "/translate":
			r.ParseForm()
			if r.Form.Get("langpair") != "spa|eng" || r.Form.Get("markUnknown") != "no" {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"status":"error","code":400,"message":"That pair is not installed"}`))
				return
			}
			q := r.Form.Get("q")
			if strings.Contains(q, "href") {
				t.Errorf("APY got real markup: %s", q)
			}
			json.NewEncoder(w).Encode(map[string]any{
				"responseData": map[string]string{"translatedText": translateMarkup(q)}, "responseDetails": nil, "responseStatus": 200,
			})
		}
	}))
	defer srv.Close()
	a := &APY{BaseURL: srv.URL}
	pairs, err := a.Pairs(context.Background())
	if err != nil || len(pairs) != 1 || pairs[0] != "spa-eng" {
		t.Fatalf("pairs %v, %v", pairs, err)
	}
	s := &Service{Backend: a, Rules: []Rule{}}
	out, err := s.TranslateHTML(context.Background(), esEn, linkHTML)
	if err != nil {
		t.Fatal(err)
	}
	checkLinks(t, out)
	// A protected name travels as a made-up word and comes back whole.
	if out, err := s.TranslateText(context.Background(), esEn, "Pedro Sánchez dijo hola"); err != nil || out != "Pedro Sánchez said hello" {
		t.Errorf("name through APY: %q, %v", out, err)
	}
	_, err = s.TranslateText(context.Background(), Pair{"fr", "en"}, "Bonjour")
	if !errors.Is(err, ErrUnsupportedPair) || !isPermanent(err) {
		t.Errorf("unsupported pair: %v", err)
	}
}

func TestLibreTranslate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Q              []string `json:"q"`
			Source, Target string
			Format         string
			APIKey         string `json:"api_key"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/translate" || json.NewDecoder(r.Body).Decode(&req) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if req.APIKey != "k" {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"error":"Invalid API key"}`))
			return
		}
		if req.Source != "es" || req.Target != "en" || req.Format != "html" {
			t.Errorf("request %+v", req)
		}
		out := make([]string, len(req.Q))
		for i, q := range req.Q {
			out[i] = translateMarkup(q)
		}
		json.NewEncoder(w).Encode(map[string]any{"translatedText": out})
	}))
	defer srv.Close()
	s := &Service{Backend: &LibreTranslate{BaseURL: srv.URL, APIKey: "k"}, Rules: []Rule{}}
	out, err := s.TranslateHTML(context.Background(), esEn, linkHTML+"<p>Hola mundo.</p>")
	if err != nil {
		t.Fatal(err)
	}
	checkLinks(t, out)
	if !strings.Contains(out, "<p>Hello world.</p>") {
		t.Errorf("second paragraph: %s", out)
	}
	bad := &Service{Backend: &LibreTranslate{BaseURL: srv.URL, APIKey: "wrong"}}
	if _, err := bad.TranslateText(context.Background(), esEn, "Hola"); !isPermanent(err) {
		t.Errorf("403 should be permanent: %v", err)
	}
}

func TestOpenAICompatible(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string
			Messages []struct{ Role, Content string }
		}
		if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) != 2 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if r.Header.Get("Authorization") != "Bearer sk-test" || req.Model != "m" {
			t.Errorf("auth %q model %q", r.Header.Get("Authorization"), req.Model)
		}
		if !strings.Contains(req.Messages[0].Content, "from Spanish into English") {
			t.Errorf("system prompt: %s", req.Messages[0].Content)
		}
		// Models like to wrap answers in fences.
		answer := "```html\n" + translateMarkup(req.Messages[1].Content) + "\n```"
		json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": answer}}}})
	}))
	defer srv.Close()
	s := &Service{Backend: &OpenAI{BaseURL: srv.URL + "/v1", Model: "m", APIKey: "sk-test"}, Rules: []Rule{}}
	out, err := s.TranslateHTML(context.Background(), esEn, linkHTML)
	if err != nil {
		t.Fatal(err)
	}
	checkLinks(t, out)
}

func TestDecodeHTMLNeverTrustsBackendMarkup(t *testing.T) {
	src := Segment{{Kind: Text, Text: "Mira "}, {Kind: Open, HTML: `<a href="/ok">`}, {Kind: Text, Text: "esto"}, {Kind: Close, HTML: "</a>"}, {Kind: Keep, Text: "EFE"}}
	// The engine injects a script, rewrites the link and drops the protected span.
	out := decodeHTML(`Look at <a data-nd="1" href="javascript:alert(1)">this</a><script>alert(1)</script> <img src=x onerror=alert(1)>`, src, true)
	got := segmentHTML(out, "")
	want := `Look at <a href="/ok">this</a>alert(1) EFE`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// flaky fails n times, then works.
type flaky struct {
	n     atomic.Int64
	fails int64
	err   error
}

func (f *flaky) Name() string { return "flaky" }
func (f *flaky) Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	if f.n.Add(1) <= f.fails {
		return nil, f.err
	}
	return segs, nil
}

func noSleep(context.Context, time.Duration) error { return nil }

func TestReliableRetriesThenSucceeds(t *testing.T) {
	f := &flaky{fails: 2, err: errors.New("503")}
	r := Reliable(f, Policy{Sleep: noSleep})
	if _, err := r.Translate(context.Background(), esEn, []Segment{{{Kind: Text, Text: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if f.n.Load() != 3 {
		t.Errorf("%d attempts, want 3", f.n.Load())
	}
	p := &flaky{fails: 100, err: Permanent(errors.New("400"))}
	if _, err := Reliable(p, Policy{Sleep: noSleep}).Translate(context.Background(), esEn, nil); err == nil || p.n.Load() != 1 {
		t.Errorf("permanent error retried: %d attempts, %v", p.n.Load(), err)
	}
}

func TestCircuitBreaker(t *testing.T) {
	now := time.Unix(1000, 0)
	f := &flaky{fails: 1 << 40, err: errors.New("down")}
	r := Reliable(f, Policy{Attempts: 1, MaxFailures: 3, Cooldown: time.Minute, Sleep: noSleep, Now: func() time.Time { return now }})
	for range 3 {
		r.Translate(context.Background(), esEn, nil)
	}
	if _, err := r.Translate(context.Background(), esEn, nil); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("after 3 failures: %v, want circuit open", err)
	}
	if f.n.Load() != 3 {
		t.Errorf("open circuit still called the backend: %d calls", f.n.Load())
	}
	now = now.Add(2 * time.Minute) // half-open: one probe goes through
	f.fails = 0
	if _, err := r.Translate(context.Background(), esEn, nil); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if _, err := r.Translate(context.Background(), esEn, nil); err != nil {
		t.Errorf("closed again: %v", err)
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	defer srv.Close()
	defer close(done)
	r := Reliable(&LibreTranslate{BaseURL: srv.URL}, Policy{Timeout: 50 * time.Millisecond, Attempts: 2, Sleep: noSleep})
	_, err := r.Translate(context.Background(), esEn, []Segment{{{Kind: Text, Text: "Hola"}}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
}
