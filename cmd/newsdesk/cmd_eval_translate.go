package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/eval"
	"github.com/newsdesk/newsdesk/internal/translate"
)

func evalTranslate(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("eval translate", "", "Score translation on a line-aligned set: corpus chrF (sacreBLEU's chrF2) and\n"+
		"BLEU (13a tokens). Translates --src with the chosen backend, or scores a ready\n"+
		"hypothesis file with --hyp. --compare-raw also times the raw `apertium -u`\n"+
		"command on the same input for a throughput comparison.")
	src := fs.String("src", "", "source sentences, one a line (required unless --hyp)")
	ref := fs.String("ref", "", "reference translations, one a line (required)")
	hyp := fs.String("hyp", "", "score this hypothesis file instead of translating")
	from := fs.String("from", "es", "source language")
	to := fs.String("to", "en", "target language")
	asJSON := fs.Bool("json", false, "print a JSON summary as the last line of stdout")
	save := fs.String("save", "", "write the translation to this file")
	raw := fs.Bool("compare-raw", false, "also run `apertium -u PAIR` on --src and report both throughputs")
	ablate := fs.Bool("ablate", false, "also score with each post-editing rule left out, to show what each one adds")
	names := fs.String("names", "", "also score names kept: a file of LINE<TAB>NAME (0-based line), each name to be found verbatim in its translated line")
	halves := fs.Bool("halves", false, "also score each half of the set (by document with --docs, else by line), to check a change on data it was not chosen on")
	docs := fs.String("docs", "", "document id of each line, one a line (doc_ids.tsv), for --halves")
	unknown := fs.Bool("unknown", false, "also count the words the engine left untranslated (marked with the source language in HTML)")
	tf := e.addTranslateFlags(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *ref == "" || (*src == "" && *hyp == "") {
		return usagef("eval translate: --ref and one of --src or --hyp are required")
	}
	refs, err := readLines(*ref)
	if err != nil {
		return err
	}
	var hyps []string
	var words int
	unknownWords := -1
	var elapsed time.Duration
	if *hyp != "" {
		if hyps, err = readLines(*hyp); err != nil {
			return err
		}
	} else {
		srcs, err := readLines(*src)
		if err != nil {
			return err
		}
		for _, s := range srcs {
			words += len(strings.Fields(s))
		}
		svc, closer, err := tf.service(e)
		if err != nil {
			return err
		}
		defer closer.Close()
		p := translate.Pair{From: *from, To: *to}
		// Warm the backend (Apertium starts its pipeline) outside the timing.
		if _, err := svc.TranslateText(ctx, p, "Hola."); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "translating %d lines (%d words) with %s...\n", len(srcs), words, tf.backend)
		start := time.Now()
		out, err := svc.TranslateText(ctx, p, strings.Join(srcs, "\n"))
		if err != nil {
			return err
		}
		elapsed = time.Since(start)
		hyps = strings.Split(out, "\n")
		if *ablate {
			if err := ablateRules(ctx, e, svc, p, srcs, refs, eval.ChrF2.Corpus(hyps, refs)); err != nil {
				return err
			}
		}
		if *unknown {
			var b strings.Builder
			for _, l := range srcs {
				b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
			}
			h, err := svc.TranslateHTML(ctx, p, b.String())
			if err != nil {
				return err
			}
			unknownWords = translate.CountUnknown(h, p.From)
		}
		if *save != "" {
			if err := os.WriteFile(*save, []byte(out+"\n"), 0o644); err != nil {
				return fmt.Errorf("eval translate: %w", err)
			}
		}
	}
	if len(hyps) != len(refs) {
		return fmt.Errorf("eval translate: %d hypotheses for %d references", len(hyps), len(refs))
	}
	res := map[string]any{
		"sentences": len(refs),
		"chrf":      round2(eval.ChrF2.Corpus(hyps, refs)),
		"bleu":      round2(eval.CorpusBLEU(hyps, refs)),
	}
	fmt.Fprintf(e.stdout, "sentences %d\nchrF2     %.2f\nBLEU      %.2f\n", len(refs), res["chrf"], res["bleu"])
	if unknownWords >= 0 {
		res["unknown_words"] = unknownWords
		fmt.Fprintf(e.stdout, "unknown   %d words left in %s (%.2f%% of %d)\n", unknownWords, *from, 100*ratio(unknownWords, words), words)
	}
	if words > 0 {
		wps := float64(words) / elapsed.Seconds()
		res["words"], res["seconds"], res["words_per_second"] = words, round2(elapsed.Seconds()), round2(wps)
		fmt.Fprintf(e.stdout, "time      %.2fs (%.0f words/s, backend warm)\n", elapsed.Seconds(), wps)
		if *raw {
			rawT, err := timeRawApertium(ctx, *src, *from, *to)
			if err != nil {
				return err
			}
			rw := float64(words) / rawT.Seconds()
			res["raw_seconds"], res["raw_words_per_second"], res["speed_ratio"] = round2(rawT.Seconds()), round2(rw), round2(wps/rw)
			fmt.Fprintf(e.stdout, "raw       %.2fs (%.0f words/s, `apertium -u` incl. start-up); ratio %.2f\n", rawT.Seconds(), rw, wps/rw)
		}
	}
	var nameList []lineName
	if *names != "" {
		if nameList, err = readNames(*names); err != nil {
			return err
		}
		kept, total := namesKept(hyps, nameList, 0, len(hyps))
		res["names_kept"], res["names_total"] = kept, total
		fmt.Fprintf(e.stdout, "names     %d/%d kept (%.4f)\n", kept, total, ratio(kept, total))
	}
	if *halves {
		cut := len(hyps) / 2
		if *docs != "" {
			ids, err := readLines(*docs)
			if err != nil {
				return err
			}
			cut = docHalf(ids)
		}
		for h, r := range [][2]int{{0, cut}, {cut, len(hyps)}} {
			label := string(rune('A' + h))
			c, b := eval.ChrF2.Corpus(hyps[r[0]:r[1]], refs[r[0]:r[1]]), eval.CorpusBLEU(hyps[r[0]:r[1]], refs[r[0]:r[1]])
			res["chrf_"+label], res["bleu_"+label] = round2(c), round2(b)
			fmt.Fprintf(e.stdout, "half %s    lines %d-%d chrF2 %.2f BLEU %.2f", label, r[0], r[1]-1, c, b)
			if nameList != nil {
				kept, total := namesKept(hyps, nameList, r[0], r[1])
				res["names_kept_"+label] = round4(ratio(kept, total))
				fmt.Fprintf(e.stdout, " names %d/%d (%.4f)", kept, total, ratio(kept, total))
			}
			fmt.Fprintln(e.stdout)
		}
	}
	if *asJSON {
		b, _ := json.Marshal(res)
		fmt.Fprintln(e.stdout, string(b))
	}
	return nil
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval translate: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval translate: %s: %w", path, err)
	}
	return out, nil
}

