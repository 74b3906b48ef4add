package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	oabase "github.com/pb33f/libopenapi/datamodel/high/base"
)

// Every API response made anywhere in this package's tests is checked
// against the OpenAPI document the server serves, with pb33f's
// libopenapi-validator: it validates OpenAPI 3.1 (JSON Schema 2020-12,
// through santhosh-tekuri's jsonschema), where kin-openapi's validator
// is built on the 3.0 model. Its strict mode also reports properties and
// headers the document does not declare, so a field added, renamed or
// retyped in the code without the document fails the tests.
//
// TestMain installs the check (apiResponseCheck); each test site reports
// the violations of its server when its test ends (newTestSite), and
// TestMain those of servers made otherwise.

// openAPI is the validator of the served document, built once.
var openAPI = sync.OnceValues(func() (*apiContract, error) { return newAPIContract(openAPIDoc) })

// apiContract checks responses against one OpenAPI document.
type apiContract struct {
	mu       sync.Mutex // the validator's caches are not documented as safe for concurrent use
	v        validator.Validator
	problem  *oabase.Schema // for the addresses and methods the document has no operation for
	schemaV  schema_validation.SchemaValidator
	requestV validator.Validator // not strict: parameters the document does not list are ignored by design (see openapi.json)
}

func newAPIContract(doc []byte) (*apiContract, error) {
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	v, errs := validator.NewValidator(d, config.WithStrictMode())
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi: validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		return nil, fmt.Errorf("openapi: the document is not valid OpenAPI: %s", describe(verrs))
	}
	rv, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi: validator: %v", errs)
	}
	m, err := d.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi: model: %w", err)
	}
	p := m.Model.Components.Schemas.GetOrZero("Problem")
	if p == nil {
		return nil, fmt.Errorf("openapi: no Problem schema")
	}
	return &apiContract{v: v, requestV: rv, problem: p.Schema(), schemaV: schema_validation.NewSchemaValidator()}, nil
}

// contractHeaders are the response headers the document describes; the
// others (security, caching) are the site's and not part of the API.
var contractHeaders = []string{"Link", "Location", "Retry-After"}

// check returns what is wrong with a response to r (nil when it matches
// the document).
func (c *apiContract) check(r *http.Request, h http.Header, p *response) []string {
	req := r.Clone(r.Context())
	if req.Method == http.MethodHead {
		req.Method = http.MethodGet // HEAD is GET without the body
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Pattern == apiFallback {
		// No operation to match: the answer must be a problem all the same.
		var out []string
		if p.status != http.StatusNotFound && p.status != http.StatusMethodNotAllowed {
			out = append(out, fmt.Sprintf("unknown address answered %d", p.status))
		}
		if p.contentType != "application/problem+json" {
			out = append(out, "unknown address answered "+p.contentType)
		}
		if ok, errs := c.schemaV.ValidateSchemaBytes(c.problem, p.body); !ok {
			out = append(out, describe(errs))
		}
		return out
	}
	resp := &http.Response{StatusCode: p.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(p.body)), Request: req}
	resp.Header.Set("Content-Type", p.contentType)
	for _, k := range contractHeaders {
		if v := h.Get(k); v != "" {
			resp.Header.Set(k, v)
		}
	}
	v := c.v
	if r.Pattern == "GET /api/v1/openapi.json" {
		// The document itself is checked by ValidateDocument; strict mode
		// would want every keyword of OpenAPI declared in its schema.
		v = c.requestV
	}
	var out []string
	if ok, errs := v.ValidateHttpResponse(req, resp); !ok {
		out = append(out, describe(errs))
	}
	// A request the document calls invalid must not succeed.
	if p.status < 400 {
		if ok, errs := c.requestV.ValidateHttpRequestSync(req); !ok {
			out = append(out, fmt.Sprintf("answered %d to a request the document calls invalid: %s", p.status, describe(errs)))
		}
	}
	return out
}

func describe[E error](errs []E) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n\t" + e.Error())
	}
	return b.String()
}

// apiViolations holds the mismatches found, by server, until a test takes
// them.
var apiViolations = struct {
	sync.Mutex
	by map[*Server][]string
}{by: map[*Server][]string{}}

// checkAPIResponse is the apiResponseCheck of the tests.
func checkAPIResponse(s *Server, r *http.Request, h http.Header, p *response) {
	c, err := openAPI()
	var problems []string
	if err != nil {
		problems = []string{err.Error()}
	} else {
		problems = c.check(r, h, p)
	}
	if len(problems) == 0 {
		return
	}
	msg := fmt.Sprintf("%s %s answered %d, which the OpenAPI document does not allow:%s\nbody: %.600s",
		r.Method, r.URL.RequestURI(), p.status, strings.Join(problems, ""), p.body)
	apiViolations.Lock()
	apiViolations.by[s] = append(apiViolations.by[s], msg)
	apiViolations.Unlock()
}

// takeAPIViolations returns and forgets the violations of one server
// (nil for all servers).
func takeAPIViolations(s *Server) []string {
	apiViolations.Lock()
	defer apiViolations.Unlock()
	if s != nil {
		v := apiViolations.by[s]
		delete(apiViolations.by, s)
		return v
	}
	var all []string
	for k, v := range apiViolations.by {
		all = append(all, v...)
		delete(apiViolations.by, k)
	}
	return all
}

func TestMain(m *testing.M) {
	apiResponseCheck = checkAPIResponse
	code := m.Run()
	if v := takeAPIViolations(nil); len(v) > 0 {
		fmt.Fprintf(os.Stderr, "API responses that do not match openapi.json:\n%s\n", strings.Join(v, "\n"))
		code = 1
	}
	os.Exit(code)
}
