package feed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strings"

	"github.com/andybalholm/brotli"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// WARCPage is one archived HTTP response.
type WARCPage struct {
	URL         string // WARC-Target-URI
	ContentType string // of the HTTP response
	Status      int
	Body        []byte // HTTP payload, transfer- and content-decoding undone
}

// MaxWARCPayload caps one record's decoded payload; larger records are
// skipped (reported through the callback's skip count).
const MaxWARCPayload = 16 << 20

// ErrStop may be returned by a ReadWARC callback to stop early without error.
var ErrStop = errors.New("feed: stop")

// ReadWARC reads a WARC file (plain or gzip, as the reader finds it) and
// calls fn for each HTTP response record with a 2xx status and an HTML or
// XHTML body. It returns how many response records were skipped (other
// types, statuses, oversized or undecodable payloads).
func ReadWARC(r io.Reader, fn func(WARCPage) error) (skipped int, err error) {
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithSpecViolationPolicy(gowarc.ErrIgnore),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore))
	if err != nil {
		return 0, fmt.Errorf("feed: unable to read WARC: %w", err)
	}
	defer wr.Close()
	for {
		rec, err := wr.Next()
		if errors.Is(err, io.EOF) {
			return skipped, nil
		}
		if err != nil {
			return skipped, fmt.Errorf("feed: WARC record at offset %d: %w", rec.Offset, err)
		}
		page, ok := responsePage(rec.WarcRecord)
		rec.Close()
		if !ok {
			if rec.WarcRecord != nil && rec.WarcRecord.Type() == gowarc.Response {
				skipped++
			}
			continue
		}
		if err := fn(page); err != nil {
			if errors.Is(err, ErrStop) {
				return skipped, nil
			}
			return skipped, err
		}
	}
}

func responsePage(rec gowarc.WarcRecord) (WARCPage, bool) {
	if rec == nil || rec.Type() != gowarc.Response {
		return WARCPage{}, false
	}
	blk, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return WARCPage{}, false
	}
	status := blk.HttpStatusCode()
	if status < 200 || status > 299 {
		return WARCPage{}, false
	}
	h := http.Header{}
	if hh := blk.HttpHeader(); hh != nil {
		h = *hh
	}
	ct := h.Get("Content-Type")
	if ct != "" && !strings.Contains(ct, "html") {
		return WARCPage{}, false
	}
	payload, err := blk.PayloadBytes()
	if err != nil {
		return WARCPage{}, false
	}
	var rd io.Reader = payload
	if strings.Contains(strings.ToLower(h.Get("Transfer-Encoding")), "chunked") {
		// Peek: archivers differ on whether they stored the chunking.
		br := bufio.NewReader(rd)
		if looksChunked(br) {
			rd = httputil.NewChunkedReader(br)
		} else {
			rd = br
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))) {
	case "gzip", "x-gzip":
		br := bufio.NewReader(rd)
		if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return WARCPage{}, false
			}
			rd = zr
		} else {
			rd = br // stored already decoded
		}
	case "br":
		rd = brotli.NewReader(rd)
	}
	body, err := io.ReadAll(io.LimitReader(rd, MaxWARCPayload+1))
	if err != nil || len(body) > MaxWARCPayload || len(body) == 0 {
		return WARCPage{}, false
	}
	url := strings.Trim(rec.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	return WARCPage{URL: url, ContentType: ct, Status: status, Body: body}, true
}

// looksChunked reports whether the stream starts with a hex chunk size line.
func looksChunked(br *bufio.Reader) bool {
	head, _ := br.Peek(18)
	i := 0
	for i < len(head) && strings.IndexByte("0123456789abcdefABCDEF", head[i]) >= 0 {
		i++
	}
	return i > 0 && i < len(head) && (head[i] == '\r' || head[i] == ';' || head[i] == '\n')
}
