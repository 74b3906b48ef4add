package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSpectralCut(t *testing.T) {
	cos := func(a, b map[int32]float64) float64 {
		var dot, na, nb float64
		for id, x := range a {
			na += x * x
			dot += x * b[id]
		}
		for _, x := range b {
			nb += x * x
		}
		if na == 0 || nb == 0 {
			return 0
		}
		return dot / math.Sqrt(na*nb)
	}
	// vec gives an article the shared term 1 and its own group's terms
	vec := func(group, k int32) map[int32]float64 {
		return map[int32]float64{1: 0.2, 10 + group: 1, 20 + group: 0.5, 100 + k: 0.3}
	}
	tests := []struct {
		name    string
		groups  []int32
		wantCut bool // a cut clearly below the default threshold
	}{
		{"two events", []int32{0, 1, 0, 1, 0, 1, 0, 1, 1, 0}, true},
		{"one event", []int32{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vecs := make([]map[int32]float64, len(tc.groups))
			for i, g := range tc.groups {
				vecs[i] = vec(g, int32(i))
			}
			sim := make([][]float64, len(vecs))
			for i := range sim {
				sim[i] = make([]float64, len(vecs))
				for j := range sim[i] {
					if i != j {
						sim[i][j] = cos(vecs[i], vecs[j])
					}
				}
			}
			ia, ib, ncut := spectralCut(sim)
			if ia == nil {
				t.Fatal("no cut")
			}
			if got := ncut < DefaultSplitThreshold; got != tc.wantCut {
				t.Fatalf("ncut %.3f, want below %v: %v", ncut, DefaultSplitThreshold, tc.wantCut)
			}
			if !tc.wantCut {
				return
			}
			for _, part := range [][]int{ia, ib} {
				for _, i := range part {
					if tc.groups[i] != tc.groups[part[0]] {
						t.Fatalf("mixed part %v of %v", part, tc.groups)
					}
				}
			}
		})
	}
}

func TestCollapseMoves(t *testing.T) {
	got := collapseMoves([]Move{
		{Article: 1, From: 10, To: 11},
		{Article: 2, From: 10, To: 12},
		{Article: 1, From: 11, To: 12},
		{Article: 2, From: 12, To: 10},
		{Article: 3, From: 11, To: 10},
	})
	want := []Move{{Article: 1, From: 10, To: 12}, {Article: 3, From: 11, To: 10}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestNormNumber(t *testing.T) {
	for in, want := range map[string]string{
		"2,000": "2000", "2.000": "2000", "1,234,567": "1234567",
		"5.6": "5.6", "5,6": "5.6", "93.87": "93.87", "1.234,5": "1234.5",
	} {
		if got := normNumber(in); got != want {
			t.Errorf("normNumber(%q) = %q, want %q", in, got, want)
		}
	}
	f := Extract("", "A 5.6 magnitude quake; 2,000 homes. Un sismo de 5,6 grados; 2.000 casas.")
	if f.Terms["d5.6"] != 4 || f.Terms["d2000"] != 4 { // lead words count twice
		t.Errorf("numbers %v", f.Terms)
	}
}

func TestSharedCos(t *testing.T) {
	a, b, x, y := &docState{id: 1, alive: true}, &docState{id: 2, alive: true}, &docState{id: 3, alive: true}, &docState{id: 4, alive: true}
	a.nbr = []neighbour{{b, 0.5}, {x, 0.4}}
	b.nbr = []neighbour{{a, 0.5}, {x, 0.4}}
	if c := sharedCos(a, b); c < 0.5 || c > 1 {
		t.Errorf("rows sharing neighbours: cos %.3f", c)
	}
	if c := sharedCos(a, y); c != 0 {
		t.Errorf("rows sharing nothing: cos %.3f", c)
	}
	if c := sharedCos(a, a); math.Abs(c-1) > 1e-9 {
		t.Errorf("a row with itself: cos %.3f", c)
	}
}

// eventArticles writes n short articles about one event: each tells a
// few of the event's facts in the words of the kind of event, so that
// two events of a kind share most words and differ in names, places and
// numbers.
func eventArticles(facts, kind []string, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 3))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for _, k := range r.Perm(len(facts))[:3] {
			b.WriteString(facts[k] + " ")
		}
		for _, k := range r.Perm(len(kind))[:3] {
			b.WriteString(kind[k] + " ")
		}
		out[i] = b.String()
	}
	return out
}

