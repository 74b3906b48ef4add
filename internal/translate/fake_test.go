package translate

import (
	"context"
	"strings"
	"sync/atomic"
)

// dict is a word-for-word "translation" good enough to see where words go.
var dict = map[string]string{
	"el": "the", "la": "the", "presidente": "president", "de": "of", "y": "and",
	"secretario": "secretary", "se": "", "reunió": "met", "con": "with", "hola": "hello",
	"mundo": "world", "en": "in", "casa": "house", "blanca": "white", "dijo": "said",
}

func wordForWord(s string) string {
	var b strings.Builder
	word := strings.Builder{}
	flush := func() {
		w := word.String()
		word.Reset()
		if w == "" {
			return
		}
		t, ok := dict[strings.ToLower(w)]
		if !ok {
			b.WriteString(w)
			return
		}
		if w[0] >= 'A' && w[0] <= 'Z' {
			t = upperFirst(t)
		}
		b.WriteString(t)
	}
	for _, r := range s {
		if r == ' ' || r == ',' || r == '.' || r == '\n' || r == '"' {
			flush()
			b.WriteRune(r)
			continue
		}
		word.WriteRune(r)
	}
	flush()
	return strings.ReplaceAll(b.String(), "  ", " ")
}

// fakeBackend translates Text parts word for word and counts its work.
type fakeBackend struct {
	calls, segs atomic.Int64
	err         error
}

func (f *fakeBackend) Name() string { return "fake" }

func (f *fakeBackend) Translate(_ context.Context, _ Pair, segs []Segment) ([]Segment, error) {
	f.calls.Add(1)
	if f.err != nil {
		return nil, f.err
	}
	f.segs.Add(int64(len(segs)))
	out := make([]Segment, len(segs))
	for i, s := range segs {
		for _, p := range s {
			if p.Kind == Text {
				p.Text = wordForWord(p.Text)
			}
			out[i] = append(out[i], p)
		}
	}
	return out, nil
}
