package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"
)

// Exit codes. They mean the same for every subcommand.
const (
	exitOK      = 0 // everything asked for was done
	exitFailure = 1 // the command failed
	exitUsage   = 2 // the command line was wrong
	exitPartial = 3 // the command finished, but some items failed (see its summary)
)

// errPartial is returned by a command that finished with some items failed.
var errPartial = errors.New("some items failed")

// command is one subcommand; each runs from its own cmd_*.go file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands are every subcommand of the binary, in the order help lists them.
var commands = []command{
	{"demo", "run the reader site on a fresh database with bundled real news pages", runDemo},
	{"serve", "serve the reader site, JSON API and /metrics (and collect in the background)", runServe},
	{"import", "import local HTML files, directories and WARC archives", runImport},
	{"sources", "add, list, pause, remove, import and export the sources to collect from", runSources},
	{"poll", "collect from the sources that are due (--once), or keep collecting", runPoll},
	{"worker", "run collection jobs (poll, fetch, process) from a PostgreSQL queue", runWorker},
	{"translate", "translate text or HTML from stdin to stdout (Apertium, APY, LibreTranslate, OpenAI-compatible)", runTranslate},
	{"audit", "count what a reader would see wrong in stored articles and translations (glued, escaped, furniture, names)", runAudit},
	{"enrich", "find people, organisations, places, quotes and figures in stored articles (or in text on stdin)", runEnrich},
	{"eval", "measure a stage against a labelled corpus (extract, cluster, translate)", runEval},
	{"migrate", "bring a database's schema up to date (or show its migrations)", runMigrate},
	{"copy", "copy a SQLite newsroom into PostgreSQL, losslessly and repeatably", runCopy},
	{"admin", "manage the /admin login (set-password)", runAdmin},
	{"completion", "print a shell completion script (bash, zsh, fish)", runCompletion},
}

// lookup finds a subcommand by name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// env is what a command gets from the process: its streams and environment.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger
}

// usageError marks an error in the command line; run exits with exitUsage.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// run is the whole program, minus the process: testable end to end.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	e.log = newLogger(stderr, "auto", getenv("NEWSDESK_LOG_LEVEL"))
	if len(args) < 2 {
		printUsage(stderr)
		return exitUsage
	}
	name := args[1]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 2 {
			if c, ok := lookup(args[2]); ok {
				return exitCode(c.run(ctx, e, []string{"--help"}), e)
			}
		}
		printUsage(stdout)
		return exitOK
	}
	if name == "__complete" { // the completion scripts' question, not listed
		return exitCode(runComplete(ctx, e, args[2:]), e)
	}
	c, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "newsdesk: unknown command %q\n\n", name)
		printUsage(stderr)
		return exitUsage
	}
	return exitCode(c.run(ctx, e, args[2:]), e)
}

func exitCode(err error, e *env) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "newsdesk: %s\n", ue.msg)
		return exitUsage
	case errors.Is(err, errPartial):
		return exitPartial
	default:
		fmt.Fprintf(e.stderr, "newsdesk: %v\n", err)
		return exitFailure
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "newsdesk: a self-hosted, multilingual news aggregation and publishing system.")
	fmt.Fprintln(w, "\nUsage: newsdesk COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"newsdesk COMMAND --help\" for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 done, 1 failed, 2 bad command line, 3 finished with some items failed.")
}

// flagSet makes a command's flag set; its usage names the command and what
// its positional arguments are.
func (e *env) flagSet(name, argsUsage, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: newsdesk %s [flags] %s\n\n%s\n\nFlags:\n", name, argsUsage, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; a flag error is a usage error, --help is not an error.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// interspersed moves the flags of args before its other arguments, so that
// flags may come anywhere on the line ("sources add URL --name X" as well as
// "sources add --name X URL"), as users of most command-line tools expect.
// A value flag takes the next argument unless written --flag=value;
// everything after "--" stays an argument.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // Parse says it is unknown
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(append(flags, "--"), rest...)
}

// commonFlags are the flags every command that touches the database has.
type commonFlags struct {
	db        string
	logFormat string
}

func (e *env) addCommon(fs *flag.FlagSet) *commonFlags {
	c := &commonFlags{}
	def := e.getenv("NEWSDESK_DB")
	if def == "" {
		def = "newsdesk.db"
	}
	fs.StringVar(&c.db, "db", def, "database: a SQLite file path (or sqlite:PATH), or postgres://... (env NEWSDESK_DB)")
	fs.StringVar(&c.logFormat, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), text or json")
	return c
}

// setupLog replaces the env's logger with one in the requested format.
func (e *env) setupLog(c *commonFlags) error {
	switch c.logFormat {
	case "auto", "text", "json":
	default:
		return usagef("--log-format must be auto, text or json, not %q", c.logFormat)
	}
	e.log = newLogger(e.stderr, c.logFormat, e.getenv("NEWSDESK_LOG_LEVEL"))
	return nil
}

func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(level))); err != nil || level == "" {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "auto" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
