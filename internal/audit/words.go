package audit

import (
	"bufio"
	"io"
	"os"
	"strings"
)

// WordListFiles are where Debian's word list packages put their words, by
// language: wamerican(-large) and wbritish(-large) (engines write either
// spelling: Apertium writes "organisation"), wspanish.
var WordListFiles = map[string][]string{
	"en": {"/usr/share/dict/american-english-large", "/usr/share/dict/american-english",
		"/usr/share/dict/british-english-large", "/usr/share/dict/british-english"},
	"es": {"/usr/share/dict/spanish"},
}

// ReadWordList reads a word list, one word a line, in lower case.
func ReadWordList(r io.Reader) (map[string]bool, error) {
	words := map[string]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if w := strings.ToLower(strings.TrimSpace(sc.Text())); w != "" {
			words[w] = true
		}
	}
	return words, sc.Err()
}

// LoadWordLists reads, for each language of WordListFiles, every list
// installed, as one. A language without any is left out, and its checks
// count nothing; missing names the languages left out.
func LoadWordLists() (lists map[string]map[string]bool, missing []string) {
	lists = map[string]map[string]bool{}
	for lang, files := range WordListFiles {
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				continue
			}
			w, err := ReadWordList(fh)
			fh.Close()
			if err != nil {
				continue
			}
			if lists[lang] == nil {
				lists[lang] = w
				continue
			}
			for k := range w {
				lists[lang][k] = true
			}
		}
		if lists[lang] == nil {
			missing = append(missing, lang)
		}
	}
	return lists, missing
}