// timeRawApertium runs the apertium wrapper over the whole file, as the
// published raw scores were made.
func timeRawApertium(ctx context.Context, src, from, to string) (time.Duration, error) {
	a := &translate.Apertium{}
	mode, err := a.ModeFile(translate.Pair{From: from, To: to})
	if err != nil {
		return 0, err
	}
	pair := strings.TrimSuffix(mode[strings.LastIndex(mode, "/")+1:], ".mode")
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	cmd := exec.CommandContext(ctx, "apertium", "-u", pair)
	cmd.Stdin = in
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("eval translate: apertium: %w", err)
	}
	return time.Since(start), nil
}

// ablateRules scores the set with each rule of svc left out in turn.
func ablateRules(ctx context.Context, e *env, svc *translate.Service, p translate.Pair, srcs, refs []string, all float64) error {
	rules := svc.Rules
	if rules == nil {
		rules = translate.DefaultRules
	}
	defer func() { svc.Rules = rules }()
	fmt.Fprintf(e.stdout, "%-14s %8s %8s\n", "without rule", "chrF2", "delta")
	for i, r := range rules {
		svc.Rules = append(append([]translate.Rule{}, rules[:i]...), rules[i+1:]...)
		out, err := svc.TranslateText(ctx, p, strings.Join(srcs, "\n"))
		if err != nil {
			return err
		}
		c := eval.ChrF2.Corpus(strings.Split(out, "\n"), refs)
		fmt.Fprintf(e.stdout, "%-14s %8.3f %+8.3f\n", r.Name, c, all-c)
	}
	return nil
}

// lineName is a name expected in the translation of a line.
type lineName struct {
	line int
	name string
}

// readNames reads LINE<TAB>NAME lines.
func readNames(path string) ([]lineName, error) {
	lines, err := readLines(path)
	if err != nil {
		return nil, err
	}
	var out []lineName
	for i, l := range lines {
		n, name, ok := strings.Cut(l, "\t")
		k, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("eval translate: %s:%d: want LINE<TAB>NAME", path, i+1)
		}
		out = append(out, lineName{k, name})
	}
	return out, nil
}

// namesKept counts the names of lines [from, to) found verbatim in their
// translated line.
func namesKept(hyps []string, names []lineName, from, to int) (kept, total int) {
	for _, n := range names {
		if n.line < from || n.line >= to || n.line >= len(hyps) {
			continue
		}
		total++
		if strings.Contains(hyps[n.line], n.name) {
			kept++
		}
	}
	return kept, total
}

// docHalf is the first line of the second half of the documents, in the
// order they come.
func docHalf(ids []string) int {
	var order []string
	first := map[string]int{}
	for i, id := range ids {
		if _, ok := first[id]; !ok {
			first[id] = i
			order = append(order, id)
		}
	}
	if len(order) < 2 {
		return len(ids) / 2
	}
	return first[order[len(order)/2]]
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
