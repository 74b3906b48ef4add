package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/web"
)

// adminPasswordFile is where the admin password hash lives: the
// --password-file flag, env NEWSDESK_ADMIN_PASSWORD_FILE, else beside the
// SQLite database as DB.admin-password.
func adminPasswordFile(e *env, flagValue string, dbFile string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("NEWSDESK_ADMIN_PASSWORD_FILE"); v != "" {
		return v
	}
	if dbFile != "" {
		return dbFile + ".admin-password"
	}
	return ""
}

func runAdmin(ctx context.Context, e *env, args []string) error {
	const usage = "Usage: newsdesk admin set-password [flags]\n\nSets the password of /admin (the site's sources administration). serve turns /admin\non when a password is set. The password is read from the terminal (twice), or from\nthe first line of standard input, or from env NEWSDESK_ADMIN_PASSWORD; only its bcrypt\nhash is kept, in --password-file (default: beside the database)."
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(e.stderr, usage)
		if len(args) == 0 {
			return usagef("admin: give a verb")
		}
		return nil
	}
	if args[0] != "set-password" {
		fmt.Fprintln(e.stderr, usage)
		return usagef("admin: unknown verb %q", args[0])
	}
	fs := e.flagSet("admin set-password", "", "Sets the /admin password (at least 10 characters); see \"newsdesk admin --help\".")
	c := e.addCommon(fs)
	file := fs.String("password-file", "", "where to keep the password hash (env NEWSDESK_ADMIN_PASSWORD_FILE; default DB.admin-password)")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if err := e.setupLog(c); err != nil {
		return err
	}
	path := *file
	if path == "" {
		st, err := openStore(ctx, c.db)
		if err != nil {
			return err
		}
		path = adminPasswordFile(e, "", st.File())
		st.Close()
	}
	if path == "" {
		return usagef("admin set-password: give --password-file (the database is not a SQLite file)")
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	hash, err := web.HashAdminPassword(pw)
	if err != nil {
		return usagef("%v", err)
	}
	if err := os.WriteFile(path, []byte(hash+"\n"), 0o600); err != nil {
		return fmt.Errorf("admin: unable to write %s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "admin password set (hash in %s); restart serve to apply\n", path)
	return nil
}

func readPassword(e *env) (string, error) {
	if pw := e.getenv("NEWSDESK_ADMIN_PASSWORD"); pw != "" {
		return pw, nil
	}
	fd := int(os.Stdin.Fd())
	if term.IsTerminal(fd) {
		fmt.Fprint(e.stderr, "New admin password: ")
		a, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Again: ")
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("admin: the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("admin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// adminOptions are serve's /admin settings: nil (admin off) unless a
// password hash is set (env NEWSDESK_ADMIN_PASSWORD_HASH, or the password
// file).
func adminOptions(ctx context.Context, e *env, st store.Store) *web.AdminOptions {
	hash := strings.TrimSpace(e.getenv("NEWSDESK_ADMIN_PASSWORD_HASH"))
	if hash == "" {
		if path := adminPasswordFile(e, "", st.File()); path != "" {
			if b, err := os.ReadFile(path); err == nil {
				hash = strings.TrimSpace(string(b))
			}
		}
	}
	if hash == "" {
		return nil
	}
	e.log.Info("admin enabled at /admin")
	return &web.AdminOptions{PasswordHash: hash, PollNow: func(ctx context.Context, id int64) error {
		c := runningCollector.Load()
		if c == nil {
			return errors.New("the collector is not running (serve --no-collect)")
		}
		return c.PollNow(ctx, id)
	}}
}
