package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wijkkaart/wijkkaart/store/postgis/pgtest"
)

// TestListenAndServeDrains cancels the server's context while 20 requests
// are in flight: every one is answered in full, new connections are
// refused, readiness is switched off first, and it returns nil.
func TestListenAndServeDrains(t *testing.T) {
	const inFlight = 20
	var started sync.WaitGroup
	started.Add(inFlight)
	release := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Done()
		<-release
		time.Sleep(100 * time.Millisecond) // still working when shutdown begins
		if _, err := fmt.Fprint(w, "done"); err != nil {
			t.Error(err)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var drained atomic.Bool
	served := make(chan error, 1)
	go func() {
		served <- listenAndServe(ctx, ln, handler, func() { drained.Store(true) }, time.Second, 5*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	base := "http://" + ln.Addr().String()
	answers := make(chan string, inFlight)
	for range inFlight {
		go func() { answers <- getBody(base + "/") }()
	}
	started.Wait()
	cancel()
	time.Sleep(50 * time.Millisecond) // let Shutdown close the listener
	close(release)
	for range inFlight {
		if got := <-answers; got != "done" {
			t.Errorf("in-flight request got %q, want done", got)
		}
	}
	if err := <-served; err != nil {
		t.Errorf("listenAndServe: %v, want nil after a clean drain", err)
	}
	if !drained.Load() {
		t.Error("drain was not called")
	}
	if got := getBody(base + "/"); !strings.HasPrefix(got, "error") {
		t.Errorf("a request after shutdown got %q, want a refused connection", got)
	}
}

// getBody returns the body of a GET, or "error: …".
func getBody(url string) string {
	res, err := http.Get(url)
	if err != nil {
		return "error: " + err.Error()
	}
	b, err := io.ReadAll(res.Body)
	if err := errors.Join(err, res.Body.Close()); err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// TestServeChecksFlags checks that serve refuses settings that cannot
// work before it loads anything.
func TestServeChecksFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--request-timeout", "10s", "--shutdown-timeout", "5s"}, "--shutdown-timeout (5s) must exceed --request-timeout (10s)"},
		{[]string{"--request-timeout", "2s", "--query-timeout", "3s"}, "--query-timeout (3s) must not exceed"},
		{[]string{"--request-timeout", "0s"}, "must be positive"},
		{[]string{"--frame-ancestors", "https://a.nl; script-src *"}, "--frame-ancestors"},
		{[]string{"--allowed-hosts", "https://kaart.example.nl"}, "--allowed-hosts"},
		{[]string{"--public-url", "kaart.example.nl"}, "--public-url must be an http or https URL"},
		{[]string{"--basemap-style", "api.pdok.nl/style.json"}, "--basemap-style"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, err := runCLI(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("serve: %v, want an error saying %q\n%s", err, tt.want, out)
			}
		})
	}
}

// TestServeRefusesWritableRole starts serve as the database owner: it
// refuses, unless --allow-writable-role says so.
func TestServeRefusesWritableRole(t *testing.T) {
	db := pgtest.NewDatabase(t)
	if out, err := runCLI(t, "migrate", "--database-url", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	out, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--database-url", db)
	if err == nil || !strings.Contains(err.Error(), "--allow-writable-role") {
		t.Errorf("serve as owner: %v, want a refusal naming --allow-writable-role\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--database-url", db, "--allow-writable-role"}, &stdout, &stderr)
	}()
	for i := 0; i < 100 && !strings.Contains(stderr.String(), "listening"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil || !strings.Contains(stderr.String(), "may change data (--allow-writable-role)") {
		t.Errorf("serve --allow-writable-role: %v, want a warning\n%s", err, stderr.String())
	}
}

// lockedBuffer is a buffer one goroutine writes while another reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Write implements io.Writer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeSIGTERM starts the real binary on the embedded demo data, sends
// SIGTERM while expensive requests are in flight, and checks that every
// request is answered, the store is closed last and the exit code is 0.
func TestServeSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and loads the demo data")
	}
	bin := filepath.Join(t.TempDir(), "wijkkaart")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	// Its own cache directory: the published demo of this binary is kept
	// there between runs, apart from the test binary's.
	cacheDir := filepath.Join(os.TempDir(), "wijkkaart-test-cache-serve")
	cmd := exec.Command(bin, "serve", "--addr", addr, "--tile-cache", "0", "--expensive-concurrency", "1", "--expensive-wait", "30s",
		"--request-timeout", "30s", "--query-timeout", "30s", "--shutdown-timeout", "40s", "--cache-dir", cacheDir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			if err := cmd.Process.Kill(); err != nil {
				t.Log(err)
			}
		}
	})
	logs := collectLines(stderr)
	base := "http://" + addr
	waitReady(t, base)
	// Uncached wijk tiles of half the country, one at a time: the last
	// are still waiting for their turn when SIGTERM comes.
	groups := []string{"totaal", "marokko", "turkije", "suriname", "syrie", "eritrea"}
	const inFlight = 24
	answers := make(chan int, inFlight)
	var answered atomic.Int32
	for i := range inFlight {
		go func() {
			answers <- getStatus(fmt.Sprintf("%s/tiles/wijk/6/%d/%d.mvt?indicator=pct_bijstand&group=%s",
				base, 32+i%2, 20+i/2%2, groups[i/4]))
			answered.Add(1)
		}()
	}
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	before := answered.Load()
	for range inFlight {
		if status := <-answers; status != http.StatusOK {
			t.Errorf("in-flight request answered %d, want 200", status)
		}
	}
	if before == inFlight {
		t.Errorf("all requests were answered before SIGTERM; the test proved nothing")
	}
	t.Logf("%d of %d requests were answered before SIGTERM", before, inFlight)
	err = cmd.Wait()
	lines := <-logs
	if err != nil {
		t.Errorf("exit: %v, want 0\n%s", err, strings.Join(lines, "\n"))
	}
	checkOrder(t, lines, "shutting down", "all requests answered", "store closed")
}

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// collectLines reads r to its end and then sends its lines.
func collectLines(r io.Reader) <-chan []string {
	out := make(chan []string, 1)
	go func() {
		var lines []string
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		out <- lines
	}()
	return out
}

// waitReady waits until /readyz answers 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	// The first start of a new binary publishes the demo data first.
	deadline := time.Now().Add(6 * time.Minute)
	for time.Now().Before(deadline) {
		if getStatus(base+"/readyz") == http.StatusOK {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the server did not become ready")
}

// getStatus returns the status of a GET after reading its body, or 0.
func getStatus(url string) int {
	res, err := http.Get(url)
	if err != nil {
		return 0
	}
	_, err = io.Copy(io.Discard, res.Body)
	if err := errors.Join(err, res.Body.Close()); err != nil {
		return 0
	}
	return res.StatusCode
}

// checkOrder checks that the log has lines with each of msgs, in order.
func checkOrder(t *testing.T, lines []string, msgs ...string) {
	t.Helper()
	next := 0
	for _, l := range lines {
		if next < len(msgs) && strings.Contains(l, msgs[next]) {
			next++
		}
	}
	if next < len(msgs) {
		t.Errorf("log lacks %q (after the ones before it):\n%s", msgs[next], strings.Join(lines, "\n"))
	}
}
