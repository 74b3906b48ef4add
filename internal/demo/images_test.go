package demo

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

func TestImagesArePlaceholdersDrawnHere(t *testing.T) {
	ctx := context.Background()
	a, err := Images{}.Get(ctx, fetch.Request{URL: "https://www.elpais.com/photo.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(a.Body))
	if err != nil || cfg.Width != placeholderW || cfg.Height != placeholderH {
		t.Fatalf("placeholder: %v %+v", err, cfg)
	}
	b, err := Images{}.Get(ctx, fetch.Request{URL: "https://www.elpais.com/other.jpg"})
	if err != nil || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("one outlet's placeholders differ: %v", err)
	}
	c, err := Images{}.Get(ctx, fetch.Request{URL: "https://www.24horas.cl/photo.jpg"})
	if err != nil || bytes.Equal(a.Body, c.Body) {
		t.Fatalf("two outlets share a tint: %v", err)
	}
	for _, bad := range []string{"", "data:image/png;base64,AAAA", "file:///etc/passwd", "/relative.png"} {
		if _, err := (Images{}).Get(ctx, fetch.Request{URL: bad}); err == nil {
			t.Errorf("Get(%q) answered", bad)
		}
	}
}
