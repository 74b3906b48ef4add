package store_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// driverImports are the packages that talk to a database directly. Only
// the packages under storeDir may import them (or packages under them):
// everything else goes through store.Store, so that SQL lives in one
// place and a backend can change without the rest of the tree noticing.
var driverImports = []string{
	"database/sql",
	"github.com/jackc/pgx",
	"modernc.org/sqlite",
	"github.com/riverqueue/river/riverdriver",
}

const storeDir = "internal/store"

// importViolation is one file importing a driver outside storeDir.
type importViolation struct {
	File, Import string
}

// driverImportViolations parses every Go file of the tree in fsys (test
// files too; testdata, vendor and hidden directories skipped) and returns
// the driver imports made outside storeDir.
func driverImportViolations(fsys fs.FS) ([]importViolation, error) {
	var out []importViolation
	fset := token.NewFileSet()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			if p == storeDir {
				return fs.SkipDir
			}
			return nil
		}
		if path.Ext(name) != ".go" {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, p, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			ip, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if isDriver(ip) {
				out = append(out, importViolation{File: p, Import: ip})
			}
		}
		return nil
	})
	return out, err
}

func isDriver(importPath string) bool {
	return slices.ContainsFunc(driverImports, func(d string) bool {
		return importPath == d || strings.HasPrefix(importPath, d+"/")
	})
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// TestDriversOnlyInStore holds the tree to the rule: no package outside
// internal/store imports database/sql, pgx, the SQLite driver or River's
// drivers, not even in its tests.
func TestDriversOnlyInStore(t *testing.T) {
	root := moduleRoot(t)
	got, err := driverImportViolations(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range got {
		t.Errorf("%s imports %s: only %s/... may; call a store method instead", v.File, v.Import, storeDir)
	}
	// The walk must have seen the tree, or the rule would hold vacuously.
	if _, err := os.Stat(filepath.Join(root, storeDir, "sqlite", "sqlite.go")); err != nil {
		t.Fatalf("module root %s does not look like newsdesk: %v", root, err)
	}
}

func TestDriverImportViolations(t *testing.T) {
	file := func(imports ...string) *fstest.MapFile {
		var b strings.Builder
		b.WriteString("package p\n\nimport (\n")
		for _, i := range imports {
			b.WriteString("\t_ " + strconv.Quote(i) + "\n")
		}
		b.WriteString(")\n")
		return &fstest.MapFile{Data: []byte(b.String())}
	}
	fsys := fstest.MapFS{
		"go.mod":                               {Data: []byte("module x\n")},
		"cmd/app/main.go":                      file("context", "database/sql"),
		"cmd/app/main_test.go":                 file("github.com/jackc/pgx/v5"),
		"internal/collect/collect.go":          file("github.com/riverqueue/river", "github.com/riverqueue/river/riverdriver/riversqlite"),
		"internal/web/web.go":                  file("modernc.org/sqlite", "database/sqlx", "github.com/jackc/pgxutil"),
		"internal/web/testdata/x.go":           file("database/sql"),
		"internal/store/sqlite/sqlite.go":      file("database/sql", "modernc.org/sqlite"),
		"internal/store/queue/queue.go":        file("github.com/riverqueue/river/riverdriver/riverpgxv5", "github.com/jackc/pgx/v5/pgxpool"),
		"internal/storefront/storefront.go":    file("database/sql/driver"),
		"internal/store/storetest/postgres.go": file("github.com/jackc/pgx/v5"),
		"README.md":                            {Data: []byte("import \"database/sql\"")},
	}
	got, err := driverImportViolations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []importViolation{
		{"cmd/app/main.go", "database/sql"},
		{"cmd/app/main_test.go", "github.com/jackc/pgx/v5"},
		{"internal/collect/collect.go", "github.com/riverqueue/river/riverdriver/riversqlite"},
		{"internal/storefront/storefront.go", "database/sql/driver"},
		{"internal/web/web.go", "modernc.org/sqlite"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n got %v\nwant %v", got, want)
	}
	// A file that does not parse is an error, not a pass.
	fsys["cmd/app/broken.go"] = &fstest.MapFile{Data: []byte("package p\nimport (")}
	if _, err := driverImportViolations(fsys); err == nil {
		t.Error("a file that does not parse was not reported")
	}
}
