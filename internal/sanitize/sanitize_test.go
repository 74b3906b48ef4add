package sanitize

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// hostile reports what in sanitised output could run script: a script,
// style or foreign element, an event-handler attribute, or a URL attribute
// with a scheme other than http(s) or mailto. Text may say anything.
func hostile(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "svg", "math", "iframe", "object", "embed", "form", "link", "meta", "base":
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcset" {
					return "attribute " + a.Key
				}
				if a.Key == "href" || a.Key == "src" || a.Key == "cite" {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if i := strings.Index(v, ":"); i >= 0 && !strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") && !strings.ContainsAny(v[:i], "/?#") {
						return "URL " + v
					}
				}
			}
		}
	}
}

func TestHTMLRemovesHostileMarkup(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="JaVaScRiPt:alert(1)">x</a>`,
		`<a href="&#106;avascript:alert(1)">x</a>`,
		`<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+">`,
		`<svg onload=alert(1)><script>alert(1)</script></svg>`,
		`<div style="width: expression(alert(1))">x</div>`,
		`<iframe src="https://evil.example/"></iframe>`,
		`<object data="x.swf"></object><embed src="x.swf">`,
		`<form action="https://evil.example/"><input name=a></form>`,
		`<p onclick="alert(1)">x</p>`,
		`<<script>alert(1);//<</script>`,
		`<body onload=alert(1)>`,
		`<link rel=stylesheet href="https://evil.example/x.css"><style>@import 'x'</style>`,
		`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
		`<img src="https://evil.example/x.png" srcset="javascript:alert(1)">`,
		`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	}
	bad := []string{"<script", "onerror", "onload", "onclick", "javascript:", "expression(", "<iframe", "<object", "<embed", "<form", "<style", "<link", "<meta", "<svg", "data:", "srcset", "style="}
	for _, in := range hostile {
		out := strings.ToLower(HTML(in))
		for _, b := range bad {
			if strings.Contains(out, b) {
				t.Errorf("HTML(%q) = %q: still contains %q", in, out, b)
			}
		}
	}
}

func TestHTMLKeepsArticleStructure(t *testing.T) {
	in := `<p lang="es">El presidente <a href="https://example.com/amlo">López Obrador</a> y <em>Blinken</em></p>` +
		`<figure><img src="https://example.com/a.jpg" alt="Foto"><figcaption>Pie</figcaption></figure>` +
		`<blockquote>Cita</blockquote><ul><li>uno</li></ul>`
	out := HTML(in)
	for _, want := range []string{`<p lang="es">`, `href="https://example.com/amlo"`, `López Obrador</a> y <em>Blinken</em>`, `<img src="https://example.com/a.jpg" alt="Foto">`, `<figcaption>Pie</figcaption>`, `<blockquote>`, `<li>uno</li>`, `rel="nofollow noreferrer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lost %q", out, want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text(`<b>Ana</b> <script>x</script>Pérez`); got != "Ana Pérez" {
		t.Errorf("Text = %q", got)
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{`<p>a</p>`, `<a href="javascript:x">`, `<img src=x onerror=y>`, `<svg><script>1</script>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := strings.ToLower(HTML(in))
		// A second pass must not find anything more to remove: the output is
		// already inside the allow-list.
		if again := strings.ToLower(HTML(out)); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		if msg := hostile(out); msg != "" {
			t.Fatalf("%s in %q from %q", msg, out, in)
		}
	})
}

func TestHTMLDropsEmptyLinksAndElements(t *testing.T) {
	in := `<p>Texto <a href="https://x.example/"></a> y <a href="https://fb.example/"><span></span></a><a href="https://ok.example/">enlace</a></p>` +
		`<p> </p><ul><li></li></ul><a href="https://img.example/"><img src="https://img.example/a.png" alt="Foto"></a>`
	out := HTML(in)
	for _, gone := range []string{"x.example", "fb.example", "<p> </p>", "<ul>", "<li>"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q still in %q", gone, out)
		}
	}
	for _, kept := range []string{`ok.example`, `>enlace</a>`, `img.example/a.png`, "Texto "} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q lost from %q", kept, out)
		}
	}
}

// A no-break space between paragraphs (an outlet's spacer) would show as an
// empty line; between words it stays.
func TestSpacerBetweenParagraphs(t *testing.T) {
	got := HTML("<p>One.</p>\n&nbsp;<p>Two.</p>&nbsp;\u00a0<h2>Three</h2><p><b>a</b>&nbsp;<i>b</i></p>")
	if strings.Contains(got, "</p>\u00a0") || strings.Contains(got, "</p>&nbsp;") || strings.Count(got, "\u00a0")+strings.Count(got, "&nbsp;") != 1 {
		t.Errorf("got %q", got)
	}
}
