package translate

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultApertiumModes is where Debian's apertium packages put their modes.
const DefaultApertiumModes = "/usr/share/apertium/modes"

// Apertium translates with a local Apertium install. For each pair it keeps
// one pipeline of the mode's stages alive in null-flush mode (every stage
// flushes on a NUL byte), so a request costs milliseconds instead of the
// half second the apertium wrapper spends starting ten processes. A pipeline
// that dies is restarted on the next request; one that does not answer
// within Timeout is killed.
type Apertium struct {
	// ModesDir holds the PAIR.mode files; DefaultApertiumModes when empty.
	ModesDir string
	// Timeout bounds one batch of segments (plus Timeout per 100 segments);
	// 30 s when zero.
	Timeout time.Duration
	// NoCognates leaves unknown Spanish words as they are instead of
	// spelling regular cognates the English way (see cognate).
	NoCognates bool
	// NoCaseFix leaves the capital Apertium gives the first known word of
	// a sentence that starts with unknown words (see fixUnknownCase).
	NoCaseFix bool
	// KeepMarks keeps Apertium's marks on unknown words ("*") and failed
	// generations ("#"). Without it they are removed; the pipeline always
	// makes them, because they say which words Apertium did not know.
	KeepMarks bool

	mu    sync.Mutex
	pipes map[string]*apertiumPipe
}

// Name implements Backend.
func (a *Apertium) Name() string { return "apertium" }

// iso3 maps ISO 639-1 codes to the ISO 639-3 codes Apertium names pairs by.
var iso3 = map[string]string{
	"es": "spa", "en": "eng", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita",
	"gl": "glg", "eu": "eus", "oc": "oci", "ro": "ron", "de": "deu", "nl": "nld",
	"da": "dan", "sv": "swe", "nb": "nob", "nn": "nno", "an": "arg", "ast": "ast",
	"eo": "epo", "br": "bre", "cy": "cym", "is": "isl", "mt": "mlt", "kk": "kaz",
	"tt": "tat", "ru": "rus", "uk": "ukr", "be": "bel", "pl": "pol", "sr": "srp",
	"hr": "hrv", "bs": "bos", "sl": "slv", "mk": "mkd", "bg": "bul", "ar": "ara",
	"ur": "urd", "hi": "hin", "id": "ind", "ms": "zlm", "sc": "srd", "ga": "gle",
}

// ModeFile returns the mode file for p, or ErrUnsupportedPair.
func (a *Apertium) ModeFile(p Pair) (string, error) {
	dir := a.ModesDir
	if dir == "" {
		dir = DefaultApertiumModes
	}
	cands := []string{p.From + "-" + p.To}
	if f, t := iso3[p.From], iso3[p.To]; f != "" && t != "" {
		cands = append([]string{f + "-" + t}, cands...)
	}
	for _, c := range cands {
		f := filepath.Join(dir, c+".mode")
		if _, err := os.Stat(f); err == nil {
			return f, nil
		}
	}
	if _, err := exec.LookPath("lt-proc"); err != nil {
		return "", fmt.Errorf("apertium: not installed (apt-get install apertium apertium-eng-spa): %w", ErrUnavailable)
	}
	return "", fmt.Errorf("apertium: no mode %s in %s: %w", cands[0], dir, ErrUnsupportedPair)
}

// Available reports whether Apertium can translate p here.
func (a *Apertium) Available(p Pair) bool {
	_, err := a.ModeFile(p)
	return err == nil
}

