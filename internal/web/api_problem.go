package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// The API's one error format: problem details (RFC 9457), sent as
// application/problem+json for every 4xx and 5xx under /api/v1, whichever
// part of the server made the error (a handler, the rate limit, the
// method check, a recovered panic).

// apiFallback is the route that answers every /api/v1 address no other
// route takes.
const apiFallback = "/api/v1/{rest...}"

// problemInvalidParams is the type of a 400 problem about the query
// parameters; its "errors" member says which and why. The URI points at
// the schema that describes it in the served OpenAPI document. Every other
// problem is "about:blank": its status says all there is.
const problemInvalidParams = "/api/v1/openapi.json#/components/schemas/InvalidParametersProblem"

// problem is a problem details object (RFC 9457 §3).
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Errors lists the parameters that were wrong (invalid-parameters
	// problems only).
	Errors []paramError `json:"errors,omitempty"`
}

// paramError is one wrong query parameter of a request.
type paramError struct {
	Parameter string `json:"parameter"`
	Detail    string `json:"detail"`
}

// Error makes a paramError usable where an error is expected, so
// parameter parsers return it through ordinary error values.
func (e *paramError) Error() string { return e.Detail }

// badParam is a paramError for the named parameter.
func badParam(name, format string, args ...any) error {
	return &paramError{Parameter: name, Detail: fmt.Sprintf(format, args...)}
}

// writeProblem sends an about:blank problem with status and detail.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string) {
	s.sendProblem(w, r, problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail})
}

// writeBadParams sends a 400 problem for a parameter error: err should be
// a *paramError (from badParam); any other error is reported as it is.
func (s *Server) writeBadParams(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Type: s.absURL(r, problemInvalidParams), Title: "Invalid query parameters", Status: http.StatusBadRequest, Detail: err.Error()}
	var pe *paramError
	if errors.As(err, &pe) {
		p.Errors = []paramError{*pe}
	}
	s.sendProblem(w, r, p)
}

// writeInternal logs a failure and sends a 500 problem that says nothing
// of its cause.
func (s *Server) writeInternal(w http.ResponseWriter, r *http.Request, msg string, err error, args ...any) {
	s.logFailure(r, msg, err, args...)
	s.writeProblem(w, r, http.StatusInternalServerError, "The server could not answer. Please try again later.")
}

func (s *Server) sendProblem(w http.ResponseWriter, r *http.Request, p problem) {
	p.Instance = r.URL.EscapedPath()
	body, err := json.MarshalIndent(p, "", "  ")
	if err != nil { // a problem holds only strings and ints
		panic(fmt.Sprintf("web: problem: %v", err))
	}
	resp := newResponse(p.Status, "application/problem+json", append(body, '\n'))
	resp.cacheControl = "no-store"
	s.sendAPI(w, r, resp)
}

// apiRoute wraps an /api/v1 handler so that a panic in it is answered with
// a problem, not the plain-text error the site's pages get.
func (s *Server) apiRoute(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", p)
				if sw.status == 0 {
					s.writeProblem(sw, r, http.StatusInternalServerError, "The server could not answer. Please try again later.")
				}
			}
		}()
		h(sw, r)
	}
}

// handleAPIFallback answers an /api/v1 address that no route takes: 405
// when the address exists for another method, else 404.
func (s *Server) handleAPIFallback(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowed(r); allow != "" {
		w.Header().Set("Allow", allow)
		s.writeProblem(w, r, http.StatusMethodNotAllowed, "This address answers "+allow+" only.")
		return
	}
	s.writeProblem(w, r, http.StatusNotFound, "There is no API endpoint at this address; the endpoints are listed in /api/v1/openapi.json.")
}
