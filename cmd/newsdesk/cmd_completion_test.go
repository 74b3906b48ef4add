package main

import (
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestCompleteWords(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		words []string
		want  []string // all of these, and only candidates with the prefix
	}{
		{[]string{""}, []string{"demo", "serve", "sources", "completion", "help"}},
		{[]string{"se"}, []string{"serve"}},
		{[]string{"sources", "p"}, []string{"pause", "poll"}},
		{[]string{"serve", "--a"}, []string{"--addr"}},
		{[]string{"sources", "poll", "1", "--fetch"}, []string{"--fetch-allow"}},
		{[]string{"eval", "extract", "--ex"}, []string{"--extractor"}},
		{[]string{"help", "tr"}, []string{"translate"}},
	}
	for _, c := range cases {
		got := complete(ctx, c.words)
		cur := c.words[len(c.words)-1]
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("complete(%q) = %q, lacks %q", c.words, got, w)
			}
		}
		for _, g := range got {
			if !strings.HasPrefix(g, cur) {
				t.Errorf("complete(%q) offers %q", c.words, g)
			}
		}
	}
	// a flag's value and a positional argument are left to the shell's
	// file names
	for _, words := range [][]string{{"import", "--db", ""}, {"import", ""}, {"sources", "poll", ""}} {
		if got := complete(ctx, words); len(got) != 0 {
			t.Errorf("complete(%q) = %q, want none (file names)", words, got)
		}
	}
	// booleans take no value: after one, flags are offered again
	if got := complete(ctx, []string{"serve", "--no-collect", "--si"}); !slices.Contains(got, "--site-name") {
		t.Errorf("after a boolean flag: %q", got)
	}
}

// Every verb completion offers is one its command accepts.
func TestCompletionVerbsExist(t *testing.T) {
	for cmd, verbs := range commandVerbs {
		for _, v := range verbs {
			if code, _, errOut := runCmd(t, nil, cmd, v, "--help"); code != exitOK {
				t.Errorf("%s %s --help: exit %d %q", cmd, v, code, errOut)
			}
		}
	}
	// and every verb sources' help lists is offered
	for _, line := range strings.Split(sourcesUsage, "\n") {
		if f := strings.Fields(line); len(line) > 2 && line[:2] == "  " && line[2] != ' ' && len(f) > 0 {
			if !slices.Contains(commandVerbs["sources"], f[0]) {
				t.Errorf("sources verb %q is not completed", f[0])
			}
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, check := range map[string]string{"bash": "bash", "zsh": "zsh", "fish": "fish"} {
		code, out, _ := runCmd(t, nil, "completion", shell)
		if code != exitOK || !strings.Contains(out, "__complete") {
			t.Fatalf("completion %s: %d %q", shell, code, out)
		}
		if bin, err := exec.LookPath(check); err == nil && shell != "fish" {
			cmd := exec.Command(bin, "-n")
			cmd.Stdin = strings.NewReader(out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v %s", shell, err, msg)
			}
		}
	}
	if code, _, _ := runCmd(t, nil, "completion", "tcsh"); code != exitUsage {
		t.Errorf("unknown shell: exit %d", code)
	}
}
