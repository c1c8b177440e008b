package web

import (
	"os"
	"os/exec"
	"testing"
)

// requireTool skips the test when a program it runs is missing on a
// developer's machine, and fails it under CI (CI=true), where
// scripts/install-deps.sh installs it. check runs the program once to see
// that it works, with its arguments.
func requireTool(t *testing.T, pkg string, check ...string) {
	t.Helper()
	out, err := exec.Command(check[0], check[1:]...).CombinedOutput()
	if err == nil {
		return
	}
	msg := "needs Debian package " + pkg + " (scripts/install-deps.sh installs it): " + err.Error() + ": " + string(out)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
