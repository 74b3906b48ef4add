package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ExtractKind says how a set's gold is given, and so how it is scored.
type ExtractKind string

const (
	// FullText sets give each page's whole article text (truth/<id>.txt);
	// they are scored with the scrapinghub benchmark's shingle metric.
	FullText ExtractKind = "fulltext"
	// Snippets sets give text that must and must not be in the output
	// (truth/<id>.json "with"/"without"); they are scored per snippet.
	Snippets ExtractKind = "snippets"
)

// ExtractSet is a labelled extraction corpus: html/<id>.html (or .html.gz)
// beside truth/<id>.txt or truth/<id>.json.
type ExtractSet struct {
	Dir   string
	Kind  ExtractKind
	Pages []ExtractPage
}

// ExtractPage is one labelled page.
type ExtractPage struct {
	ID       string
	HTMLPath string
	URL      string // the page's address when the set knows it
	Gold     string // FullText sets: the article text

	With, Without []string // Snippets sets
	Meta          GoldMeta
}

// GoldMeta is the metadata a set gives for a page; empty fields are unknown
// and not scored.
type GoldMeta struct {
	Title   string
	Authors []string
	Date    string // as the set gives it; only its YYYY-MM-DD prefix is compared
}

// ReadHTML returns the page's raw bytes, gunzipping a .gz file.
func (p ExtractPage) ReadHTML() ([]byte, error) {
	b, err := os.ReadFile(p.HTMLPath)
	if err != nil {
		return nil, fmt.Errorf("eval: unable to read page: %w", err)
	}
	if !strings.HasSuffix(p.HTMLPath, ".gz") {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("eval: unable to gunzip %s: %w", p.HTMLPath, err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("eval: unable to gunzip %s: %w", p.HTMLPath, err)
	}
	return out, nil
}

// LoadExtractSet reads a set's index: which pages it has, their gold text
// or snippets, URLs and metadata. Page bytes are read later, one at a time.
func LoadExtractSet(dir string) (*ExtractSet, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "html"))
	if err != nil {
		return nil, fmt.Errorf("eval: %s is not an extraction set (want html/ and truth/): %w", dir, err)
	}
	set := &ExtractSet{Dir: dir}
	urls, err := loadGroundTruthURLs(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		var id string
		switch {
		case strings.HasSuffix(name, ".html.gz"):
			id = strings.TrimSuffix(name, ".html.gz")
		case strings.HasSuffix(name, ".html"):
			id = strings.TrimSuffix(name, ".html")
		default:
			continue
		}
		p := ExtractPage{ID: id, HTMLPath: filepath.Join(dir, "html", name), URL: urls[id]}
		kind, err := loadTruth(dir, &p)
		if errors.Is(err, os.ErrNotExist) {
			continue // a page without gold is not scored
		}
		if err != nil {
			return nil, err
		}
		if set.Kind != "" && set.Kind != kind {
			return nil, fmt.Errorf("eval: %s mixes full-text and snippet gold", dir)
		}
		set.Kind = kind
		if err := loadReadabilityMeta(dir, &p); err != nil {
			return nil, err
		}
		set.Pages = append(set.Pages, p)
	}
	if len(set.Pages) == 0 {
		return nil, fmt.Errorf("eval: %s has no page with gold in truth/", dir)
	}
	sort.Slice(set.Pages, func(i, j int) bool { return set.Pages[i].ID < set.Pages[j].ID })
	return set, nil
}

func loadTruth(dir string, p *ExtractPage) (ExtractKind, error) {
	txt, err := os.ReadFile(filepath.Join(dir, "truth", p.ID+".txt"))
	if err == nil {
		p.Gold = string(txt)
		return FullText, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("eval: unable to read gold: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "truth", p.ID+".json"))
	if err != nil {
		return "", err
	}
	var t struct {
		URL     string          `json:"url"`
		Title   string          `json:"title"`
		Author  json.RawMessage `json:"author"`
		Date    string          `json:"date"`
		With    []string        `json:"with"`
		Without []string        `json:"without"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return "", fmt.Errorf("eval: unable to parse gold %s: %w", p.ID, err)
	}
	p.With, p.Without = t.With, t.Without
	if p.URL == "" {
		p.URL = t.URL
	}
	p.Meta = GoldMeta{Title: t.Title, Authors: parseAuthors(t.Author), Date: t.Date}
	return Snippets, nil
}

// parseAuthors accepts an author given as a string or a list of strings.
func parseAuthors(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return nonEmpty(list)
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && strings.TrimSpace(one) != "" {
		return []string{one}
	}
	return nil
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// loadReadabilityMeta reads metadata/<id>.json where the set has it.
func loadReadabilityMeta(dir string, p *ExtractPage) error {
	b, err := os.ReadFile(filepath.Join(dir, "metadata", p.ID+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("eval: unable to read metadata: %w", err)
	}
	var m struct {
		Title         *string `json:"title"`
		Byline        *string `json:"byline"`
		PublishedTime *string `json:"publishedTime"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("eval: unable to parse metadata %s: %w", p.ID, err)
	}
	if m.Title != nil {
		p.Meta.Title = *m.Title
	}
	if m.Byline != nil && strings.TrimSpace(*m.Byline) != "" {
		p.Meta.Authors = []string{*m.Byline}
	}
	if m.PublishedTime != nil {
		p.Meta.Date = *m.PublishedTime
	}
	return nil
}

// loadGroundTruthURLs reads page URLs from a scrapinghub-style
// ground-truth.json, when the set has one.
func loadGroundTruthURLs(path string) (map[string]string, error) {
	gt, err := loadArticleBodies(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	urls := make(map[string]string, len(gt))
	for id, a := range gt {
		urls[id] = a.URL
	}
	return urls, nil
}

type articleBody struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

// loadArticleBodies reads a file of {id: {"articleBody": ...}}, also when
// it is wrapped as {"version": ..., "output": {...}}.
func loadArticleBodies(path string) (map[string]articleBody, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		Output map[string]articleBody `json:"output"`
	}
	if json.Unmarshal(b, &wrapped) == nil && wrapped.Output != nil {
		return wrapped.Output, nil
	}
	var plain map[string]json.RawMessage
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, fmt.Errorf("eval: unable to parse %s: %w", path, err)
	}
	out := make(map[string]articleBody, len(plain))
	for id, raw := range plain {
		var a articleBody
		if json.Unmarshal(raw, &a) != nil {
			continue // e.g. a "version" field beside the pages
		}
		out[id] = a
	}
	return out, nil
}

// LoadReference reads another tool's published output, {id: {"articleBody":
// text}}, as predictions keyed by page id.
func LoadReference(path string) (map[string]string, error) {
	bodies, err := loadArticleBodies(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("eval: unable to read reference: %w", err)
		}
		return nil, err
	}
	out := make(map[string]string, len(bodies))
	for id, a := range bodies {
		out[id] = a.ArticleBody
	}
	return out, nil
}
