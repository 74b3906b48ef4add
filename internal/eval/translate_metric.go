package eval

import (
	"math"
	"regexp"
	"strings"
)

// This file scores machine translation the way sacreBLEU 2.x does, so that
// our figures compare with published ones: corpus chrF (character n-grams,
// default chrF2) and corpus BLEU with the 13a tokeniser. Written here rather
// than imported because no maintained Go port exists and both are short.

// ChrF configures corpus chrF. The zero value is not useful; use ChrF2.
type ChrF struct {
	CharOrder int     // character n-gram order, 6 in chrF2
	Beta      float64 // recall weight, 2 in chrF2
	// EpsSmoothing averages the F-scores of every order with chrF++.py's
	// epsilon for empty orders; when false (sacreBLEU's default), precision
	// and recall are averaged over the orders that occur ("effective order").
	EpsSmoothing bool
	// KeepWhitespace keeps spaces inside character n-grams; sacreBLEU drops them.
	KeepWhitespace bool
}

// ChrF2 is sacreBLEU's default chrF.
var ChrF2 = ChrF{CharOrder: 6, Beta: 2}

// Corpus returns the corpus chrF (0-100) of hyps against one reference each.
func (c ChrF) Corpus(hyps, refs []string) float64 {
	stats := make([]int, 3*c.CharOrder)
	for i, h := range hyps {
		r := ""
		if i < len(refs) {
			r = refs[i]
		}
		for j, s := range c.sentenceStats(h, r) {
			stats[j] += s
		}
	}
	return c.score(stats)
}

// Sentence returns the chrF of one hypothesis against one reference.
func (c ChrF) Sentence(hyp, ref string) float64 { return c.score(c.sentenceStats(hyp, ref)) }

// sentenceStats gives, per order, hypothesis n-grams, reference n-grams and
// matched n-grams.
func (c ChrF) sentenceStats(hyp, ref string) []int {
	hg := charNgrams(hyp, c.CharOrder, c.KeepWhitespace)
	rg := charNgrams(ref, c.CharOrder, c.KeepWhitespace)
	stats := make([]int, 3*c.CharOrder)
	for n := 0; n < c.CharOrder; n++ {
		var nh, nr, nm int
		for g, k := range hg[n] {
			nh += k
			nm += min(k, rg[n][g])
		}
		for _, k := range rg[n] {
			nr += k
		}
		stats[3*n], stats[3*n+1], stats[3*n+2] = nh, nr, nm
	}
	return stats
}

func charNgrams(s string, order int, keepSpace bool) []map[string]int {
	if !keepSpace {
		s = strings.Join(strings.Fields(s), "")
	}
	rs := []rune(s)
	out := make([]map[string]int, order)
	for n := 1; n <= order; n++ {
		m := make(map[string]int)
		for i := 0; i+n <= len(rs); i++ {
			m[string(rs[i:i+n])]++
		}
		out[n-1] = m
	}
	return out
}

func (c ChrF) score(stats []int) float64 {
	const eps = 1e-16
	factor := c.Beta * c.Beta
	var sum, avgP, avgR float64
	eff := 0
	for n := 0; n < c.CharOrder; n++ {
		nh, nr, nm := float64(stats[3*n]), float64(stats[3*n+1]), float64(stats[3*n+2])
		p, r := eps, eps
		if nh > 0 {
			p = nm / nh
		}
		if nr > 0 {
			r = nm / nr
		}
		if d := factor*p + r; d > 0 {
			sum += (1 + factor) * p * r / d
		} else {
			sum += eps
		}
		if nh > 0 && nr > 0 {
			avgP += p
			avgR += r
			eff++
		}
	}
	if c.EpsSmoothing {
		return 100 * sum / float64(c.CharOrder)
	}
	if eff == 0 {
		return 0
	}
	avgP /= float64(eff)
	avgR /= float64(eff)
	if avgP+avgR == 0 {
		return 0
	}
	return 100 * (1 + factor) * avgP * avgR / (factor*avgP + avgR)
}