var fireKind = []string{
	"Firefighters worked through the night to bring the blaze under control.",
	"Smoke could be seen for miles and residents were told to keep windows closed.",
	"The supermarket chain said it was working with the fire service.",
	"Investigators will try to establish the cause of the fire.",
	"No one was injured, the fire service said.",
	"Shoppers and staff were evacuated from the store.",
}

func TestRefineJoinsPartsOfOneEvent(t *testing.T) {
	banstead := eventArticles([]string{
		"A fire destroyed the Waitrose store in Banstead, Surrey, on Tuesday.",
		"Surrey Fire and Rescue sent 15 engines to Banstead High Street.",
		"Banstead residents watched as the Waitrose roof collapsed.",
		"Surrey Police said the Banstead fire was being treated as suspicious.",
		"Around 60 people living near the Banstead store were moved out.",
		"Chief officer Dan Quin said crews reached Banstead within minutes.",
	}, fireKind, 10, 1)
	wellington := eventArticles([]string{
		"Fire tore through the Waitrose supermarket in Wellington, Somerset.",
		"Devon and Somerset Fire and Rescue sent 12 crews to Wellington.",
		"Half of the roof of the Wellington Waitrose fell in.",
		"Wellington town centre was closed while Somerset crews worked.",
		"Mayor Janet Lloyd said Wellington had lost its biggest shop.",
		"Somerset police closed the road outside the Wellington store.",
	}, fireKind, 10, 2)
	// every article starts a story of its own; then Banstead's are put in
	// two stories, as an early, unlucky stream would have left them
	c := New(Options{Threshold: 0.99, MergeThreshold: 0.999})
	var docs []*docState
	for i, text := range append(append([]string{}, banstead...), wellington...) {
		c.Add(Article{ID: int64(i + 1), Features: Extract("", text)})
		docs = append(docs, c.docs[len(c.docs)-1])
	}
	c.opts.Threshold = DefaultThreshold // joinParts' floor is a share of it
	place := func(d *docState, to int64) {
		from := c.Resolve(d.story)
		c.centRemove(from, d)
		if c.size[from]--; c.size[from] <= 0 {
			delete(c.size, from)
		}
		c.centAdd(to, d)
		c.size[to]++
		d.story = to
	}
	for i, d := range docs {
		switch {
		case i < 5:
			place(d, docs[0].story)
		case i < 10:
			place(d, docs[5].story)
		default:
			place(d, docs[10].story)
		}
	}
	c.joinParts(docs)
	story := func(i int) int64 { return c.Resolve(docs[i].story) }
	for i := 1; i < 10; i++ {
		if story(i) != story(0) {
			t.Errorf("Banstead article %d in story %d, the first in %d: the parts were not joined", i, story(i), story(0))
		}
	}
	for i := 10; i < 20; i++ {
		if story(i) == story(0) {
			t.Errorf("Wellington article %d joined the Banstead story", i)
		}
	}
}

func TestParallelMap(t *testing.T) {
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	out := parallelMap(in, func(x int) int { return x * x })
	for i, y := range out {
		if y != i*i {
			t.Fatalf("out[%d] = %d, want %d", i, y, i*i)
		}
	}
	if got := parallelMap(nil, func(x int) int { return x }); len(got) != 0 {
		t.Errorf("empty input gave %v", got)
	}
}

// Refine's parallel parts must not change its outcome: the same stream
// refined on one core and on several ends in the same stories.
func TestRefineSameOnAnyNumberOfCores(t *testing.T) {
	arts := siblingStream(3000, 7)
	run := func(procs int) []int64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		c := New(Options{})
		story := make([]int64, len(arts))
		moved := 0
		for i, a := range arts {
			story[i] = c.Add(a).Story
			if (i+1)%DefaultRefineEvery == 0 {
				for _, m := range c.Refine() {
					story[m.Article-1] = m.To
					moved++
				}
			}
		}
		if moved == 0 {
			t.Fatal("the stream made Refine move nothing; it tests nothing")
		}
		for i := range story {
			story[i] = c.Resolve(story[i])
		}
		return story
	}
	one, four := run(1), run(4)
	for i := range one {
		if one[i] != four[i] {
			t.Fatalf("article %d: story %d on one core, %d on four", i+1, one[i], four[i])
		}
	}
}

