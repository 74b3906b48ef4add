package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The API's one pagination scheme: every list takes `limit` (1 to 100,
// default 20) and `offset` (0 to 100000), and its body says the limit and
// offset it used and carries the absolute URLs of the next and previous
// pages, when there are such pages; the same URLs are sent in a Link
// header (RFC 8288). Offsets match what every store list can do (the
// store pages by limit and offset, search included), so a cursor would
// only wrap an offset.
//
// `page` (1-based, pages of `limit`), which stories and entities took
// before, is still read, and documented as deprecated.

const (
	apiDefaultLimit = 20
	apiMaxLimit     = 100
	apiMaxOffset    = 100000
)

// apiPage is the page a request asks for.
type apiPage struct {
	Limit, Offset int
}

// apiPageParams reads limit, offset and the deprecated page.
func apiPageParams(q url.Values) (apiPage, error) {
	p := apiPage{Limit: apiDefaultLimit}
	var err error
	if v := q.Get("limit"); v != "" {
		if p.Limit, err = strconv.Atoi(v); err != nil || p.Limit < 1 || p.Limit > apiMaxLimit {
			return p, badParam("limit", "limit must be a whole number from 1 to %d, not %q", apiMaxLimit, v)
		}
	}
	off, page := q.Get("offset"), q.Get("page")
	if off != "" && page != "" {
		return p, badParam("page", "give offset or the deprecated page, not both")
	}
	if off != "" {
		if p.Offset, err = strconv.Atoi(off); err != nil || p.Offset < 0 || p.Offset > apiMaxOffset {
			return p, badParam("offset", "offset must be a whole number from 0 to %d, not %q", apiMaxOffset, off)
		}
	}
	if page != "" {
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 || (n-1)*p.Limit > apiMaxOffset {
			return p, badParam("page", "page must be a whole number from 1 to %d, not %q", apiMaxOffset/p.Limit+1, page)
		}
		p.Offset = (n - 1) * p.Limit
	}
	return p, nil
}

// apiPaging is the pagination part of every list's body.
type apiPaging struct {
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next,omitempty"`
	Prev   string `json:"prev,omitempty"`
}

// paging builds a list's pagination and sets its Link header. more says
// whether there are items after this page. keep names the parameters the
// endpoint reads, which the links carry on; others are dropped, as the
// site's pages drop the parameters they do not read (see pageParams).
func (s *Server) paging(w http.ResponseWriter, r *http.Request, p apiPage, more bool, keep ...string) apiPaging {
	out := apiPaging{Limit: p.Limit, Offset: p.Offset}
	link := func(offset int) string {
		q := url.Values{}
		src := r.URL.Query()
		for _, k := range keep {
			if v := src.Get(k); v != "" {
				q.Set(k, v)
			}
		}
		if p.Limit != apiDefaultLimit {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		u := s.absURL(r, r.URL.Path)
		if enc := q.Encode(); enc != "" {
			u += "?" + enc
		}
		return u
	}
	var links []string
	if more && p.Offset+p.Limit <= apiMaxOffset {
		out.Next = link(p.Offset + p.Limit)
		links = append(links, "<"+out.Next+`>; rel="next"`)
	}
	if p.Offset > 0 {
		out.Prev = link(max(p.Offset-p.Limit, 0))
		links = append(links, "<"+out.Prev+`>; rel="prev"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	return out
}