// Translate implements Backend.
func (a *Apertium) Translate(ctx context.Context, p Pair, segs []Segment) ([]Segment, error) {
	if len(segs) == 0 {
		return nil, nil
	}
	in := make([][]byte, len(segs))
	for i, s := range segs {
		in[i] = encodeStream(s)
	}
	pipe, err := a.pipe(p)
	if err != nil {
		return nil, err
	}
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	timeout += timeout * time.Duration(len(segs)/100)
	outs, err := pipe.run(ctx, in, timeout)
	if err != nil && ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
		// The pipeline had died since the last request: start it again once.
		outs, err = pipe.run(ctx, in, timeout)
	}
	if err != nil {
		return nil, err
	}
	res := make([]Segment, len(segs))
	for i, o := range outs {
		if !a.NoCognates && p.From == "es" && p.To == "en" {
			o = []byte(englishCognates(string(o), englishWords()))
		}
		if !a.KeepMarks {
			if !a.NoCaseFix {
				o = []byte(fixUnknownCase(string(o), streamSource(segs[i])))
			}
			o = stripMarks(o, streamSource(segs[i]))
			if p.To == "en" {
				o = unmarkWords(o, englishWords()) // "video" is English too
			}
		}
		res[i] = decodeStream(o, segs[i])
	}
	return res, nil
}

// Close stops every pipeline.
func (a *Apertium) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, p := range a.pipes {
		p.stop()
		delete(a.pipes, k)
	}
	return nil
}

func (a *Apertium) pipe(p Pair) (*apertiumPipe, error) {
	return a.modePipe(p, p.String(), 0)
}

// modePipe is the running pipe under key: the first n stages of p's mode
// (all of them when n is 0), started on first use.
func (a *Apertium) modePipe(p Pair, key string, n int) (*apertiumPipe, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ap := a.pipes[key]; ap != nil {
		return ap, nil
	}
	mode, err := a.ModeFile(p)
	if err != nil {
		return nil, err
	}
	stages, err := ParseMode(mode, true)
	if err != nil {
		return nil, err
	}
	if n > 0 && n < len(stages) {
		stages = stages[:n]
	}
	if a.pipes == nil {
		a.pipes = map[string]*apertiumPipe{}
	}
	ap := &apertiumPipe{stages: stages}
	a.pipes[key] = ap
	return ap, nil
}

// ParseMode reads an Apertium mode file into its stages (program and
// arguments), each set to null-flush mode (-z). The mode's $1 becomes the
// generator's unknown-word option (-g marks them, -n does not) and $2,
// the tagger's optional flag, is dropped.
func ParseMode(path string, markUnknown bool) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("apertium: unable to read mode: %w", err)
	}
	gen := "-n"
	if markUnknown {
		gen = "-g"
	}
	var stages [][]string
	for _, st := range splitUnquoted(strings.TrimSpace(string(b)), '|') {
		words := shellWords(st)
		if len(words) == 0 {
			continue
		}
		args := []string{words[0], "-z"}
		for _, w := range words[1:] {
			switch w {
			case "$1":
				args = append(args, gen)
			case "$2", "":
			default:
				args = append(args, w)
			}
		}
		stages = append(stages, args)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("apertium: mode %s has no stages", path)
	}
	return stages, nil
}

