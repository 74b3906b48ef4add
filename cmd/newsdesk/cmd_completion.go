package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// commandVerbs are the verbs of the commands that take one first; every
// other word is completed from the command's own --help, so completion
// can't fall out of step with the flags.
var commandVerbs = map[string][]string{
	"sources": {"add", "list", "remove", "pause", "resume", "poll", "import-opml", "export-opml"},
	"eval":    evalVerbs(),
	"admin":   {"set-password"},
}

func evalVerbs() []string {
	v := make([]string, 0, len(evalCommands))
	for name := range evalCommands {
		v = append(v, name)
	}
	sort.Strings(v)
	return v
}

const completionAbout = `Prints a shell completion script for bash, zsh or fish. Load it with:

  bash:  source <(newsdesk completion bash)      (or save it in /etc/bash_completion.d/newsdesk)
  zsh:   source <(newsdesk completion zsh)
  fish:  newsdesk completion fish | source

Commands, verbs and flags are completed; other words fall back to file names.`

func runCompletion(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("completion", "bash|zsh|fish", completionAbout)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("completion: name one shell: bash, zsh or fish")
	}
	script, ok := completionScripts[fs.Arg(0)]
	if !ok {
		return usagef("completion: no script for %q (bash, zsh or fish)", fs.Arg(0))
	}
	_, err := fmt.Fprint(e.stdout, script)
	return err
}

// The scripts ask the binary itself (newsdesk __complete WORDS...) for the
// candidates of the last word, so they stay right as commands change.
var completionScripts = map[string]string{
	"bash": `# bash completion for newsdesk
_newsdesk_complete() {
	local IFS=$'\n'
	COMPREPLY=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -o bashdefault -F _newsdesk_complete newsdesk
`,
	"zsh": `#compdef newsdesk
# zsh completion for newsdesk
_newsdesk() {
	local -a c
	c=("${(@f)$(${words[1]} __complete ${words[2,CURRENT]} 2>/dev/null)}")
	if (( ${#c} )) && [[ -n ${c[1]} ]]; then
		compadd -- $c
	else
		_files
	fi
}
compdef _newsdesk newsdesk
`,
	"fish": `# fish completion for newsdesk
complete -c newsdesk -a '(newsdesk __complete (commandline -opc)[2..-1] (commandline -ct))'
`,
}

// runComplete prints the candidates for the last of args (the word being
// typed, maybe empty), one per line. It is not listed in help.
func runComplete(ctx context.Context, e *env, args []string) error {
	for _, c := range complete(ctx, args) {
		fmt.Fprintln(e.stdout, c)
	}
	return nil
}

// complete returns the candidates for the last word of words, the words
// after the program's name.
func complete(ctx context.Context, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	var cands []string
	switch {
	case len(before) == 0:
		cands = append(commandNames(), "help")
	case before[0] == "help" && len(before) == 1:
		cands = commandNames()
	case len(before) == 1 && commandVerbs[before[0]] != nil && !strings.HasPrefix(cur, "-"):
		cands = commandVerbs[before[0]]
	default:
		path := before[:1]
		if commandVerbs[before[0]] != nil {
			if len(before) < 2 {
				return nil
			}
			path = before[:2]
		}
		flags := commandFlags(ctx, path)
		if prev := before[len(before)-1]; len(before) > len(path) && strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") {
			if takesValue, known := flags[strings.TrimLeft(prev, "-")]; known && takesValue {
				return nil // the flag's value: the shell offers file names
			}
		}
		if !strings.HasPrefix(cur, "-") {
			return nil
		}
		for name := range flags {
			cands = append(cands, "--"+name)
		}
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, cur) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

// flagLine is a flag as flag.PrintDefaults writes it: "  -name type" for
// a flag that takes a value, "  -name" for a boolean.
var flagLine = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][A-Za-z0-9_.-]*)( \S+)?$`)

// commandFlags reads the flags of a command (and verb) from its --help:
// the name of each, and whether it takes a value.
func commandFlags(ctx context.Context, path []string) map[string]bool {
	c, ok := lookup(path[0])
	if !ok {
		return nil
	}
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	e.log = newLogger(&errOut, "text", "error")
	c.run(ctx, e, append(slices.Clone(path[1:]), "--help"))
	flags := map[string]bool{}
	for _, m := range flagLine.FindAllStringSubmatch(errOut.String()+out.String(), -1) {
		flags[m[1]] = m[2] != ""
	}
	return flags
}
