package web

import "net/http"

// websubCallback, when set by EnableWebSub, answers WebSub hubs at
// /websub/{id} (verification GETs and content POSTs).
var websubCallback http.Handler

// EnableWebSub mounts h at /websub/{id} on the servers built after it. h
// is the collector's websub.Subscriber; the hubs reach it at the public
// callback URL configured for it.
func EnableWebSub(h http.Handler) {
	adminMu.Lock()
	defer adminMu.Unlock()
	websubCallback = h
}

func init() {
	extraRoutes = append(extraRoutes, func(s *Server, page Route) {
		adminMu.Lock()
		h := websubCallback
		adminMu.Unlock()
		if h == nil {
			return
		}
		page("GET /websub/{id}", h.ServeHTTP)
		page("POST /websub/{id}", h.ServeHTTP)
	})
}
