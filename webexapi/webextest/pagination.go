package webextest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// page is a list request's window: max items from offset (the opaque "cursor" parameter).
type page struct {
	max, offset int
}

// parsePage reads max (default def, at most limit) and cursor; it writes a 400 on bad values.
func parsePage(w http.ResponseWriter, q url.Values, def, limit int) (page, bool) {
	p := page{max: def}
	if v := q.Get("max"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > limit {
			writeError(w, http.StatusBadRequest, msgBadRequest, fmt.Sprintf("max must be between 1 and %d.", limit))
			return p, false
		}
		p.max = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid cursor.")
			return p, false
		}
		p.offset = n
	}
	return p, true
}

// applyPage cuts items to the page and sets the Link rel="next" header when more remain.
func applyPage[T any](p page, w http.ResponseWriter, r *http.Request, base string, items []T) []T {
	if p.offset >= len(items) {
		return items[:0:0]
	}
	end := min(p.offset+p.max, len(items))
	if end < len(items) {
		q := r.URL.Query()
		q.Set("max", strconv.Itoa(p.max))
		q.Set("cursor", strconv.Itoa(end))
		w.Header().Set("Link", fmt.Sprintf("<%s%s?%s>; rel=\"next\"", base, r.URL.Path, q.Encode()))
	}
	return items[p.offset:end]
}
