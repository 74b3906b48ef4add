package story

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// synthetic makes n articles about n/8 events: each event has its own
// names, place and numbers and draws its words from a shared Zipfian
// vocabulary, so posting lists have the skew of real news.
func synthetic(n int, seed uint64) []Article {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%xq", i*7919%100003)
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(seed, 2)), 1.1, 2, uint64(len(vocab)-1))
	events := n/8 + 1
	out := make([]Article, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		ev := r.IntN(events)
		var b strings.Builder
		b.WriteString(fmt.Sprintf("Event%d Person%d visited Place%d. ", ev, ev*3, ev%5000))
		for j := 0; j < 250; j++ {
			if j%25 == 0 {
				b.WriteString(fmt.Sprintf("Then Name%d said %d. ", ev*7+r.IntN(3), 1000+ev%9000))
			}
			b.WriteString(vocab[zipf.Uint64()])
			b.WriteByte(' ')
		}
		out[i] = Article{ID: int64(i + 1), Published: t0.Add(time.Duration(i) * time.Second), Features: Extract("", b.String())}
	}
	return out
}

// BenchmarkAssign measures story assignments per second with the window
// full: 100,000 articles already in it.
func BenchmarkAssign(b *testing.B) {
	window := benchWindow
	arts := synthetic(window+20_000, 1)
	c := New(Options{MaxArticles: window, Window: 30 * 24 * time.Hour})
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for _, a := range arts[:window] {
		c.Add(a)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := arts[window+i%20_000]
		a.ID = int64(window + i + 1)
		c.Add(a)
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/float64(window), "heapB/article")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assign/s")
	// on a shared machine wall time says little: CPU time per assignment
	// is what one core spends
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "assign/cpu-s")
}

// BenchmarkAssignRefine is BenchmarkAssign with Refine run every
// DefaultRefineEvery assignments, as the Tracker runs it: the cost of an
// assignment in production, Refine's share included.
func BenchmarkAssignRefine(b *testing.B) {
	window := benchWindow
	arts := synthetic(window+20_000, 1)
	c := New(Options{MaxArticles: window, Window: 30 * 24 * time.Hour})
	for i, a := range arts[:window] {
		c.Add(a)
		if (i+1)%DefaultRefineEvery == 0 {
			c.Refine()
		}
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	moves := 0
	for i := 0; i < b.N; i++ {
		a := arts[window+i%20_000]
		a.ID = int64(window + i + 1)
		c.Add(a)
		if (i+1)%DefaultRefineEvery == 0 {
			moves += len(c.Refine())
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assign/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "assign/cpu-s")
	b.ReportMetric(float64(moves)/float64(b.N), "moves/assign")
}

var benchWindow = 100_000

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRestore measures how long a new story writer takes to rebuild a
// full window (100,000 articles) from their stored assignments, and what
// the window then holds in memory. One op is one whole rebuild; features
// are extracted beforehand (the store read and Extract are not in it).
func BenchmarkRestore(b *testing.B) {
	window := benchWindow
	arts := synthetic(window, 1)
	c := New(Options{MaxArticles: window, Window: 30 * 24 * time.Hour})
	stories := make([]int64, len(arts))
	for i, a := range arts {
		stories[i] = c.Add(a).Story
		if (i+1)%DefaultRefineEvery == 0 {
			for _, m := range c.Refine() {
				stories[m.Article-1] = m.To
			}
		}
	}
	for i := range stories {
		stories[i] = c.Resolve(stories[i])
	}
	var heap float64
	b.ResetTimer()
	for range b.N {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		r := New(Options{MaxArticles: window, Window: 30 * 24 * time.Hour})
		for i, a := range arts {
			r.Restore(a, stories[i])
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		heap = float64(m1.HeapAlloc - m0.HeapAlloc)
		if r.OpenArticles() != window {
			b.Fatalf("%d articles restored, want %d", r.OpenArticles(), window)
		}
	}
	b.ReportMetric(heap/float64(window), "heapB/article")
	b.ReportMetric(float64(window)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
