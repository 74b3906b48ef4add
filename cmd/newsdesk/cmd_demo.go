package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/pipeline"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/translate"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("demo", "", "Creates a fresh database in a temporary directory, imports the bundled sample of\nreal news pages (English and Spanish; see internal/demo/NOTICE), then serves the site.\nThe database is removed on exit unless --keep.")
	var sf serveFlags
	addServeFlags(e, &sf, fs)
	logFormat := fs.String("log-format", "auto", "log format: auto, text or json")
	keep := fs.Bool("keep", false, "keep the demo database after exit (its path is printed)")
	noInstall := fs.Bool("no-install", false, "do not install Apertium when it is missing (it is installed with apt-get when run as root or with sudo that needs no password)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if err := e.setupLog(&commonFlags{logFormat: *logFormat}); err != nil {
		return err
	}
	sf.noCollect = true // the demo has no sources to collect from
	// the port first: a taken one fails now, not after the import
	var err error
	if sf.ln, err = listen(sf.addr); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer sf.ln.Close()
	if !*noInstall {
		installApertium(ctx, e)
	}
	dir, err := os.MkdirTemp("", "newsdesk-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	// the demo's images come from the bundle (placeholders of our own),
	// never from the outlets: it must work offline and tell no one
	sf.images, sf.mediaDir = demo.Images{}, filepath.Join(dir, "media")
	dbPath := filepath.Join(dir, "newsdesk.db")
	st, err := openStore(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := importDemo(ctx, e, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: imported %d bundled articles into %s\n", n, dbPath)
	return serve(ctx, e, st, sf, func(url string) {
		fmt.Fprintf(e.stdout, "demo: newsdesk is running at %s (Ctrl-C to stop)\n", url)
	})
}

// importDemo runs the bundled pages through the same pipeline as import,
// then says on out what was translated, or why nothing was and the one
// command that fixes it.
func importDemo(ctx context.Context, e *env, st store.Store) (int, error) {
	pages, err := demo.Pages()
	if err != nil {
		return 0, err
	}
	proc, err := newPipeline(ctx, e, st)
	if err != nil {
		return 0, err
	}
	defer proc.Close()
	n := 0
	foreign := map[string][]int64{} // language -> articles not in the reader's
	for _, p := range pages {
		raw, err := demo.Read(p)
		if err != nil {
			return n, err
		}
		res, err := proc.Process(ctx, pipeline.Page{Raw: raw, URL: p.URL, CanonicalURL: p.URL})
		if err != nil {
			e.log.Warn("demo page not imported", "file", p.File, "err", err)
			continue
		}
		n++
		if l := lang.Primary(res.Article.Language); l != "" && l != proc.ReaderLanguage() {
			foreign[l] = append(foreign[l], res.Article.ID)
		}
	}
	if err := proc.Finish(ctx); err != nil {
		return n, err
	}
	for l, ids := range foreign {
		done := 0
		for _, id := range ids {
			if t, err := st.Translation(ctx, id, proc.ReaderLanguage()); err == nil && t.Status == news.TranslationDone {
				done++
			}
		}
		name := translate.LanguageName(l)
		switch why := proc.CanTranslate(l); {
		case done > 0:
			fmt.Fprintf(e.stdout, "demo: translated %d of %d %s articles into %s\n", done, len(ids), name, translate.LanguageName(proc.ReaderLanguage()))
		case why != nil:
			fmt.Fprintf(e.stdout, "demo: the %d %s articles are shown untranslated: %v\n", len(ids), name, why)
			fmt.Fprintln(e.stdout, "demo: to translate them: sudo apt-get install apertium apertium-eng-spa (the demo does it itself when run as root or with sudo that needs no password)")
		default:
			fmt.Fprintf(e.stdout, "demo: the %d %s articles could not be translated (see the log)\n", len(ids), name)
		}
	}
	return n, nil
}

// apertiumSpaEng is the file Debian's apertium-eng-spa installs for the
// Spanish to English pair.
const apertiumSpaEng = "/usr/share/apertium/modes/spa-eng.mode"

// installApertium installs Debian's apertium and apertium-eng-spa when the
// demo would translate with Apertium and they are missing, with apt-get as
// root or through sudo that needs no password, saying what it does. When
// it cannot, the demo goes on and says after the import how to enable
// translation.
func installApertium(ctx context.Context, e *env) {
	if b := e.getenv("NEWSDESK_TRANSLATE_BACKEND"); b != "" && b != "apertium" {
		return
	}
	if _, err := os.Stat(apertiumSpaEng); err == nil {
		if _, err := exec.LookPath("lt-proc"); err == nil {
			return
		}
	}
	apt, err := exec.LookPath("apt-get")
	if err != nil {
		return
	}
	var prefix []string
	if os.Geteuid() != 0 {
		sudo, err := exec.LookPath("sudo")
		if err != nil || exec.CommandContext(ctx, sudo, "-n", "true").Run() != nil {
			return
		}
		prefix = []string{sudo, "-n"}
	}
	fmt.Fprintln(e.stdout, "demo: installing Apertium to translate the Spanish pages (apt-get install apertium apertium-eng-spa; --no-install skips this)")
	for _, args := range [][]string{{apt, "update", "-qq"}, {apt, "install", "-y", "-qq", "--no-install-recommends", "apertium", "apertium-eng-spa"}} {
		args = append(prefix, args...)
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(e.stdout, "demo: %s failed (%v): %s\n", strings.Join(args, " "), err, lastLine(string(out)))
			return
		}
	}
}

// lastLine is the last line of a command's output.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
