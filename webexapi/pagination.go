package webexapi

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// Page is one page of a Webex list. Walk the rest with Next (or use the services' All iterators):
//
//	for p, err := c.People.List(ctx, opts); p != nil || err != nil; p, err = p.Next(ctx) {
//		if err != nil { return err }
//		for _, person := range p.Items { ... }
//	}
type Page[T any] struct {
	// Items of this page (possibly empty even when more pages follow).
	Items []T
	// NextURL is the Link header's rel="next" URL, empty on the last page.
	NextURL string

	c *Client
}

// HasNext reports whether another page follows.
func (p *Page[T]) HasNext() bool { return p != nil && p.NextURL != "" }

// Next fetches the following page; it returns nil, nil after the last page.
func (p *Page[T]) Next(ctx context.Context) (*Page[T], error) {
	if !p.HasNext() {
		return nil, nil
	}
	if p.c == nil {
		return nil, errors.New("list: page not obtained from a Client")
	}
	return fetchPage[T](ctx, p.c, p.NextURL)
}

// listResponse is Webex's list envelope.
type listResponse[T any] struct {
	Items []T `json:"items"`
}

// firstPage fetches the first page of a list at path with query.
func firstPage[T any](ctx context.Context, c *Client, path string, query url.Values) (*Page[T], error) {
	return fetchPage[T](ctx, c, c.url(path, query))
}

// fetchPage fetches one page at an absolute URL, which must be on the API's host: the token is
// never sent to a host a Link header names otherwise.
func fetchPage[T any](ctx context.Context, c *Client, absURL string) (*Page[T], error) {
	u, err := url.Parse(absURL)
	if err != nil {
		return nil, fmt.Errorf("list: bad page URL: %w", err)
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return nil, fmt.Errorf("list: refusing page URL on another host %q", u.Host)
	}
	var lr listResponse[T]
	resp, err := c.doURL(ctx, http.MethodGet, absURL, nil, &lr)
	if err != nil {
		return nil, err
	}
	return &Page[T]{Items: lr.Items, NextURL: nextLink(resp.Header), c: c}, nil
}

// all iterates over every item of every page; it stops at the first error, which it yields.
func all[T any](ctx context.Context, first func(ctx context.Context) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p, err := first(ctx)
		for {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if p == nil {
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			p, err = p.Next(ctx)
		}
	}
}

// nextLink returns the rel="next" URL of RFC 8288 Link headers, or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, part := range splitLinks(v) {
			part = strings.TrimSpace(part)
			if !strings.HasPrefix(part, "<") {
				continue
			}
			end := strings.Index(part, ">")
			if end < 0 {
				continue
			}
			target := part[1:end]
			for _, param := range strings.Split(part[end+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					if strings.EqualFold(rel, "next") {
						return target
					}
				}
			}
		}
	}
	return ""
}

// splitLinks splits a Link header value on the commas between links (not inside <...> or quotes).
func splitLinks(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i, r := range v {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '<':
			depth++
		case r == '>':
			depth = max(depth-1, 0)
		case r == ',' && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// errNoID is returned when a call needs an id and got none.
var errNoID = errors.New("empty id")
