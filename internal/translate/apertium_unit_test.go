package translate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseMode(t *testing.T) {
	got, err := ParseMode("testdata/cat.mode", true)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"STAGE", "-z", "/data/one.bin"}, {"STAGE", "-z", "-g", "/data/two bin"}, {"STAGE", "-z"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestStreamRoundTrip(t *testing.T) {
	seg := Segment{
		{Kind: Text, Text: "Dijo [algo] a/b ^x$ @y <z> {w} #h ~t "},
		{Kind: Open, HTML: `<a href="/x">`},
		{Kind: Text, Text: "López Obrador"},
		{Kind: Close, HTML: "</a>"},
		{Kind: Text, Text: " y"},
	}
	enc := encodeStream(seg)
	if enc[len(enc)-1] != 0 || !strings.Contains(string(enc), `\[algo\]`) || !strings.Contains(string(enc), "[<nd:1>]") {
		t.Fatalf("encoded %q", enc)
	}
	// An identity pipeline gives the segment back, spaces and all.
	dec := decodeStream(enc[:len(enc)-1], seg)
	if got, want := segmentHTML(dec, ""), segmentHTML(seg, ""); got != want {
		t.Errorf("round trip:\n%q\n%q", got, want)
	}
	// A pipeline that loses a superblank still gives every tag back.
	lost := decodeStream([]byte(`Said López Obrador[<nd:3>] and`), seg)
	if h := segmentHTML(lost, ""); !strings.Contains(h, `<a href="/x">`) || strings.Count(h, "</a>") != 1 {
		t.Errorf("lost tag not restored: %q", h)
	}
}

func TestStripMarksAndUnknownCase(t *testing.T) {
	out := fixUnknownCase("*Hammel Commented that *Blinken saw. *Kovacic Chelsea won", "Hammel comentó que Blinken vio. Kovacic Chelsea ganó")
	if got := string(stripMarks([]byte(out), "")); got != "Hammel commented that Blinken saw. Kovacic Chelsea won" {
		t.Errorf("got %q", got)
	}
	if got := string(stripMarks([]byte(`M&*S 5*3 #go @home a*b a *Ayr \@darse DM \@MerPol`), "DM @MerPol")); got != `M&S 5*3 go home a*b an Ayr darse DM \@MerPol` {
		t.Errorf("got %q", got)
	}
	// a word that starts with digits is split and its rest marked unknown
	if got := string(stripMarks([]byte(`The 76*ers won 3*x`), "Los 76ers ganaron 3*x")); got != `The 76ers won 3*x` {
		t.Errorf("got %q", got)
	}
}

// fakeStages writes a mode whose stages are shell scripts, to test the
// pipeline's life cycle without Apertium.
func fakeStages(t *testing.T, script string, timeout time.Duration) *Apertium {
	t.Helper()
	dir := t.TempDir()
	stage := filepath.Join(dir, "stage")
	if err := os.WriteFile(stage, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	mode := "'" + stage + "' | '" + stage + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "spa-eng.mode"), []byte(mode), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &Apertium{ModesDir: dir, Timeout: timeout}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestPipelineRestartsAfterDeath(t *testing.T) {
	a := fakeStages(t, "exec cat", 10*time.Second) // a loaded machine may take a while to start it
	seg := []Segment{{{Kind: Text, Text: "hola"}}}
	out, err := a.Translate(context.Background(), esEn, seg)
	if err != nil || out[0].Plain() != "hola" {
		t.Fatalf("first: %v %v", out, err)
	}
	// Kill the pipeline behind the backend's back.
	for _, c := range a.pipes[esEn.String()].procs {
		c.Process.Kill()
	}
	out, err = a.Translate(context.Background(), esEn, seg)
	if err != nil || out[0].Plain() != "hola" {
		t.Fatalf("after restart: %v %v", out, err)
	}
}

func TestPipelineTimesOut(t *testing.T) {
	a := fakeStages(t, "exec sleep 30", 200*time.Millisecond)
	start := time.Now()
	_, err := a.Translate(context.Background(), esEn, []Segment{{{Kind: Text, Text: "hola"}}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("stuck pipeline not killed in time")
	}
}

func TestApertiumMissingPair(t *testing.T) {
	a := &Apertium{ModesDir: t.TempDir()}
	_, err := a.Translate(context.Background(), Pair{"xx", "yy"}, []Segment{{{Kind: Text, Text: "x"}}})
	if !errors.Is(err, ErrUnsupportedPair) && !errors.Is(err, ErrUnavailable) {
		t.Errorf("err = %v", err)
	}
}
