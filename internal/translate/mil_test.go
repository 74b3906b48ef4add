package translate

import "testing"

func TestMilRule(t *testing.T) {
	var mil Rule
	for _, r := range DefaultRules {
		if r.Name == "mil" {
			mil = r
		}
	}
	if mil.Fix == nil || !mil.Source || !mil.Applies(Pair{From: "es", To: "en"}) || mil.Applies(Pair{From: "fr", To: "en"}) {
		t.Fatal("mil rule missing or misconfigured")
	}
	tests := map[string]string{
		"una multa de S/ 130 mil":       "una multa de S/ 130.000",
		"5 mil millones de dólares":     "5 mil millones de dólares",
		"mil personas":                  "mil personas",
		"unos 20 mil migrantes y 3 mil": "unos 20.000 migrantes y 3.000",
	}
	for in, want := range tests {
		if got := mil.Fix(in); got != want {
			t.Errorf("Fix(%q) = %q, want %q", in, got, want)
		}
	}
}