// siblingStream makes n articles about n/10 events in pairs of
// siblings: two events of a pair share their place and their figures,
// and all draw words from one vocabulary, so online assignment errs and
// Refine has articles to move, stories to split and parts to join.
func siblingStream(n int, seed uint64) []Article {
	r := rand.New(rand.NewPCG(seed, 3))
	events := n/10 + 1
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]Article, n)
	for i := range out {
		ev := r.IntN(events)
		pair := ev / 2
		var b strings.Builder
		fmt.Fprintf(&b, "Officials in Town%d said %d people were hurt. ", pair, 10+pair%50)
		if r.IntN(3) > 0 {
			fmt.Fprintf(&b, "Chief Name%d spoke. ", ev)
		}
		for range 60 {
			fmt.Fprintf(&b, "word%d ", r.IntN(400))
		}
		out[i] = Article{ID: int64(i + 1), Published: t0.Add(time.Duration(i) * time.Second), Features: Extract("", b.String())}
	}
	return out
}

// joinCut computes from sums what the split graph gives pair by pair.
func TestJoinCutMatchesGraph(t *testing.T) {
	c := New(Options{})
	for _, a := range siblingStream(400, 3) {
		c.Add(a)
	}
	open := c.docs[c.head:]
	for _, tc := range []struct{ a, b []*docState }{
		{open[:10], open[10:25]},
		{open[100:101], open[200:230]},
		{open[50:74], open[300:324]},
	} {
		g := c.splitGraph(append(append([]*docState(nil), tc.a...), tc.b...))
		var cut, volA, volB float64
		for i, row := range g {
			for j, x := range row {
				switch {
				case i >= len(tc.a):
					volB += x
				case j >= len(tc.a):
					volA += x
					cut += x
				default:
					volA += x
				}
			}
		}
		want := cut/volA + cut/volB
		if got := c.joinCut(tc.a, tc.b); math.Abs(got-want) > 1e-9 || want == 0 {
			t.Errorf("joinCut of %d and %d articles = %v, the graph gives %v", len(tc.a), len(tc.b), got, want)
		}
	}
}

// centCosSpread reads a centroid spread over a table, with the norm
// spreadCent computed on the way, and must give exactly what centCos
// gives from the centroid's sorted lists and centNorm.
func TestCentCosSpreadMatches(t *testing.T) {
	c := New(Options{})
	for _, a := range siblingStream(300, 9) {
		c.Add(a)
	}
	spread := new(termTable[float32])
	compared := 0
	for sid, ct := range c.cents {
		for _, d := range c.docs[c.head:][:40] {
			own := c.Resolve(d.story) == sid
			ct.normAt = -1 // stale: centNorm computes it
			want := c.centCos(d, sid, own)
			ct.normAt = -1 // stale: spreadCent computes it
			c.spreadCent(ct, spread)
			if ct.normAt != c.nDocs {
				t.Fatal("spreadCent left the norm stale")
			}
			if got := c.centCosSpread(d, ct, spread, own); got != want {
				t.Fatalf("article %d, story %d: spread %v, map %v", d.id, sid, got, want)
			}
			if want != 0 {
				compared++
			}
		}
	}
	if compared == 0 {
		t.Fatal("no article was similar to any story; the test compares nothing")
	}
}

// A centroid's sorted term lists must hold what a map from term to
// summed weight would, through articles added, taken out and merged.
func TestCentroidAddSub(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	vec := func() ([]int32, []float32) {
		var ids []int32
		for id := int32(0); id < 60; id++ {
			if r.IntN(3) == 0 {
				ids = append(ids, id)
			}
		}
		ws := make([]float32, len(ids))
		for i := range ws {
			ws[i] = r.Float32() + 0.01
		}
		return ids, ws
	}
	check := func(ct *centroid, want map[int32]float32) {
		t.Helper()
		if !slices.IsSorted(ct.ids) || len(ct.ids) != len(want) || len(ct.w) != len(ct.ids) {
			t.Fatalf("ids %v, want the %d terms of %v in order", ct.ids, len(want), want)
		}
		for j, id := range ct.ids {
			if w, ok := want[id]; !ok || w != ct.w[j] {
				t.Fatalf("term %d: weight %v, want %v (present %v)", id, ct.w[j], w, ok)
			}
		}
	}
	a, b := &centroid{}, &centroid{}
	wa, wb := map[int32]float32{}, map[int32]float32{}
	type vecT struct {
		ids []int32
		ws  []float32
	}
	var in []vecT
	for k := 0; k < 40; k++ {
		ids, ws := vec()
		ct, want := a, wa
		if k%2 == 1 {
			ct, want = b, wb
		} else {
			in = append(in, vecT{ids, ws})
		}
		ct.add(ids, ws)
		for i, id := range ids {
			want[id] += ws[i]
		}
		check(ct, want)
	}
	sub := func(v vecT) { // from a, and from its model
		a.sub(v.ids, v.ws)
		for i, id := range v.ids {
			if w := wa[id] - v.ws[i]; w > 1e-6 {
				wa[id] = w
			} else {
				delete(wa, id)
			}
		}
	}
	for _, v := range in[:10] {
		sub(v)
		check(a, wa)
	}
	a.add(b.ids, b.w)
	for id, w := range wb {
		wa[id] += w
	}
	check(a, wa)
	for _, v := range in {
		sub(v)
	}
	check(a, wa)
}

