// Package storecopy copies a SQLite newsroom into PostgreSQL, losslessly
// and repeatably: every row of every data table, keeping its id, merged by
// primary key so that a second copy writes only what changed. The tables
// and columns come from the catalogs, so whatever later migrations add is
// copied without a change here.
package storecopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsdesk/newsdesk/internal/store/postgres"
	"github.com/newsdesk/newsdesk/internal/store/sqlite"
)

// Table is what Copy did to one table.
type Table struct {
	Table     string `json:"table"`
	Rows      int    `json:"rows"`
	Inserted  int    `json:"inserted"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
}

// Progress follows the copy of one table.
type Progress interface {
	Add(rows int)
	Finish()
}

// Options shape a copy.
type Options struct {
	// Batch is how many rows are written at once (default 1000).
	Batch int
	// Log is told of tables the source lacks (default slog.Default()).
	Log *slog.Logger
	// Progress, when set, is called before each table is copied, with its
	// number of rows, and follows its copy.
	Progress func(table string, rows int) Progress
}

// Copy copies every row of src into dst, which must be migrated (Open does)
// and either empty or filled by earlier copies from src. Rows keep their
// ids; rows already in dst are updated when they differ and left alone
// otherwise; rows deleted from src since an earlier copy stay in dst. It
// refuses to copy anything when a table or column of src has no place in
// dst. Job queues are not copied (see queue.DB.Unfinished).
func Copy(ctx context.Context, src *sqlite.Store, dst *postgres.Store, opt Options) ([]Table, error) {
	if opt.Batch < 1 {
		opt.Batch = 1000
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Progress == nil {
		opt.Progress = func(string, int) Progress { return noProgress{} }
	}
	c := &copier{opt: opt, src: src.DB(), dst: dst.Pool()}
	return c.run(ctx)
}

type noProgress struct{}

func (noProgress) Add(int) {}
func (noProgress) Finish() {}

type copier struct {
	opt Options
	src *sql.DB
	dst *pgxpool.Pool
}

// pgTable is a target table as the PostgreSQL catalog describes it.
type pgTable struct {
	name     string
	cols     []string // stored (not generated) columns, in order
	types    []string // their types
	pk       []string
	identity string // the identity column, if any
	triggers bool   // the table has triggers of ours
}

// skipTable says which tables are not data to copy: bookkeeping each store
// keeps for itself, leases (held by processes on the source, meaningless
// on the target), SQLite's full-text index (PostgreSQL computes its own),
// and job queues (River keeps its own tables on each database).
func skipTable(name string) bool {
	return name == "schema_migrations" || name == "leases" || strings.HasPrefix(name, "river_") || strings.HasPrefix(name, "sqlite_") ||
		strings.Contains(name, "_fts") || strings.HasSuffix(name, "_vocab")
}

// derivedColumn says which SQLite columns are derived from other tables
// for SQLite's own full-text index, and so are not copied: PostgreSQL
// derives its own (articles.search_trans, the text of an article's
// translations; see reindex).
func derivedColumn(table, col string) bool {
	return table == "articles" && col == "search_trans"
}

// reindex is what a table's own triggers would derive from a merged
// batch (staged in stage) and must be derived anyway: the search vectors
// of the articles whose translations came in.
func reindex(table, stage string) string {
	if table != "article_translations" {
		return ""
	}
	return `SELECT newsdesk_index_translations(article_id) FROM (SELECT DISTINCT article_id FROM ` +
		pgx.Identifier{stage}.Sanitize() + `) s`
}

func (c *copier) run(ctx context.Context) ([]Table, error) {
	tables, err := c.targetTables(ctx)
	if err != nil {
		return nil, err
	}
	srcTables, err := c.sourceTables(ctx)
	if err != nil {
		return nil, err
	}
	// Nothing may be left behind: every source table and column must have a
	// place in the target, or the copy would lose data.
	byName := map[string]*pgTable{}
	for i := range tables {
		byName[tables[i].name] = &tables[i]
	}
	var missing []string
	for name, cols := range srcTables {
		t, ok := byName[name]
		if !ok {
			missing = append(missing, "table "+name)
			continue
		}
		for _, col := range cols {
			if !contains(t.cols, col) {
				missing = append(missing, "column "+name+"."+col)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("storecopy: the target has no place for %s: this build's PostgreSQL schema is behind the SQLite one; nothing copied",
			strings.Join(missing, ", "))
	}
	var out []Table
	for i := range tables {
		t := &tables[i]
		cols, ok := srcTables[t.name]
		if !ok {
			c.opt.Log.Info("copy: table not in the source, skipped", "table", t.name)
			continue
		}
		res, err := c.copyTable(ctx, t, cols)
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// targetTables lists the target's tables, parents before the tables whose
// foreign keys point at them.
func (c *copier) targetTables(ctx context.Context) ([]pgTable, error) {
	rows, err := c.dst.Query(ctx, `SELECT c.oid::regclass::text, c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("storecopy: list target tables: %w", err)
	}
	type named struct{ reg, name string }
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (named, error) {
		var n named
		return n, r.Scan(&n.reg, &n.name)
	})
	if err != nil {
		return nil, fmt.Errorf("storecopy: list target tables: %w", err)
	}
	var tables []pgTable
	for _, n := range all {
		if skipTable(n.name) {
			continue
		}
		t := pgTable{name: n.name}
		rows, err := c.dst.Query(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity <> '',
				coalesce(a.attnum = ANY (i.indkey), false)
			FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
			ORDER BY a.attnum`, n.reg)
		if err != nil {
			return nil, fmt.Errorf("storecopy: describe %s: %w", n.name, err)
		}
		for rows.Next() {
			var col, typ string
			var ident, pk bool
			if err := rows.Scan(&col, &typ, &ident, &pk); err != nil {
				rows.Close()
				return nil, fmt.Errorf("storecopy: describe %s: %w", n.name, err)
			}
			t.cols, t.types = append(t.cols, col), append(t.types, typ)
			if pk {
				t.pk = append(t.pk, col)
			}
			if ident {
				t.identity = col
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("storecopy: describe %s: %w", n.name, err)
		}
		if len(t.pk) == 0 {
			return nil, fmt.Errorf("storecopy: table %s has no primary key, so a repeated copy could not tell its rows apart", n.name)
		}
		if err := c.dst.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`,
			n.reg).Scan(&t.triggers); err != nil {
			return nil, fmt.Errorf("storecopy: describe %s: %w", n.name, err)
		}
		tables = append(tables, t)
	}
	rows, err = c.dst.Query(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
		WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("storecopy: list foreign keys: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storecopy: list foreign keys: %w", err)
		}
		deps[unqualify(child)] = append(deps[unqualify(child)], unqualify(parent))
	}
	rows.Close()
	return orderByDeps(tables, deps), rows.Err()
}

