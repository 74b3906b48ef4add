package translate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// httpClient is shared by the HTTP backends: no redirects to elsewhere
// matter here, but a bounded body does.
var defaultHTTPClient = &http.Client{Timeout: 2 * time.Minute}

const maxAnswer = 8 << 20

// doJSON sends req and decodes a JSON answer into v. 5xx and 429 answers
// are retryable; other 4xx are permanent.
func doJSON(client *http.Client, req *http.Request, name string, v any) error {
	if client == nil {
		client = defaultHTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("%s: unable to read answer: %w", name, err)
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("%s: %s: %s", name, resp.Status, strings.TrimSpace(string(body[:min(len(body), 300)])))
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusRequestTimeout {
			return Permanent(err)
		}
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: bad answer: %w", name, err)
	}
	return nil
}

// eachSegment runs f over segs with at most n at a time, stopping at the
// first error.
func eachSegment(ctx context.Context, segs []Segment, n int, f func(ctx context.Context, i int, s Segment) (Segment, error)) ([]Segment, error) {
	out := make([]Segment, len(segs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i, s := range segs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r, err := f(ctx, i, s)
			if err != nil {
				once.Do(func() { first = err; cancel() })
				return
			}
			out[i] = r
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// APY is an Apertium APY server (apertium-apy): GET
// /translate?langpair=spa|eng&q=...&markUnknown=no. Segments travel as HTML
// with empty placeholder elements, which APY's HTML deformatter keeps in place.
type APY struct {
	BaseURL     string // e.g. http://127.0.0.1:2737
	Client      *http.Client
	Concurrency int // requests in flight; 4 when zero
}

// Name implements Backend.
func (a *APY) Name() string { return "apy" }

func apyCode(lang string) string {
	if c := iso3[lang]; c != "" {
		return c
	}
	return lang
}

// Translate implements Backend.
func (a *APY) Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	conc := a.Concurrency
	if conc == 0 {
		conc = 4
	}
	return eachSegment(ctx, segs, conc, func(ctx context.Context, _ int, s Segment) (Segment, error) {
		form := url.Values{
			"langpair":    {apyCode(p.From) + "|" + apyCode(p.To)},
			"q":           {encodeHTML(s, false)},
			"markUnknown": {"no"},
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(a.BaseURL, "/")+"/translate", strings.NewReader(form.Encode()))
		if err != nil {
			return nil, Permanent(fmt.Errorf("apy: %w", err))
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var ans struct {
			ResponseData struct {
				TranslatedText string `json:"translatedText"`
			} `json:"responseData"`
			ResponseStatus  int    `json:"responseStatus"`
			ResponseDetails string `json:"responseDetails"`
			Message         string `json:"message"`
		}
		if err := doJSON(a.Client, req, "apy", &ans); err != nil {
			if strings.Contains(err.Error(), "400 Bad Request") && strings.Contains(strings.ToLower(err.Error()), "pair") {
				return nil, fmt.Errorf("%w: %w", err, ErrUnsupportedPair)
			}
			return nil, err
		}
		if ans.ResponseStatus != 0 && ans.ResponseStatus != http.StatusOK {
			return nil, fmt.Errorf("apy: status %d: %s%s", ans.ResponseStatus, ans.ResponseDetails, ans.Message)
		}
		return decodeHTML(ans.ResponseData.TranslatedText, s, false), nil
	})
}

// Pairs lists the server's pairs (/listPairs) as ISO 639-3 "spa-eng".
func (a *APY) Pairs(ctx context.Context) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(a.BaseURL, "/")+"/listPairs", nil)
	if err != nil {
		return nil, fmt.Errorf("apy: %w", err)
	}
	var ans struct {
		ResponseData []struct {
			Source string `json:"sourceLanguage"`
			Target string `json:"targetLanguage"`
		} `json:"responseData"`
	}
	if err := doJSON(a.Client, req, "apy", &ans); err != nil {
		return nil, err
	}
	var out []string
	for _, p := range ans.ResponseData {
		out = append(out, p.Source+"-"+p.Target)
	}
	return out, nil
}

// LibreTranslate is a LibreTranslate server: POST /translate
// {q: [...], source, target, format: "html", api_key}.
type LibreTranslate struct {
	BaseURL string // e.g. http://127.0.0.1:5000
	APIKey  string
	Client  *http.Client
}

// Name implements Backend.
func (l *LibreTranslate) Name() string { return "libretranslate" }

// Translate implements Backend. All segments go in one request.
func (l *LibreTranslate) Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	q := make([]string, len(segs))
	for i, s := range segs {
		q[i] = encodeHTML(s, true)
	}
	body := map[string]any{"q": q, "source": p.From, "target": p.To, "format": "html"}
	if l.APIKey != "" {
		body["api_key"] = l.APIKey
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(l.BaseURL, "/")+"/translate", bytes.NewReader(b))
	if err != nil {
		return nil, Permanent(fmt.Errorf("libretranslate: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	var ans struct {
		TranslatedText json.RawMessage `json:"translatedText"`
	}
	if err := doJSON(l.Client, req, "libretranslate", &ans); err != nil {
		return nil, err
	}
	var texts []string
	if err := json.Unmarshal(ans.TranslatedText, &texts); err != nil {
		var one string
		if err2 := json.Unmarshal(ans.TranslatedText, &one); err2 != nil {
			return nil, fmt.Errorf("libretranslate: bad translatedText: %w", err)
		}
		texts = []string{one}
	}
	if len(texts) != len(segs) {
		return nil, fmt.Errorf("libretranslate: %d translations for %d texts", len(texts), len(segs))
	}
	out := make([]Segment, len(segs))
	for i, t := range texts {
		out[i] = decodeHTML(t, segs[i], true)
	}
	return out, nil
}

// OpenAI is any server with OpenAI's chat-completions API (llama.cpp's
// server, vLLM, Ollama, ...): POST {BaseURL}/chat/completions.
type OpenAI struct {
	BaseURL     string // e.g. http://127.0.0.1:8080/v1
	Model       string
	APIKey      string
	Client      *http.Client
	Timeout     time.Duration
	Concurrency int // requests in flight; 2 when zero
}

// Name implements Backend.
func (o *OpenAI) Name() string { return "openai" }

// OpenAIPrompt is the system prompt; %s are the source and target language names.
const OpenAIPrompt = `You are a professional news translator. Translate the HTML fragment the user sends from %s into %s.
Rules: keep every HTML element and its data-nd attribute exactly, around the words it wraps; translate only the text;
copy the content of elements with translate="no" unchanged; keep names of people, organisations and places, numbers,
dates and URLs as they are; answer with the translated fragment only, no comments, no code fences.`

// Translate implements Backend. Each segment is one chat request.
func (o *OpenAI) Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	conc := o.Concurrency
	if conc == 0 {
		conc = 2
	}
	return eachSegment(ctx, segs, conc, func(ctx context.Context, _ int, s Segment) (Segment, error) {
		body := map[string]any{
			"model":       o.Model,
			"temperature": 0,
			"messages": []map[string]string{
				{"role": "system", "content": fmt.Sprintf(OpenAIPrompt, LanguageName(p.From), LanguageName(p.To))},
				{"role": "user", "content": encodeHTML(s, true)},
			},
		}
		b, _ := json.Marshal(body)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(o.BaseURL, "/")+"/chat/completions", bytes.NewReader(b))
		if err != nil {
			return nil, Permanent(fmt.Errorf("openai: %w", err))
		}
		req.Header.Set("Content-Type", "application/json")
		if o.APIKey != "" {
			req.Header.Set("Authorization", "Bearer "+o.APIKey)
		}
		var ans struct {
			Choices []struct {
				Message struct {
					Content string `json:"content"`
				} `json:"message"`
			} `json:"choices"`
		}
		if err := doJSON(o.Client, req, "openai", &ans); err != nil {
			return nil, err
		}
		if len(ans.Choices) == 0 {
			return nil, fmt.Errorf("openai: answer has no choices")
		}
		t := strings.TrimSpace(ans.Choices[0].Message.Content)
		t = strings.TrimPrefix(strings.TrimPrefix(t, "```html"), "```")
		t = strings.TrimSpace(strings.TrimSuffix(t, "```"))
		return decodeHTML(t, s, true), nil
	})
}
