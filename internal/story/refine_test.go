package story

import (
	"math"
	"testing"
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
			ia, ib, ncut := spectralCut(vecs, cos)
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
