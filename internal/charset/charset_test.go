package charset

import (
	"testing"
	"unicode/utf8"
)

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name, ct string
		raw      []byte
		want     string
		how      string
	}{
		{"utf8 meta", "", []byte(`<html><head><meta charset="utf-8"></head><body>Nochebuena café</body></html>`), "café", "meta"},
		{"latin1 meta", "", []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body>Bogot\xe1 y Le\xf3n</body></html>"), "Bogotá y León", "meta"},
		{"header wins over sniffing", "text/html; charset=windows-1252", []byte("<p>\x93quoted\x94</p>"), "\u201cquoted\u201d", "header"},
		{"bom", "", append([]byte{0xEF, 0xBB, 0xBF}, []byte("<p>niño</p>")...), "niño", "bom"},
		{"no declaration, valid utf8", "", []byte("<p>Andrés Manuel López Obrador</p>"), "López", "default"},
		{"invalid utf8 replaced", "", []byte("<meta charset=utf-8><p>bad \xff\xfe byte</p>"), "bad \uFFFD", "meta"},
		{"stale latin-1 meta on UTF-8 bytes", "", []byte(`<meta charset="iso-8859-1"><p>Andrés López Bogotá</p>`), "Andrés López Bogotá", "meta-overridden"},
		{"stale gb2312 meta on UTF-8 bytes", "", []byte(`<meta charset="gb2312"><p>中文新闻 café</p>`), "中文新闻", "meta-overridden"},
		{"decomposed to NFC", "", []byte("<meta charset=utf-8><p>Bogota\u0301</p>"), "Bogotá", "meta"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ToUTF8(tt.raw, tt.ct)
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(d.Text) {
				t.Fatalf("output is not valid UTF-8: %q", d.Text)
			}
			if got := string(d.Text); !contains(got, tt.want) {
				t.Errorf("text %q does not contain %q", got, tt.want)
			}
			if d.How != tt.how {
				t.Errorf("how = %q, want %q (encoding %s)", d.How, tt.how, d.Encoding)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	if _, err := ToUTF8(nil, ""); err == nil {
		t.Fatal("empty input: want an error")
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0))
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func FuzzToUTF8(f *testing.F) {
	f.Add([]byte("<meta charset=iso-8859-1><p>Le\xf3n</p>"), "")
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "")
	f.Add([]byte("<p>x</p>"), "text/html; charset=shift_jis")
	f.Fuzz(func(t *testing.T, raw []byte, ct string) {
		d, err := ToUTF8(raw, ct)
		if err != nil {
			return
		}
		if !utf8.Valid(d.Text) {
			t.Fatalf("invalid UTF-8 out of %q", raw)
		}
	})
}
