package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// evalCommands are eval's sub-verbs, each in its cmd_eval_<verb>.go file.
var evalCommands = map[string]func(ctx context.Context, e *env, args []string) error{
	"cluster":   evalCluster,
	"extract":   evalExtract,
	"translate": evalTranslate,
}

func runEval(ctx context.Context, e *env, args []string) error {
	verbs := make([]string, 0, len(evalCommands))
	for v := range evalCommands {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "Usage: newsdesk eval VERB [flags]\n\nMeasure a stage against a labelled corpus. Verbs: %s.\n"+
			"Run \"newsdesk eval VERB --help\" for a verb's flags.\n", strings.Join(verbs, ", "))
		if len(args) == 0 {
			return usagef("eval needs a verb: %s", strings.Join(verbs, ", "))
		}
		return nil
	}
	run, ok := evalCommands[args[0]]
	if !ok {
		return usagef("eval: unknown verb %q (known: %s)", args[0], strings.Join(verbs, ", "))
	}
	return run(ctx, e, args[1:])
}
