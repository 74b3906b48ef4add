package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAdminSetPassword(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	env := map[string]string{"NEWSDESK_DB": db, "NEWSDESK_ADMIN_PASSWORD": "short"}
	if code, _, _ := runCmd(t, env, "admin", "set-password"); code != exitUsage {
		t.Fatalf("short password: exit %d", code)
	}
	env["NEWSDESK_ADMIN_PASSWORD"] = "a long enough password"
	code, out, errOut := runCmd(t, env, "admin", "set-password")
	if code != exitOK || !strings.Contains(out, "admin password set") {
		t.Fatalf("set-password: %d %q %q", code, out, errOut)
	}
	fi, err := os.Stat(db + ".admin-password")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("hash file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(db + ".admin-password")
	if !strings.HasPrefix(string(b), "$2") || strings.Contains(string(b), "long enough") {
		t.Fatalf("hash file holds %q", b)
	}
	if code, _, _ := runCmd(t, env, "admin", "nope"); code != exitUsage {
		t.Fatalf("unknown verb: exit %d", code)
	}
}
