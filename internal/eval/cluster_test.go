package eval

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestPairScore(t *testing.T) {
	cases := []struct {
		name       string
		gold, pred []string
		p, r, f    float64
	}{
		{"perfect", []string{"a", "a", "b", "b"}, []string{"x", "x", "y", "y"}, 1, 1, 1},
		{"all in one", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"}, 2.0 / 6, 1, 0.5},
		{"all apart", []string{"a", "a", "b", "b"}, []string{"1", "2", "3", "4"}, 1, 0, 0},
		// gold pairs: (0,1),(0,2),(1,2); predicted pairs: (0,1),(2,3): TP 1
		{"mixed", []string{"a", "a", "a", "b"}, []string{"x", "x", "y", "y"}, 0.5, 1.0 / 3, 0.4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := PairScore(c.gold, c.pred)
			if math.Abs(r.Precision-c.p) > 1e-9 || math.Abs(r.Recall-c.r) > 1e-9 || math.Abs(r.F1-c.f) > 1e-9 {
				t.Errorf("got P %.4f R %.4f F %.4f, want %.4f %.4f %.4f", r.Precision, r.Recall, r.F1, c.p, c.r, c.f)
			}
		})
	}
}

func TestClusterEval(t *testing.T) {
	corpus := `{"id":"1","cluster":"peru","lang":"en","text":"A magnitude 6.1 earthquake struck Arequipa in southern Peru, killing 4 people, Peru's geophysical institute said."}
{"id":"2","cluster":"fire","lang":"en","text":"Fire crews fought a blaze at a Waitrose supermarket in Banstead, Surrey; 60 residents were evacuated."}
{"id":"3","cluster":"peru","lang":"en","text":"Rescuers in Arequipa searched homes after the 6.1 quake in Peru; 4 people died, the institute said."}
{"id":"4","cluster":"fire","lang":"es","text":"Los bomberos combatieron un incendio en un supermercado Waitrose en Banstead, Surrey; 60 vecinos fueron evacuados."}
`
	docs, err := ReadClusterDocs(strings.NewReader(corpus))
	if err != nil {
		t.Fatal(err)
	}
	var translated []string
	res, pred, err := ClusterEval(context.Background(), docs, ClusterOptions{
		Translate: func(_ context.Context, lang string, texts []string) ([]string, error) {
			translated = append(translated, lang)
			return []string{"Firefighters fought a fire at a Waitrose supermarket in Banstead, Surrey; 60 residents were evacuated."}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(translated) != 1 || translated[0] != "es" {
		t.Errorf("translated %v, want one es batch", translated)
	}
	if res.Docs != 4 || res.F1 != 1 || pred[0] != pred[2] || pred[1] != pred[3] || pred[0] == pred[1] {
		t.Errorf("result %+v, stories %v", res, pred)
	}
	if _, err := ReadClusterDocs(strings.NewReader(`{"id":"1","text":"x"}`)); err == nil {
		t.Error("a line without cluster was accepted")
	}
}

func TestClusterOrders(t *testing.T) {
	var lines []string
	texts := []string{
		"A magnitude 6.1 earthquake struck Arequipa in southern Peru, killing 4 people.",
		"Fire crews fought a blaze at a Waitrose supermarket in Banstead, Surrey.",
		"Rescuers in Arequipa searched homes after the 6.1 earthquake in Peru killed 4.",
		"The Waitrose store in Banstead was destroyed by fire overnight, Surrey police said.",
		"Peru's geophysical institute counts 4 dead in Arequipa after the 6.1 quake.",
		"Banstead Waitrose fire: Surrey firefighters spent the night at the supermarket.",
	}
	for i, tx := range texts {
		lines = append(lines, fmt.Sprintf(`{"id":"%d","cluster":"%d","lang":"en","text":%q}`, i, i%2, tx))
	}
	docs, err := ReadClusterDocs(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := ClusterEval(context.Background(), docs, ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	runs, err := ClusterOrders(context.Background(), docs, ClusterOptions{Progress: func(n int) { seen = append(seen, n) }}, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[0] != first {
		t.Fatalf("runs %+v, want 3 starting with the file order's %+v", runs, first)
	}
	for _, r := range runs {
		if r.Docs != len(docs) || r.F1 < 0 || r.F1 > 1 {
			t.Errorf("run %+v", r)
		}
	}
	if len(seen) != 3*len(docs) {
		t.Errorf("progress called %d times, want %d", len(seen), 3*len(docs))
	}
	// the same seed gives the same orders
	again, _ := ClusterOrders(context.Background(), docs, ClusterOptions{}, 3, 7)
	for i := range runs {
		if runs[i] != again[i] {
			t.Errorf("order %d: %+v then %+v with one seed", i, runs[i], again[i])
		}
	}
}
