package eval

import (
	"math"
	"testing"
)

// Expected values are the published examples of sacreBLEU's own test suite
// (test/test_chrf.py, test/test_bleu.py, Apache-2.0).

func TestChrFSacreBLEUExamples(t *testing.T) {
	epsBeta3 := ChrF{CharOrder: 6, Beta: 3, EpsSmoothing: true}
	effBeta3 := ChrF{CharOrder: 6, Beta: 3}
	keepBeta3 := ChrF{CharOrder: 6, Beta: 3, KeepWhitespace: true}
	tests := []struct {
		name       string
		c          ChrF
		hyps, refs []string
		want       float64
	}{
		{"eps disjoint", epsBeta3, []string{"abcdefg"}, []string{"hijklmnop"}, 0},
		{"eps single miss", epsBeta3, []string{"a"}, []string{"b"}, 0},
		{"eps empty hyp", epsBeta3, []string{""}, []string{"reference"}, 0},
		{"eps aa", epsBeta3, []string{"aa"}, []string{"ab"}, 8.3333},
		{"eps two lines", epsBeta3, []string{"a", "b"}, []string{"a", "c"}, 8.3333},
		{"eps a", epsBeta3, []string{"a"}, []string{"a"}, 16.6667},
		{"eps abc", epsBeta3, []string{"a b c"}, []string{"a b c"}, 50},
		{"eps abc nospace", epsBeta3, []string{"a b c"}, []string{"abc"}, 50},
		{"eps risk", epsBeta3,
			[]string{" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."},
			[]string{"risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."}, 63.361730},
		{"eps obama", epsBeta3,
			[]string{" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "},
			[]string{"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."}, 64.1302698},
		{"eps identical", epsBeta3, []string{"Niemand hat die Absicht, eine Mauer zu errichten"}, []string{"Niemand hat die Absicht, eine Mauer zu errichten"}, 100},
		{"eff a", effBeta3, []string{"a"}, []string{"a"}, 100},
		{"eff empty", effBeta3, []string{""}, []string{"reference"}, 0},
		{"eff abc", effBeta3, []string{"a b c"}, []string{"abc"}, 100},
		{"eff two lines", effBeta3, []string{"a", "b"}, []string{"a", "c"}, 50},
		{"eff aa", effBeta3, []string{"aa"}, []string{"ab"}, 25},
		{"keep obama", keepBeta3,
			[]string{"Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."},
			[]string{"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."}, 67.3481606},
		{"keep risk", keepBeta3,
			[]string{"risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."},
			[]string{"risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."}, 65.2414427},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Corpus(tt.hyps, tt.refs); math.Abs(got-tt.want) > 1e-4 {
				t.Errorf("chrF = %.7f, want %.7f", got, tt.want)
			}
		})
	}
}

func TestChrF2SentenceSacreBLEUExamples(t *testing.T) {
	tests := []struct {
		hyp, ref string
		want     float64
	}{
		{"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
			"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509},
		{"Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
			"A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079},
		{"Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
			"Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367},
	}
	c := ChrF2
	c.EpsSmoothing = true
	for _, tt := range tests {
		if got := c.Sentence(tt.hyp, tt.ref); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("sentence chrF2(%q) = %.7f, want %.7f", tt.hyp, got, tt.want)
		}
	}
}

func TestCorpusBLEUSacreBLEUExamples(t *testing.T) {
	refs1 := []string{"The dog bit the man.", "It was not unexpected.", "The man bit him first."}
	refs2 := []string{"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}
	hyps := []string{"The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."}
	if got := CorpusBLEU(hyps, refs1, refs2); math.Abs(got-48.530827) > 1e-6 {
		t.Errorf("BLEU = %.7f, want 48.530827", got)
	}
	if got := CorpusBLEU([]string{"", "", ""}, refs1, refs2); got != 0 {
		t.Errorf("BLEU of empty hypotheses = %v, want 0", got)
	}
}

func TestBLEUScoreFromStats(t *testing.T) {
	st := BLEUStats{Correct: [4]int{9, 7, 5, 3}, Total: [4]int{10, 8, 6, 4}, SysLen: 11, RefLen: 11}
	if got := st.Score() / 100; math.Abs(got-0.8375922397) > 1e-8 {
		t.Errorf("score = %.10f, want 0.8375922397", got)
	}
}

func TestTokenize13a(t *testing.T) {
	tests := []struct{ in, want string }{
		{"It wasn't surprising.", "It wasn't surprising ."},
		{"2.2 million, 6,000 people-3-4", "2.2 million , 6,000 people-3 - 4"},
		{"a &amp; b (c)", "a & b ( c )"},
	}
	for _, tt := range tests {
		if got := Tokenize13a(tt.in); got != tt.want {
			t.Errorf("Tokenize13a(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
