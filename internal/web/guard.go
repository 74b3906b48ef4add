package web

import (
	"bytes"
	"errors"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/metrics"
)

// GuardOptions shape GuardListener.
type GuardOptions struct {
	// MaxHeaderBytes bounds the first request's line and headers on a new
	// connection (default MaxHeaderBytes).
	MaxHeaderBytes int
	// Delay is how long an oversized request waits before its refusal
	// (default 100ms): a client that sends junk as fast as it can is held
	// to one request per Delay per connection instead of taking CPU from
	// readers. Negative: no delay.
	Delay time.Duration
	// Holding bounds the connections held at once (default 512); beyond
	// it a refusal is sent at once, so the delay can't pin memory.
	Holding int
}

// GuardListener wraps the site's listener so that a new connection whose
// first request is longer than the bound is refused before net/http
// parses any of it: 414 when the request line alone is too long, 431 when
// its headers are. The refusal is held back for a short delay (a tarpit:
// a sleeping goroutine, no CPU), then the connection is reset rather than
// drained, so the rest of a 60 kB junk request is never read. net/http's
// own MaxHeaderBytes still guards later requests on a kept-alive
// connection; after its 431 it closes the connection, so the next junk
// request arrives on a new, guarded one.
func GuardListener(ln net.Listener, opt GuardOptions) net.Listener {
	if opt.MaxHeaderBytes <= 0 {
		opt.MaxHeaderBytes = MaxHeaderBytes
	}
	if opt.Delay == 0 {
		opt.Delay = 100 * time.Millisecond
	}
	if opt.Holding <= 0 {
		opt.Holding = 512
	}
	return &guardListener{Listener: ln, opt: opt, hold: make(chan struct{}, opt.Holding)}
}

type guardListener struct {
	net.Listener
	opt  GuardOptions
	hold chan struct{} // a slot per refusal being delayed
}

func (l *guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardConn{Conn: c, l: l}, nil
}

// errRefused ends a connection the guard refused; net/http sees it as a
// read error and closes the connection without answering again.
var errRefused = errors.New("request refused: too long")

// guardConn reads a new connection's first request head itself, refuses it
// when too long, and otherwise hands what it read to net/http unchanged.
type guardConn struct {
	net.Conn
	l       *guardListener
	once    sync.Once
	err     error  // the outcome of the check
	pending []byte // bytes read by the check, not yet handed on
}

func (c *guardConn) Read(p []byte) (int, error) {
	c.once.Do(c.check)
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	return c.Conn.Read(p)
}

// check reads until the end of the first request's headers, the bound, or
// an error (which is handed on after the bytes read before it, so net/http
// sees what it would have seen). It runs inside net/http's first Read, so
// the server's read deadline applies.
func (c *guardConn) check() {
	limit := c.l.opt.MaxHeaderBytes
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) { // double, up to one byte past the bound
			buf = slices.Grow(buf, min(cap(buf), limit+1-len(buf)))
		}
		from := max(len(buf)-3, 0) // the end of the head may straddle two reads
		n, err := c.Conn.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if bytes.Contains(buf[from:], []byte("\r\n\r\n")) || bytes.HasPrefix(buf, []byte("PRI * HTTP/2")) {
			c.pending = buf
			return
		}
		if len(buf) > limit {
			c.refuse(buf)
			return
		}
		if err != nil {
			c.pending, c.err = buf, err
			return
		}
	}
}

// refuse answers a too-long request after the delay and resets the
// connection.
func (c *guardConn) refuse(head []byte) {
	status := "431 Request Header Fields Too Large"
	reason := "headers"
	if !bytes.Contains(head, []byte("\n")) {
		status, reason = "414 URI Too Long", "request_line"
	}
	metrics.Refused.WithLabelValues(reason).Inc()
	if d := c.l.opt.Delay; d > 0 {
		select {
		case c.l.hold <- struct{}{}:
			time.Sleep(d)
			<-c.l.hold
		default: // too many held already: answer at once
		}
	}
	body := status + ": this site's pages take no parameter this long.\n"
	c.Conn.SetWriteDeadline(time.Now().Add(time.Second))
	c.Conn.Write([]byte("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + body))
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // reset: the rest of the junk is dropped, not read
	}
	c.err = errRefused
}
