package eval

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/testenv"
)

// corpusDir finds the shared evaluation corpus: $NEWSDESK_CORPUS, or
// ../shared/corpus beside the repository. Tests that need it skip without it.
func corpusDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("NEWSDESK_CORPUS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpus")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// TestPublishedScrapinghubTable checks the metric against the benchmark's
// published table by scoring the published outputs of other extractors.
func TestPublishedScrapinghubTable(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "extraction", "scrapinghub")
	if _, err := os.Stat(filepath.Join(dir, "reference-outputs")); err != nil {
		testenv.MissingData(t, "corpus", "the scrapinghub set of ../shared/corpus, or NEWSDESK_CORPUS ("+err.Error()+")")
	}
	set, err := LoadExtractSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if set.Kind != FullText || len(set.Pages) != 181 {
		t.Fatalf("set: kind %s, %d pages; want fulltext, 181", set.Kind, len(set.Pages))
	}
	published := map[string]float64{
		"rs_trafilatura":      0.970,
		"AutoExtract":         0.970,
		"go_trafilatura":      0.960,
		"trafilatura":         0.958,
		"readability_js":      0.947,
		"go_readability_fork": 0.947,
		"go_domdistiller":     0.927,
	}
	for name, want := range published {
		t.Run(name, func(t *testing.T) {
			ref, err := LoadReference(filepath.Join(dir, "reference-outputs", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			rep := ScoreReference(set, ref)
			if math.Abs(rep.F1-want) > 0.002 {
				t.Errorf("F1 = %.4f (P %.4f R %.4f), published %.3f", rep.F1, rep.Precision, rep.Recall, want)
			}
		})
	}
}
