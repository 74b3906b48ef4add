// Package metrics holds newsdesk's Prometheus metrics, registered on one
// registry that /metrics serves.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Registry is the registry /metrics serves.
var Registry = prometheus.NewRegistry()

var (
	// ArticlesProcessed counts processed pages by outcome: inserted,
	// updated, unchanged or failed.
	ArticlesProcessed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "newsdesk", Name: "articles_processed_total",
		Help: "Pages processed into articles, by outcome (inserted, updated, unchanged, failed).",
	}, []string{"outcome"})

	// ExtractDuration is how long extraction of one page takes.
	ExtractDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: "newsdesk", Name: "extract_duration_seconds",
		Help:    "Time to decode and extract one page.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
	})

	// HTTPDuration is how long the site takes to answer, by route pattern
	// and status class; code="499" counts requests whose client went away
	// before the answer (as nginx logs them), which are not server errors.
	HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "newsdesk", Name: "http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route and status class (2xx ... 5xx; 499: the client went away first).",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
	}, []string{"route", "code"})

	// CollectDuration is how long collecting one article takes (fetch,
	// extract, store), by result.
	CollectDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "newsdesk", Name: "collect_article_duration_seconds",
		Help:    "Time to fetch, extract and store one collected article, by result (ok, error).",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
	}, []string{"result"})

	// Refused counts requests the site refused before parsing them, by
	// what was too long (request_line, headers).
	Refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "newsdesk", Name: "http_refused_total",
		Help: "Requests refused before parsing because their line (request_line) or headers (headers) were too long.",
	}, []string{"reason"})
)

// ObserveCollected records one collected article; it fits collect.Config's
// OnArticle.
func ObserveCollected(d time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	CollectDuration.WithLabelValues(result).Observe(d.Seconds())
}

func init() {
	Registry.MustRegister(ArticlesProcessed, ExtractDuration, HTTPDuration, CollectDuration, Refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}