// splitUnquoted splits s at sep outside single or double quotes.
func splitUnquoted(s string, sep rune) []string {
	var out []string
	var q rune
	start := 0
	for i, r := range s {
		switch {
		case q != 0 && r == q:
			q = 0
		case q == 0 && (r == '\'' || r == '"'):
			q = r
		case q == 0 && r == sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// shellWords splits a command into words the way sh would for the simple
// quoting mode files use.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	in, q := false, rune(0)
	for _, r := range s {
		switch {
		case q != 0 && r == q:
			q = 0
		case q != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			q, in = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

// apertiumPipe is one kept-alive pipeline. Requests are serialised.
type apertiumPipe struct {
	stages [][]string

	mu    sync.Mutex
	procs []*exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	errs  []*tailBuffer
}

func (ap *apertiumPipe) start() error {
	var prev io.Reader
	var first io.WriteCloser
	for i, st := range ap.stages {
		cmd := exec.Command(st[0], st[1:]...)
		eb := &tailBuffer{max: 2048}
		cmd.Stderr = eb
		if i == 0 {
			w, err := cmd.StdinPipe()
			if err != nil {
				ap.kill()
				return fmt.Errorf("apertium: %w", err)
			}
			first = w
		} else {
			cmd.Stdin = prev
		}
		r, err := cmd.StdoutPipe()
		if err != nil {
			ap.kill()
			return fmt.Errorf("apertium: %w", err)
		}
		if err := cmd.Start(); err != nil {
			ap.kill()
			if errors.Is(err, exec.ErrNotFound) {
				err = fmt.Errorf("%w: %w", err, ErrUnavailable)
			}
			return fmt.Errorf("apertium: unable to start %s: %w", st[0], err)
		}
		ap.procs = append(ap.procs, cmd)
		ap.errs = append(ap.errs, eb)
		prev = r
	}
	ap.stdin = first
	ap.out = bufio.NewReaderSize(prev, 64<<10)
	return nil
}

func (ap *apertiumPipe) kill() {
	if ap.stdin != nil {
		ap.stdin.Close()
	}
	for _, c := range ap.procs {
		if c.Process != nil {
			c.Process.Kill()
		}
	}
	for _, c := range ap.procs {
		c.Wait()
	}
	ap.procs, ap.errs, ap.stdin, ap.out = nil, nil, nil, nil
}

func (ap *apertiumPipe) stop() {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	ap.kill()
}

func (ap *apertiumPipe) stderr() string {
	var parts []string
	for i, e := range ap.errs {
		if s := strings.TrimSpace(e.String()); s != "" {
			parts = append(parts, ap.stages[i][0]+": "+s)
		}
	}
	return strings.Join(parts, "; ")
}

// run sends every input, each followed by NUL, and reads one NUL-terminated
// answer per input. Writing happens in its own goroutine so that a batch
// larger than the pipes' buffers cannot deadlock.
func (ap *apertiumPipe) run(ctx context.Context, in [][]byte, timeout time.Duration) ([][]byte, error) {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if ap.procs == nil {
		if err := ap.start(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		outs [][]byte
		err  error
	}
	done := make(chan result, 1)
	stdin, out := ap.stdin, ap.out
	go func() {
		werr := make(chan error, 1)
		go func() {
			var err error
			for _, b := range in {
				if _, err = stdin.Write(b); err != nil {
					break
				}
			}
			werr <- err
		}()
		outs := make([][]byte, 0, len(in))
		for range in {
			b, err := out.ReadBytes(0)
			if err != nil {
				if we := <-werr; we != nil {
					err = we
				}
				done <- result{err: err}
				return
			}
			outs = append(outs, b[:len(b)-1])
		}
		done <- result{outs: outs, err: <-werr}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			msg := ap.stderr()
			ap.kill()
			return nil, fmt.Errorf("apertium: pipeline failed (%s): %w", msg, r.err)
		}
		return r.outs, nil
	case <-ctx.Done():
		ap.kill() // unblocks the reader; the next request starts afresh
		<-done
		return nil, fmt.Errorf("apertium: no answer: %w", ctx.Err())
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// Apertium's stream format: text with its special characters escaped by a
// backslash, and "superblanks" in square brackets that every stage passes
// through untouched and in place. Each non-text part of a segment travels as
// a superblank naming its index, so inline markup and protected spans keep
// their position and the blanks on either side of them.

const streamEnd = "[<nd:end>]" // a trailing blank makes lt-proc emit the last word before the flush

func encodeStream(seg Segment) []byte {
	var b bytes.Buffer
	for i, p := range seg {
		if p.Kind == Text {
			escapeStream(&b, p.Text)
			continue
		}
		if wordLike(p) {
			b.WriteString(placeholder(i))
			continue
		}
		b.WriteString("[<nd:")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(">]")
	}
	b.WriteString(streamEnd)
	b.WriteByte(0)
	return b.Bytes()
}

// A protected span of running text (a name, a glossary term) travels as a
// made-up word rather than a blank: Apertium then takes it for an unknown
// word in its place in the sentence, so a protected subject stays a subject
// ("Pedro Sánchez dijo" does not become "Pedro Sánchez it said").
func wordLike(p Part) bool { return p.Kind == Keep && p.HTML == "" }

// placeholder is the made-up word for part i: letters only, so that
// Apertium's tokeniser keeps it whole.
func placeholder(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			break
		}
	}
	return "Zqv" + string(b) + "x"
}

var rePlaceholder = regexp.MustCompile(`Zqv([a-z]+)x`)

func placeholderIndex(letters string) int {
	n := 0
	for i := len(letters) - 1; i >= 0; i-- {
		n = n*26 + int(letters[i]-'a')
	}
	return n
}

// streamSource is the segment's text as Apertium sees it, placeholders
// included.
func streamSource(seg Segment) string {
	var b strings.Builder
	for i, p := range seg {
		switch {
		case p.Kind == Text:
			b.WriteString(p.Text)
		case wordLike(p):
			b.WriteString(placeholder(i))
		}
	}
	return b.String()
}

func escapeStream(b *bytes.Buffer, s string) {
	for _, r := range s {
		switch r {
		case '\\', '[', ']', '^', '$', '/', '@', '<', '>', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '#', '~', '\x00':
			// the generators give these a meaning even escaped; carry them
			// as superblanks, as apertium-destxt does.
			if r == 0 {
				continue
			}
			b.WriteString("[")
			b.WriteRune(r)
			b.WriteString("]")
		default:
			b.WriteRune(r)
		}
	}
}

// decodeStream turns a pipeline answer back into a segment, putting the
// source's non-text parts where their superblanks came out. A part the
// pipeline lost is appended so that no tag is ever dropped.
func decodeStream(out []byte, src Segment) Segment {
	var seg Segment
	used := make([]bool, len(src))
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			seg = append(seg, Part{Kind: Text, Text: text.String()})
			text.Reset()
		}
	}
	s := string(out)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'Z' && strings.HasPrefix(s[i:], "Zqv") {
			if m := rePlaceholder.FindStringSubmatchIndex(s[i:]); m != nil && m[0] == 0 {
				if n := placeholderIndex(s[i+m[2] : i+m[3]]); n < len(src) && !used[n] {
					flush()
					used[n] = true
					seg = append(seg, src[n])
					i += m[1] - 1
					continue
				}
			}
		}
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				text.WriteByte(s[i])
			}
		case '[':
			j := i + 1
			for j < len(s) && s[j] != ']' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			content := s[i+1 : min(j, len(s))]
			i = j
			if k, ok := strings.CutPrefix(content, "<nd:"); ok {
				if n, err := strconv.Atoi(strings.TrimSuffix(k, ">")); err == nil && n >= 0 && n < len(src) && !used[n] {
					flush()
					used[n] = true
					seg = append(seg, src[n])
				}
				continue
			}
			// A superblank we made from a special character.
			if content == "#" || content == "~" {
				text.WriteString(content)
			}
		default:
			text.WriteByte(c)
		}
	}
	flush()
	for n, p := range src {
		if p.Kind != Text && !used[n] {
			seg = append(seg, p)
		}
	}
	return seg
}

