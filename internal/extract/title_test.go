package extract

import "testing"

func TestStripSiteName(t *testing.T) {
	tests := []struct {
		title string
		sites []string
		want  string
	}{
		{"How to Build a Terrarium | eHow", []string{"eHow"}, "How to Build a Terrarium"},
		{"CAE bildet künftig Piloten aus - Aerobuzz.de", []string{"", "aerobuzz"}, "CAE bildet künftig Piloten aus"},
		{"Mozilla - Wikipedia", []string{"Wikipedia"}, "Mozilla"},
		{"Global Happenings | Leaders meet to discuss migration", []string{"Global Happenings"}, "Leaders meet to discuss migration"},
		{"Headline - Politics - The Daily Example", []string{"The Daily Example"}, "Headline - Politics"},
		// Not the site: left alone.
		{"Friday Facts #282 - 0.17 in sight", []string{"Factorio"}, "Friday Facts #282 - 0.17 in sight"},
		{"Klimaschutz: Bohren, bis es heiß wird", []string{"ZEIT ONLINE"}, "Klimaschutz: Bohren, bis es heiß wird"},
		{"No separator here", []string{"here"}, "No separator here"},
	}
	for _, tt := range tests {
		if got := stripSiteName(tt.title, tt.sites...); got != tt.want {
			t.Errorf("stripSiteName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
