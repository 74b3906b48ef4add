package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/fetch/sampleweb"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

func TestSourcesAddAndPollOnce(t *testing.T) {
	o := sampleweb.NewOutlet("Gazette", 6)
	defer o.Server.Close()
	bad := sampleweb.NewHostile()
	defer bad.Server.Close()
	db := filepath.Join(t.TempDir(), "poll.db")
	env := map[string]string{"NEWSDESK_DB": db}

	code, out, errOut := runCmd(t, env, "sources", "add", "--name", "Gazette", "--interval", "20m", o.URL("/feed.xml"))
	if code != exitOK || !strings.Contains(out, "added source 1") {
		t.Fatalf("sources add: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCmd(t, env, "sources", "add", o.URL("/feed.xml")); code != exitFailure {
		t.Fatalf("duplicate add: exit %d", code)
	}
	if code, _, _ := runCmd(t, env, "sources", "add", "file:///etc/passwd"); code != exitUsage {
		t.Fatalf("file URL: exit %d", code)
	}

	// Without --fetch-allow the loopback site is refused, and that is
	// recorded, not fatal.
	code, out, _ = runCmd(t, env, "poll", "--once", "--min-delay", "0")
	if code != exitPartial || !strings.Contains(out, "1 failed") {
		t.Fatalf("poll without allow: %d %q", code, out)
	}
	code, out, _ = runCmd(t, env, "sources", "list", "--json")
	var list struct{ Sources []sourceOut }
	if err := json.Unmarshal([]byte(lastLine(out)), &list); err != nil || code != exitOK {
		t.Fatalf("list: %v %q", err, out)
	}
	if s := list.Sources[0]; s.State != "failing" || !strings.Contains(s.LastError, "not allowed") || s.NextPollAt.IsZero() {
		t.Fatalf("blocked source: %+v", s)
	}
	// Make it due again and allow loopback.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE sources SET next_poll_at = 0`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errOut = runCmd(t, env, "poll", "--once", "--json", "--fetch-allow", "127.0.0.1/32", "--min-delay", "0")
	if code != exitOK {
		t.Fatalf("poll: %d %q %q", code, out, errOut)
	}
	var sum map[string]float64
	if err := json.Unmarshal([]byte(lastLine(out)), &sum); err != nil || sum["inserted"] != 6 {
		t.Fatalf("poll summary %q: %v", out, err)
	}
	st, _ = sqlite.Open(context.Background(), db)
	n, _ := st.CountArticles(context.Background(), store.ArticleFilter{})
	st.Close()
	if n != 6 {
		t.Fatalf("%d articles stored, want 6", n)
	}
	code, out, _ = runCmd(t, env, "sources", "list")
	if code != exitOK || !strings.Contains(out, "ok") || !strings.Contains(out, "Gazette") {
		t.Fatalf("list: %q", out)
	}

	// OPML out and back in, into a fresh database.
	code, opml, _ := runCmd(t, env, "sources", "export-opml")
	if code != exitOK || !strings.Contains(opml, o.URL("/feed.xml")) {
		t.Fatalf("export: %q", opml)
	}
	path := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(path, []byte(opml), 0o644)
	env2 := map[string]string{"NEWSDESK_DB": filepath.Join(t.TempDir(), "other.db")}
	code, out, _ = runCmd(t, env2, "sources", "import-opml", path)
	if code != exitOK || !strings.Contains(out, "added 1") {
		t.Fatalf("import-opml: %d %q", code, out)
	}

	// Pause, resume, remove.
	for _, verb := range []string{"pause", "resume", "remove"} {
		if code, out, _ := runCmd(t, env, "sources", verb, "1"); code != exitOK {
			t.Fatalf("%s: %d %q", verb, code, out)
		}
	}
	if code, _, _ := runCmd(t, env, "sources", "remove", "1"); code != exitFailure {
		t.Fatalf("remove twice: exit %d", code)
	}
}

// sources poll collects one source now, although its failure put it on a
// backoff that poll --once respects.
func TestSourcesPollNow(t *testing.T) {
	o := sampleweb.NewOutlet("Courier", 4)
	defer o.Server.Close()
	other := sampleweb.NewOutlet("Herald", 3)
	defer other.Server.Close()
	env := map[string]string{"NEWSDESK_DB": filepath.Join(t.TempDir(), "now.db")}
	for _, u := range []string{o.URL("/feed.xml"), other.URL("/feed.xml")} {
		if code, out, errOut := runCmd(t, env, "sources", "add", u); code != exitOK {
			t.Fatalf("sources add: %d %q %q", code, out, errOut)
		}
	}
	// refused (loopback not allowed): both fail and wait their backoff
	if code, out, _ := runCmd(t, env, "poll", "--once", "--min-delay", "0"); code != exitPartial {
		t.Fatalf("poll without allow: %d %q", code, out)
	}
	// nothing is due now, so poll --once does nothing ...
	code, out, _ := runCmd(t, env, "poll", "--once", "--json", "--fetch-allow", "127.0.0.1/32", "--min-delay", "0")
	var sum map[string]float64
	if err := json.Unmarshal([]byte(lastLine(out)), &sum); err != nil || code != exitOK || sum["polls"] != 0 {
		t.Fatalf("poll --once during the backoff: %d %q %v", code, out, err)
	}
	// ... while sources poll collects the one named, flags after its argument
	code, out, errOut := runCmd(t, env, "sources", "poll", "1", "--json", "--fetch-allow", "127.0.0.1/32", "--min-delay", "0")
	if err := json.Unmarshal([]byte(lastLine(out)), &sum); err != nil || code != exitOK {
		t.Fatalf("sources poll: %d %q %q %v", code, out, errOut, err)
	}
	if sum["polls"] != 1 || sum["inserted"] != 4 {
		t.Fatalf("sources poll 1: %v, want one poll and the 4 articles of that source", sum)
	}
	if code, _, errOut := runCmd(t, env, "sources", "poll", "99"); code != exitFailure || !strings.Contains(errOut, "no source 99") {
		t.Fatalf("unknown source: %d %q", code, errOut)
	}
	if code, _, _ := runCmd(t, env, "sources", "poll"); code != exitUsage {
		t.Fatalf("no argument: exit %d", code)
	}
}
