package web

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// guardedServer serves h through GuardListener on loopback and returns its
// address and a count of the requests h saw.
func guardedServer(t *testing.T, opt GuardOptions) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.URL.RawQuery+"|"+string(body))
	}), MaxHeaderBytes: MaxHeaderBytes}
	go srv.Serve(GuardListener(ln, opt))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), &seen
}

// roundTrip writes raw to a new connection and reads one response.
func roundTrip(t *testing.T, addr, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	go io.WriteString(conn, raw) // a refusing server may reset before it is all written
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestGuardPassesOrdinaryRequests(t *testing.T) {
	addr, seen := guardedServer(t, GuardOptions{Delay: -1})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	// the head in small pieces, then a body, then a second request on
	// the same connection
	for _, part := range []string{"POST /?a=1 HTTP/1.1\r\nHo", "st: x\r\nContent-Length: 5\r\n", "\r\nhello"} {
		io.WriteString(conn, part)
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "a=1|hello" {
		t.Fatalf("first request: %d %q", resp.StatusCode, body)
	}
	io.WriteString(conn, "GET /?b=2 HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err = http.ReadResponse(br, nil); err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "b=2|" {
		t.Fatalf("second request on the kept-alive connection: %d %q", resp.StatusCode, body)
	}
	if seen.Load() != 2 {
		t.Fatalf("handler saw %d requests, want 2", seen.Load())
	}
}

func TestGuardRefusesLongRequests(t *testing.T) {
	addr, seen := guardedServer(t, GuardOptions{Delay: -1})
	junk := strings.Repeat("x", 60<<10)

	resp, body := roundTrip(t, addr, "GET /?junk="+junk+" HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp.StatusCode != http.StatusRequestURITooLong || !strings.Contains(body, "414") {
		t.Fatalf("long request line: %d %q", resp.StatusCode, body)
	}
	resp, _ = roundTrip(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nX-Junk: "+junk+"\r\n\r\n")
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("long headers: %d", resp.StatusCode)
	}
	// just under the bound is still served
	ok := "GET /?p=" + strings.Repeat("y", MaxHeaderBytes-64) + " HTTP/1.1\r\nHost: x\r\n\r\n"
	if resp, _ = roundTrip(t, addr, ok); resp.StatusCode != 200 {
		t.Fatalf("request under the bound: %d", resp.StatusCode)
	}
	if seen.Load() != 1 {
		t.Fatalf("handler saw %d requests, want only the one under the bound", seen.Load())
	}
}

func TestGuardHoldsRefusals(t *testing.T) {
	const delay = 300 * time.Millisecond
	addr, _ := guardedServer(t, GuardOptions{Delay: delay})
	start := time.Now()
	resp, _ := roundTrip(t, addr, "GET /?junk="+strings.Repeat("x", 20<<10)+" HTTP/1.1\r\nHost: x\r\n\r\n")
	if took := time.Since(start); resp.StatusCode != http.StatusRequestURITooLong || took < delay {
		t.Fatalf("refusal %d after %v; want 414 after at least %v", resp.StatusCode, took, delay)
	}
}
