package translate

import (
	"embed"
	"path"
	"strings"
)

//go:embed glossaries/*.tsv
var defaultGlossaryFiles embed.FS

// DefaultGlossaries returns the glossaries newsdesk ships, by pair.
func DefaultGlossaries() map[Pair]*Glossary {
	out := map[Pair]*Glossary{}
	ents, _ := defaultGlossaryFiles.ReadDir("glossaries")
	for _, e := range ents {
		p, err := ParsePair(strings.TrimSuffix(e.Name(), ".tsv"))
		if err != nil {
			continue
		}
		f, err := defaultGlossaryFiles.Open(path.Join("glossaries", e.Name()))
		if err != nil {
			continue
		}
		g, err := ParseGlossary(f)
		f.Close()
		if err == nil {
			out[p] = g
		}
	}
	return out
}
