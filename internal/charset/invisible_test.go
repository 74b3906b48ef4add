package charset

import "testing"

func TestDropInvisible(t *testing.T) {
	for in, want := range map[string]string{
		"Vladi\u00admir Putin":      "Vladimir Putin",
		"Kar\u200bpova\u200d\ufeff": "Karpova",
		"presi\u00addente":          "presidente",
		"plain text":                "plain text",
		"":                          "",
	} {
		if got := DropInvisible(in); got != want {
			t.Errorf("DropInvisible(%q) = %q, want %q", in, got, want)
		}
	}
}
