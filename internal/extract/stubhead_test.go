package extract

import (
	"strings"
	"testing"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// The stub head changes none of go-trafilatura's text, and the document is
// as it was once the stub is taken out again.
func TestStubHeadKeepsTrafilaturaText(t *testing.T) {
	page := `<html><head><title>T</title></head><body><nav><a href="/">Home</a></nav>
<article><h1>A headline for the story</h1><p class="byline">By Ann Writer</p>
<p>` + "The council met on Tuesday and agreed to repair the bridge before winter, the mayor said. " +
		"Work starts next month and will close the road for six weeks while crews replace the deck. " +
		"Residents asked for a ferry in the meantime; the council will answer at its next meeting." + `</p>
<p>` + strings.Repeat("Another sentence of the article follows here, with more detail. ", 6) + `</p></article>
<footer>Contact us</footer></body></html>`
	run := func(stub bool) (string, string) {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		dropHead(doc)
		var before strings.Builder
		html.Render(&before, doc)
		var head *html.Node
		if stub {
			head = stubHead(doc, ldMeta{author: "Ann Writer"})
			if head == nil {
				t.Fatal("no stub head")
			}
		}
		tr, err := trafilatura.ExtractDocument(doc, trafilaturaOptions(nil, ldMeta{}, pageMeta{}))
		if err != nil {
			t.Fatal(err)
		}
		if head != nil {
			head.Parent.RemoveChild(head)
		}
		var after strings.Builder
		html.Render(&after, doc)
		if before.String() != after.String() {
			t.Errorf("stub=%v: the document changed", stub)
		}
		return tr.ContentText, tr.Metadata.Title
	}
	text, title := run(false)
	stubText, stubTitle := run(true)
	if text != stubText || title != stubTitle {
		t.Errorf("with the stub head go-trafilatura read\n%q (%q)\nwithout it\n%q (%q)", stubText, stubTitle, text, title)
	}
	if !strings.Contains(text, "repair the bridge") {
		t.Errorf("go-trafilatura's text lacks the article: %q", text)
	}
}