// stripMarks removes the marks Apertium puts before a word: * unknown,
// # not generated, @ not in the bilingual dictionary.
//
// An unknown word in lower case (a name is no untranslated word) is
// bracketed with unknownOpen and unknownClose.
func stripMarks(b []byte, src string) []byte {
	out := b[:0:0]
	inUnknown := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inUnknown && utf8.RuneStart(c) {
			if r, _ := utf8.DecodeRune(b[i:]); !isWordRune(r) {
				out = appendUnknownClose(out)
				inUnknown = false
			}
		}
		if c == '\\' && i+1 < len(b) { // an escaped character is text...
			if b[i+1] == '@' && !sourceHasAt(b[i+2:], src) {
				i++ // ...but the generator writes its @ mark escaped
				continue
			}
			out = append(out, c, b[i+1])
			i++
			continue
		}
		if c == '*' || c == '#' || c == '@' {
			next, _ := utf8.DecodeRune(b[i+1:])
			prev, _ := utf8.DecodeLastRune(out)
			atStart := len(out) == 0 || !(unicode.IsLetter(prev) || unicode.IsDigit(prev))
			if atStart && (unicode.IsLetter(next) || unicode.IsDigit(next) || next == '*' || next == '#' || next == '@') {
				// The generator chooses "a" or "an" by the next word, but
				// cannot see past the mark: choose for it.
				if c == '*' && strings.ContainsRune("aeiouAEIOUáéíóúÁÉÍÓÚ", next) && endsWithArticleA(out) {
					out = append(out[:len(out)-1], 'n', ' ')
				}
				if c == '*' && unicode.IsLower(next) {
					out = appendUnknownOpen(out)
					inUnknown = true
				}
				continue
			}
			// Apertium splits a word that starts with digits ("76ers")
			// and marks the rest unknown: "76*ers", unless the source
			// has the asterisk
			if c == '*' && unicode.IsDigit(prev) && unicode.IsLetter(next) && !strings.Contains(src, "*"+leadingWord(b[i+1:])) {
				continue
			}
		}
		out = append(out, c)
	}
	if inUnknown {
		out = appendUnknownClose(out)
	}
	return out
}

