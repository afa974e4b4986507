package webexapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNextLink(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`<https://webexapis.com/v1/people?displayName=Harold&max=10&before&after=Y2lz>; rel="next"`: "https://webexapis.com/v1/people?displayName=Harold&max=10&before&after=Y2lz",
		`<https://x/a?p=1>; rel="prev", <https://x/a?p=3>; rel="next"`:                              "https://x/a?p=3",
		`<https://x/a?p=1,2>; rel=next`:                                                             "https://x/a?p=1,2",
		`<https://x/first>; rel="first"`:                                                            "",
		`garbage`:                                                                                   "",
		`<https://x/a>; title="a, b"; rel="prev next"`:                                              "https://x/a",
		``: "",
	}
	for in, want := range cases {
		h := http.Header{}
		if in != "" {
			h.Set("Link", in)
		}
		assert.Equal(t, want, nextLink(h), in)
	}
}

// pagedPeople serves n people, max per page, with Link headers, like Webex.
func pagedPeople(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		max, _ := strconv.Atoi(q.Get("max"))
		if max <= 0 {
			max = 2
		}
		start, _ := strconv.Atoi(q.Get("cursor"))
		var items []Person
		for i := start; i < min(start+max, n); i++ {
			items = append(items, Person{ID: fmt.Sprintf("p%d", i), DisplayName: q.Get("displayName")})
		}
		if start+max < n {
			q.Set("cursor", strconv.Itoa(start+max))
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items})
	}
}

func TestPaginationWalksEveryPage(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, pagedPeople(5))
	ctx := context.Background()

	p, err := c.People.List(ctx, &PeopleListOptions{DisplayName: "Marie", Max: 2})
	require.NoError(t, err)
	var ids []string
	pages := 0
	for ; p != nil; p, err = p.Next(ctx) {
		require.NoError(t, err)
		pages++
		for _, it := range p.Items {
			ids = append(ids, it.ID)
			assert.Equal(t, "Marie", it.DisplayName, "query kept across pages")
		}
	}
	require.NoError(t, err)
	assert.Equal(t, 3, pages)
	assert.Equal(t, []string{"p0", "p1", "p2", "p3", "p4"}, ids)

	ids = nil
	for person, err := range c.People.All(ctx, &PeopleListOptions{DisplayName: "Marie", Max: 2}) {
		require.NoError(t, err)
		ids = append(ids, person.ID)
	}
	assert.Equal(t, []string{"p0", "p1", "p2", "p3", "p4"}, ids)

	// Stopping early is fine.
	count := 0
	for range c.People.All(ctx, &PeopleListOptions{Email: "x@y.z", Max: 2}) {
		count++
		break
	}
	assert.Equal(t, 1, count)
}

func TestPaginationRefusesForeignHost(t *testing.T) {
	t.Parallel()
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://evil.example.com/v1/people?cursor=2>; rel="next"`)
		_, _ = w.Write([]byte(`{"items":[{"id":"p0"}]}`))
	})
	p, err := c.People.List(context.Background(), &PeopleListOptions{Email: "a@b.c"})
	require.NoError(t, err)
	require.True(t, p.HasNext())
	_, err = p.Next(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another host")

	var got []error
	for _, err := range c.People.All(context.Background(), &PeopleListOptions{Email: "a@b.c"}) {
		got = append(got, err)
	}
	require.Len(t, got, 2)
	assert.NoError(t, got[0])
	assert.Error(t, got[1])
}

func TestPaginationErrorOnSecondPage(t *testing.T) {
	t.Parallel()
	calls := 0
	c, _ := newHTTPTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls > 1 {
			writeWebexError(w, http.StatusNotFound, "gone", "TPG")
			return
		}
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/v1/webhooks?cursor=1>; rel="next"`, r.Host))
		_, _ = w.Write([]byte(`{"items":[{"id":"w0","name":"n","targetUrl":"https://t","resource":"messages","event":"created"}]}`))
	})
	var ids []string
	var lastErr error
	for wh, err := range c.Webhooks.All(context.Background(), nil) {
		if err != nil {
			lastErr = err
			break
		}
		ids = append(ids, wh.ID)
	}
	assert.Equal(t, []string{"w0"}, ids)
	assert.True(t, IsNotFound(lastErr))
}

func FuzzNextLink(f *testing.F) {
	f.Add(`<https://webexapis.com/v1/people?max=10&after=Y2lz>; rel="next"`)
	f.Add(`<a>; rel="prev", <b>; rel=next`)
	f.Add(`<<>>;;,,"`)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Link", v)
		_ = nextLink(h)
	})
}

func TestPageNextEdgeCases(t *testing.T) {
	t.Parallel()
	var nilPage *Page[Person]
	assert.False(t, nilPage.HasNext())
	p, err := nilPage.Next(context.Background())
	assert.Nil(t, p)
	assert.NoError(t, err)
	_, err = (&Page[Person]{NextURL: "https://webexapis.com/v1/people?after=x"}).Next(context.Background())
	assert.Error(t, err, "a hand-made page cannot fetch")
}
