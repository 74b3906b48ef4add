package ingest

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress shows how far a long job is: a redrawn bar on a terminal, a
// count line at most every few seconds otherwise (logs stay readable).
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	total    int
	done     int
	label    string
	last     time.Time
	interval time.Duration
}

// NewProgress starts a progress display for total items.
func NewProgress(w io.Writer, tty bool, total int, label string) *Progress {
	iv := 5 * time.Second
	if tty {
		iv = 100 * time.Millisecond
	}
	return &Progress{w: w, tty: tty, total: total, label: label, interval: iv}
}

// Add records n more items done.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.done < p.total && time.Since(p.last) < p.interval {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *Progress) draw() {
	if !p.tty {
		fmt.Fprintf(p.w, "%s: %d/%d\n", p.label, p.done, p.total)
		return
	}
	const width = 30
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d", p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.done, p.total)
}

// Finish ends the display.
func (p *Progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.draw()
		fmt.Fprintln(p.w)
	}
}
