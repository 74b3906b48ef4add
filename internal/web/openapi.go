package web

import (
	_ "embed"
	"net/http"
	"sync"
)

// openAPIDoc describes every /api/v1 endpoint (OpenAPI 3.1). It is written
// by hand rather than generated from the Go types: it says what the types
// cannot (which fields are always there, units, deprecations, the error
// and paging rules), and the package's tests check every API response
// they make against it, so the code cannot drift from what it promises
// without a test failing (see api_openapi_test.go). A description
// generated from the same types would pass that check whatever they held.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPIResponse is the description as a response, made once: its ETag
// and compressed forms are the same for every request.
var openAPIResponse = sync.OnceValue(func() *response {
	return newResponse(http.StatusOK, "application/json; charset=utf-8", openAPIDoc)
})

// handleOpenAPI serves the description.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	s.sendAPI(w, r, openAPIResponse())
}