// On noisy graphs of two groups of uneven size, spectralCut must find
// the cheapest normalised cut there is (by trying every division) and
// it must be the two groups.
func TestSpectralCutFindsBestCut(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 20; trial++ {
		n := 8 + r.IntN(7)
		sizeA := minSplit + r.IntN(n-2*minSplit+1)
		sim := make([][]float64, n)
		for i := range sim {
			sim[i] = make([]float64, n)
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				x := 0.02 + 0.15*r.Float64() // across
				if (i < sizeA) == (j < sizeA) {
					x = 0.4 + 0.5*r.Float64() // within
				}
				sim[i][j], sim[j][i] = x, x
			}
		}
		ia, ib, ncut := spectralCut(sim)
		best := math.Inf(1)
		for mask := 1; mask < 1<<n-1; mask++ {
			var cut, volA, vol float64
			size := 0
			for i := 0; i < n; i++ {
				inA := mask&(1<<i) != 0
				if inA {
					size++
				}
				for j := 0; j < n; j++ {
					vol += sim[i][j]
					if inA {
						volA += sim[i][j]
						if mask&(1<<j) == 0 {
							cut += sim[i][j]
						}
					}
				}
			}
			if size < minSplit || n-size < minSplit {
				continue
			}
			best = min(best, cut/volA+cut/(vol-volA))
		}
		if math.Abs(ncut-best) > 1e-9 {
			t.Fatalf("trial %d (n %d): cut %.6f, the best is %.6f", trial, n, ncut, best)
		}
		a := ia // the part with article 0
		if !slices.Contains(ia, 0) {
			a = ib
		}
		if len(a) != sizeA {
			t.Fatalf("trial %d: parts %v and %v, want the first %d articles apart", trial, ia, ib, sizeA)
		}
		for k, i := range a {
			if i != k {
				t.Fatalf("trial %d: parts %v and %v, want the first %d articles apart", trial, ia, ib, sizeA)
			}
		}
	}
}

// A story a try found clearly one event is not tried again until it has
// grown by an eighth.
func TestSplitRetriedAfterGrowth(t *testing.T) {
	texts := eventArticles([]string{
		"A fire destroyed the Waitrose store in Banstead, Surrey, on Tuesday.",
		"Surrey Fire and Rescue sent 15 engines to Banstead High Street.",
		"Banstead residents watched as the Waitrose roof collapsed.",
		"Surrey Police said the Banstead fire was being treated as suspicious.",
	}, fireKind, 33, 1)
	c := New(Options{})
	add := func(from, to int) int64 {
		var sid int64
		for i := from; i < to; i++ {
			sid = c.Add(Article{ID: int64(i + 1), Features: Extract("", texts[i])}).Story
		}
		c.Refine()
		return c.Resolve(sid)
	}
	sid := add(0, 24)
	if c.size[sid] != 24 || c.unsplit[sid] != 24 {
		t.Fatalf("after the first try: size %d, unsplit at %d; want one story of 24 found one event", c.size[sid], c.unsplit[sid])
	}
	add(24, 26) // 26 < 24 + 24/8: not tried again
	if c.unsplit[sid] != 24 {
		t.Errorf("tried again at 26 articles: unsplit at %d", c.unsplit[sid])
	}
	add(26, 27) // 27 = 24 + 24/8: tried, and the mark moves or goes
	if c.unsplit[sid] == 24 {
		t.Errorf("not tried again at 27 articles: unsplit still at 24")
	}
}
