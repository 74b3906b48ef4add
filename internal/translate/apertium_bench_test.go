package translate

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func benchInput(b *testing.B) ([]string, int) {
	data, err := os.ReadFile("testdata/news.es")
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	// Repeat the sample so each iteration is a realistic batch.
	var all []string
	for range 20 {
		all = append(all, lines...)
	}
	return all, len(strings.Fields(strings.Join(all, " ")))
}

// BenchmarkApertiumKeptAlive translates through the kept-alive pipeline,
// one segment per line, with no cache.
func BenchmarkApertiumKeptAlive(b *testing.B) {
	a := apertiumOrSkip(b)
	lines, words := benchInput(b)
	segs := make([]Segment, len(lines))
	for i, l := range lines {
		segs[i] = Segment{{Kind: Text, Text: l}}
	}
	if _, err := a.Translate(context.Background(), esEn, segs[:1]); err != nil { // start-up outside the timing
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := a.Translate(context.Background(), esEn, segs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(words*b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkApertiumRaw runs the same text through `apertium -u spa-eng`
// in one batch, as a script would (start-up included).
func BenchmarkApertiumRaw(b *testing.B) {
	apertiumOrSkip(b)
	if _, err := exec.LookPath("apertium"); err != nil {
		b.Skip("no apertium command")
	}
	lines, words := benchInput(b)
	in := strings.Join(lines, "\n") + "\n"
	b.ResetTimer()
	for range b.N {
		cmd := exec.Command("apertium", "-u", "spa-eng")
		cmd.Stdin = strings.NewReader(in)
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(words*b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkServiceCached is a re-processed, unchanged article: no backend work.
func BenchmarkServiceCached(b *testing.B) {
	lines, words := benchInput(b)
	f := &fakeBackend{}
	s := &Service{Backend: f, Cache: &MemoryCache{}}
	text := strings.Join(lines, "\n")
	if _, err := s.TranslateText(context.Background(), esEn, text); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := s.TranslateText(context.Background(), esEn, text); err != nil {
			b.Fatal(err)
		}
	}
	if f.calls.Load() != 1 {
		b.Fatalf("backend called %d times", f.calls.Load())
	}
	b.ReportMetric(float64(words*b.N)/b.Elapsed().Seconds(), "words/s")
}