// sourceHasAt says whether the word at the start of rest followed an @ in
// the source (a handle), rather than Apertium's mark.
func sourceHasAt(rest []byte, src string) bool {
	w := leadingWord(rest)
	return w == "" || strings.Contains(src, "@"+w)
}

// leadingWord is the word (letters, digits, _) at the start of rest.
func leadingWord(rest []byte) string {
	end := 0
	for end < len(rest) {
		r, n := utf8.DecodeRune(rest[end:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			break
		}
		end += n
	}
	return string(rest[:end])
}

// endsWithArticleA says whether b ends with the word "a" and a space.
func endsWithArticleA(b []byte) bool {
	n := len(b)
	if n < 2 || b[n-1] != ' ' || (b[n-2] != 'a' && b[n-2] != 'A') {
		return false
	}
	if n == 2 {
		return true
	}
	p := b[n-3]
	return p == ' ' || p == ']' || p == '"' || p == '(' || p == '\n'
}

// A sentence that starts with words Apertium does not know (names, mostly)
// gets its first known word capitalised, as if it began the sentence:
// "*Hammel Commented that". reSentenceUnknown finds such a start.
var reSentenceUnknown = regexp.MustCompile(`(?:^|[.!?]["”’»]?\s+|["“«‘]|:\s+)(?:\[<nd:\d+>\])*` +
	`(\*[^\s\[\]*]+(?:\s+\*[^\s\[\]*]+)*)(?:\s|\[<nd:\d+>\])+(\p{Lu})`)

// fixUnknownCase lowercases the first known word after a sentence-initial
// run of unknown words, when the source wrote the word after that run in
// lower case (so the capital is Apertium's, not a name's).
func fixUnknownCase(out, src string) string {
	ms := reSentenceUnknown.FindAllStringSubmatchIndex(out, -1)
	if len(ms) == 0 {
		return out
	}
	b := []byte(out)
	for _, m := range ms {
		run := strings.Fields(out[m[2]:m[3]])
		last := strings.TrimPrefix(run[len(run)-1], "*")
		if !nextWordLower(src, last) {
			continue
		}
		r, n := utf8.DecodeRuneInString(out[m[4]:])
		lo := string(unicode.ToLower(r))
		if len(lo) == n {
			copy(b[m[4]:], lo)
		}
	}
	return string(b)
}

// nextWordLower says whether word occurs in src followed by a word that
// starts with a lower-case letter.
func nextWordLower(src, word string) bool {
	for off := 0; ; {
		i := strings.Index(src[off:], word)
		if i < 0 {
			return false
		}
		rest := strings.TrimLeft(src[off+i+len(word):], " \t")
		off += i + len(word)
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(r) {
			return true
		}
	}
}