func unqualify(reg string) string {
	if i := strings.LastIndexByte(reg, '.'); i >= 0 {
		reg = reg[i+1:]
	}
	return strings.Trim(reg, `"`)
}

// orderByDeps puts each table after the tables it references (a
// depth-first topological order; cycles, which our schema has none of,
// fall back to name order).
func orderByDeps(tables []pgTable, deps map[string][]string) []pgTable {
	byName := map[string]pgTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	var out []pgTable
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string)
	visit = func(n string) {
		if state[n] != 0 {
			return
		}
		state[n] = 1
		for _, p := range deps[n] {
			visit(p)
		}
		state[n] = 2
		if t, ok := byName[n]; ok {
			out = append(out, t)
		}
	}
	for _, t := range tables {
		visit(t.name)
	}
	return out
}

// sourceTables maps each SQLite data table to its columns.
func (c *copier) sourceTables(ctx context.Context) (map[string][]string, error) {
	rows, err := c.src.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		return nil, fmt.Errorf("storecopy: list source tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("storecopy: list source tables: %w", err)
		}
		if !skipTable(n) {
			names = append(names, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storecopy: list source tables: %w", err)
	}
	out := map[string][]string{}
	for _, n := range names {
		rows, err := c.src.QueryContext(ctx, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, n)
		if err != nil {
			return nil, fmt.Errorf("storecopy: describe source %s: %w", n, err)
		}
		for rows.Next() {
			var col string
			if err := rows.Scan(&col); err != nil {
				rows.Close()
				return nil, fmt.Errorf("storecopy: describe source %s: %w", n, err)
			}
			if !derivedColumn(n, col) {
				out[n] = append(out[n], col)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("storecopy: describe source %s: %w", n, err)
		}
	}
	return out, nil
}

// copyTable streams one table from SQLite (one read transaction: a
// consistent snapshot even while the newsroom keeps writing) into a
// temporary table on the target, a batch at a time, and merges each batch
// in by primary key.
func (c *copier) copyTable(ctx context.Context, t *pgTable, srcCols []string) (Table, error) {
	res := Table{Table: t.name}
	// Columns the source has; target-only columns keep their defaults.
	var cols, types []string
	for i, col := range t.cols {
		if contains(srcCols, col) {
			cols, types = append(cols, col), append(types, t.types[i])
		}
	}
	var total int
	tx, err := c.src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, fmt.Errorf("storecopy: %s: %w", t.name, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteSQLite(t.name)).Scan(&total); err != nil {
		return res, fmt.Errorf("storecopy: %s: %w", t.name, err)
	}
	conn, err := c.dst.Acquire(ctx)
	if err != nil {
		return res, fmt.Errorf("storecopy: %s: %w", t.name, err)
	}
	defer conn.Release()
	stage := "newsdesk_copy_" + t.name
	tbl := pgx.Identifier{t.name}.Sanitize()
	stg := pgx.Identifier{stage}.Sanitize()
	if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+stg+`; CREATE TEMP TABLE `+stg+` (LIKE `+tbl+`)`); err != nil {
		return res, fmt.Errorf("storecopy: %s: staging table: %w", t.name, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS `+stg)
	merge := mergeSQL(tbl, stg, cols, t.pk)

	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = quoteSQLite(col)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+quoteSQLite(t.name))
	if err != nil {
		return res, fmt.Errorf("storecopy: read %s: %w", t.name, err)
	}
	defer rows.Close()
	prog := c.opt.Progress(t.name, total)
	defer prog.Finish()
	buf := make([][]any, 0, c.opt.Batch)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		ins, upd, err := c.writeBatch(ctx, conn.Conn(), t, stage, merge, cols, buf)
		if err != nil {
			return fmt.Errorf("storecopy: write %s: %w", t.name, err)
		}
		res.Rows += len(buf)
		res.Inserted += ins
		res.Updated += upd
		res.Unchanged += len(buf) - ins - upd
		prog.Add(len(buf))
		buf = buf[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return res, fmt.Errorf("storecopy: read %s: %w", t.name, err)
		}
		for i, v := range vals {
			vals[i] = toTarget(v, types[i])
		}
		buf = append(buf, vals)
		if len(buf) == c.opt.Batch {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("storecopy: read %s: %w", t.name, err)
	}
	if err := flush(); err != nil {
		return res, err
	}
	if t.identity != "" {
		// New rows on the target must not reuse the copied ids.
		if _, err := conn.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(`+
			pgx.Identifier{t.identity}.Sanitize()+`) FROM `+tbl+`), 0) + 1, false)`, tbl, t.identity); err != nil {
			return res, fmt.Errorf("storecopy: %s: advance id sequence: %w", t.name, err)
		}
	}
	return res, nil
}

// mergeSQL inserts the staged rows, updates those whose primary key exists
// with different values, and leaves equal rows untouched; it returns one
// row per write, true for an insert.
func mergeSQL(tbl, stg string, cols, pk []string) string {
	q := make([]string, len(cols))
	var set, old, neu []string
	for i, col := range cols {
		q[i] = pgx.Identifier{col}.Sanitize()
		if !contains(pk, col) {
			set = append(set, q[i]+" = excluded."+q[i])
			old = append(old, "t."+q[i])
			neu = append(neu, "excluded."+q[i])
		}
	}
	pkq := make([]string, len(pk))
	for i, col := range pk {
		pkq[i] = pgx.Identifier{col}.Sanitize()
	}
	list := strings.Join(q, ", ")
	s := `INSERT INTO ` + tbl + ` AS t (` + list + `) OVERRIDING SYSTEM VALUE SELECT ` + list + ` FROM ` + stg +
		` ON CONFLICT (` + strings.Join(pkq, ", ") + `) `
	if len(set) == 0 {
		return s + `DO NOTHING RETURNING true`
	}
	return s + `DO UPDATE SET ` + strings.Join(set, ", ") +
		` WHERE (` + strings.Join(old, ", ") + `) IS DISTINCT FROM (` + strings.Join(neu, ", ") + `) RETURNING (t.xmax = 0)`
}

// writeBatch merges one batch of rows in. The table's own triggers are off
// meanwhile: the rows they would derive (an article's queued steps) come
// from the source as they are there, so that work done on SQLite is not
// queued again on PostgreSQL. Turning them off inside the transaction locks
// the table until it commits, so no other writer runs without them.
func (c *copier) writeBatch(ctx context.Context, conn *pgx.Conn, t *pgTable, stage, merge string, cols []string, buf [][]any) (ins, upd int, err error) {
	tbl, stg := pgx.Identifier{t.name}.Sanitize(), pgx.Identifier{stage}.Sanitize()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `TRUNCATE `+stg); err != nil {
		return 0, 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stage}, cols, pgx.CopyFromRows(buf)); err != nil {
		return 0, 0, err
	}
	if t.triggers {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+tbl+` DISABLE TRIGGER USER`); err != nil {
			return 0, 0, err
		}
	}
	rows, err := tx.Query(ctx, merge)
	if err != nil {
		return 0, 0, err
	}
	for rows.Next() {
		var inserted bool
		if err := rows.Scan(&inserted); err != nil {
			rows.Close()
			return 0, 0, err
		}
		if inserted {
			ins++
		} else {
			upd++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		var pe interface{ SQLState() string }
		if errors.As(err, &pe) && pe.SQLState() == "23505" {
			return 0, 0, fmt.Errorf("a row conflicts with a different row already in the target (same URL, other id): "+
				"copy into an empty database or one filled only by copies from this source: %w", err)
		}
		return 0, 0, err
	}
	if t.triggers {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+tbl+` ENABLE TRIGGER USER`); err != nil {
			return 0, 0, err
		}
	}
	if q := reindex(t.name, stage); q != "" {
		if _, err := tx.Exec(ctx, q); err != nil {
			return 0, 0, err
		}
	}
	return ins, upd, tx.Commit(ctx)
}

// toTarget converts a value read from SQLite into what the target column
// takes: SQLite keeps whole numbers in REAL columns as integers, and text
// may arrive as bytes.
func toTarget(v any, typ string) any {
	switch x := v.(type) {
	case int64:
		if typ == "double precision" || typ == "real" {
			return float64(x)
		}
	case []byte:
		if typ != "bytea" {
			return string(x)
		}
	case string:
		if typ == "bytea" {
			return []byte(x)
		}
	}
	return v
}

func quoteSQLite(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