// BLEUStats are the sufficient statistics of corpus BLEU.
type BLEUStats struct {
	Correct [4]int
	Total   [4]int
	SysLen  int
	RefLen  int
}

// Tokenize13a is sacreBLEU's (and mteval-v13a's) default tokenisation.
func Tokenize13a(line string) string {
	line = strings.ReplaceAll(line, "<skipped>", "")
	line = strings.ReplaceAll(line, "-\n", "")
	line = strings.ReplaceAll(line, "\n", " ")
	if strings.Contains(line, "&") {
		line = strings.NewReplacer("&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(line)
	}
	line = " " + line + " "
	line = re13aPunct.ReplaceAllString(line, " $1 ")
	line = re13aPeriodAfter.ReplaceAllString(line, "$1 $2 ")
	line = re13aPeriodBefore.ReplaceAllString(line, " $1 $2")
	line = re13aDash.ReplaceAllString(line, "$1 $2 ")
	return strings.Join(strings.Fields(line), " ")
}

var (
	re13aPunct        = regexp.MustCompile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])")
	re13aPeriodAfter  = regexp.MustCompile(`([^0-9])([\.,])`)
	re13aPeriodBefore = regexp.MustCompile(`([\.,])([^0-9])`)
	re13aDash         = regexp.MustCompile(`([0-9])(-)`)
)

// CorpusBLEU returns sacreBLEU's default corpus BLEU (13a tokens, 4-grams,
// "exp" smoothing) of hyps against one or more reference sets, each as long
// as hyps.
func CorpusBLEU(hyps []string, refSets ...[]string) float64 {
	var st BLEUStats
	for i, h := range hyps {
		refs := make([]string, 0, len(refSets))
		for _, rs := range refSets {
			if i < len(rs) {
				refs = append(refs, rs[i])
			}
		}
		st.add(h, refs)
	}
	return st.Score()
}

func (st *BLEUStats) add(hyp string, refs []string) {
	ht := strings.Fields(Tokenize13a(hyp))
	st.SysLen += len(ht)
	maxRef := map[string]int{}
	closest := -1
	for _, r := range refs {
		rt := strings.Fields(Tokenize13a(r))
		d, cd := abs(len(rt)-len(ht)), abs(closest-len(ht))
		if closest < 0 || d < cd || (d == cd && len(rt) < closest) {
			closest = len(rt)
		}
		for g, k := range wordNgrams(rt) {
			if k > maxRef[g] {
				maxRef[g] = k
			}
		}
	}
	if closest > 0 {
		st.RefLen += closest
	}
	for g, k := range wordNgrams(ht) {
		n := strings.Count(g, "\x00")
		st.Total[n] += k
		st.Correct[n] += min(k, maxRef[g])
	}
}

func wordNgrams(toks []string) map[string]int {
	m := map[string]int{}
	for n := 1; n <= 4; n++ {
		for i := 0; i+n <= len(toks); i++ {
			m[strings.Join(toks[i:i+n], "\x00")]++
		}
	}
	return m
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Score is BLEU (0-100) with sacreBLEU's default "exp" smoothing.
func (st BLEUStats) Score() float64 {
	if st.SysLen == 0 {
		return 0
	}
	var prec [4]float64
	smooth := 1.0
	for n := 0; n < 4; n++ {
		if st.Total[n] == 0 {
			break
		}
		if st.Correct[n] == 0 {
			smooth *= 2
			prec[n] = 100 / (smooth * float64(st.Total[n]))
		} else {
			prec[n] = 100 * float64(st.Correct[n]) / float64(st.Total[n])
		}
	}
	bp := 1.0
	if st.SysLen < st.RefLen {
		bp = math.Exp(1 - float64(st.RefLen)/float64(st.SysLen))
	}
	var logs float64
	for _, p := range prec {
		if p == 0 {
			logs += -9999999999
		} else {
			logs += math.Log(p)
		}
	}
	return bp * math.Exp(logs/4)
}
