package lang

import (
	"runtime"
	"testing"
	"time"
)

var five = []string{"es", "en", "fr", "de", "pt"}

func newTest(t testing.TB) *Detector {
	t.Helper()
	d, err := New(five, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDetect(t *testing.T) {
	d := newTest(t)
	tests := []struct{ text, want string }{
		{"El presidente de México y el secretario de Estado se reunieron este miércoles en el Palacio Nacional.", "es"},
		{"The president of Mexico and the US Secretary of State met on Wednesday at the National Palace.", "en"},
		{"Nous avons beaucoup de choses en commun, a-t-il déclaré avant d'entrer au palais.", "fr"},
		{"Wir haben viele Gemeinsamkeiten, sagte er, bevor er den Nationalpalast betrat.", "de"},
		{"Hola", ""}, // too short to judge
	}
	for _, tt := range tests {
		if got, _ := d.Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestArticleFallsBack(t *testing.T) {
	d := newTest(t)
	if got := d.Article("Hola", "", "es-MX", "en"); got != "es" {
		t.Errorf("short text: got %q, want the declared es", got)
	}
	if got := d.Article("Hola", "", "", "pt-BR"); got != "pt" {
		t.Errorf("short text, nothing declared: got %q, want the source's pt", got)
	}
	if got := d.Article("AMLO y Blinken se reúnen", "El presidente de México y el secretario de Estado se reunieron este miércoles.", "en", ""); got != "es" {
		t.Errorf("long text declared wrongly: got %q, want es", got)
	}
}

func TestParagraphs(t *testing.T) {
	d := newTest(t)
	got := d.Paragraphs([]string{
		"El presidente de México y el secretario de Estado se reunieron este miércoles.",
		"« Nous avons beaucoup de choses en commun », a-t-il déclaré avant d'entrer.",
		"Sí.",
	}, "es")
	want := []string{"es", "fr", "es"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func TestOneLanguageNeedsNoModels(t *testing.T) {
	d, err := New([]string{"es"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Detect("Cualquier texto suficientemente largo para ser juzgado por sí mismo."); got != "es" {
		t.Errorf("got %q", got)
	}
	if _, err := New([]string{"xx"}, Options{}); err == nil {
		t.Error("unknown code accepted")
	}
}

// BenchmarkLoad measures what loading five languages costs (run with
// -benchtime=1x): heap-MB and load-ms are reported.
func BenchmarkLoad(b *testing.B) {
	for _, high := range []bool{false, true} {
		name := "low-accuracy"
		if high {
			name = "high-accuracy"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				d, err := New(five, Options{HighAccuracy: high})
				if err != nil {
					b.Fatal(err)
				}
				el := time.Since(start)
				runtime.GC()
				runtime.ReadMemStats(&after)
				runtime.KeepAlive(d)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
				b.ReportMetric(float64(el.Milliseconds()), "load-ms")
			}
		})
	}
}

func BenchmarkDetectParagraph(b *testing.B) {
	d := newTest(b)
	p := "El presidente de México y el secretario de Estado de Estados Unidos se reunieron este miércoles para abordar la recuperación del flujo migratorio."
	b.ResetTimer()
	for range b.N {
		d.Detect(p)
	}
}
