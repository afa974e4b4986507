package webextest_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relaisbot/relais/webexapi/webextest"
)

var nextLinkRE = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

func TestPeopleDisplayNameIsACaseInsensitivePrefixSearch(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	var out listPeople
	callJSON(t, "GET", s.APIURL()+"/people?displayName=mArIe", s.BotToken(), nil, &out)
	require.Len(t, out.Items, 2)
	callJSON(t, "GET", s.APIURL()+"/people?displayName=arie", s.BotToken(), nil, &out)
	require.Empty(t, out.Items)
	callJSON(t, "GET", s.APIURL()+"/people?email=JEAN.dupont@example.com", s.BotToken(), nil, &out)
	require.Len(t, out.Items, 1)
	require.Equal(t, "Jean Dupont", out.Items[0].DisplayName)
	require.Equal(t, "America/Toronto", out.Items[0].Timezone)

	id := out.Items[0].ID
	callJSON(t, "GET", s.APIURL()+"/people?id="+id, s.BotToken(), nil, &out)
	require.Len(t, out.Items, 1)
	var one struct {
		Emails []string `json:"emails"`
	}
	callJSON(t, "GET", s.APIURL()+"/people/"+id, s.BotToken(), nil, &one)
	require.Equal(t, []string{"jean.dupont@example.com"}, one.Emails)

	status, h, raw := call(t, "GET", s.APIURL()+"/people/nope", s.BotToken(), nil)
	requireError(t, http.StatusNotFound, status, h, raw)
	status, h, raw = call(t, "GET", s.APIURL()+"/people", s.BotToken(), nil)
	requireError(t, http.StatusBadRequest, status, h, raw)
}

func TestPeoplePaginationFollowsLinkNext(t *testing.T) {
	t.Parallel()
	var dir []webextest.Person
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		dir = append(dir, webextest.Person{Email: "p" + n + "@example.com", DisplayName: "Pat " + n})
	}
	s := webextest.NewTestServer(t, webextest.Options{Directory: dir})
	next := s.APIURL() + "/people?displayName=pat&max=2"
	var names []string
	pages := 0
	for next != "" {
		var out listPeople
		h := callJSON(t, "GET", next, s.BotToken(), nil, &out)
		pages++
		for _, p := range out.Items {
			names = append(names, p.DisplayName)
		}
		next = ""
		if m := nextLinkRE.FindStringSubmatch(h.Get("Link")); m != nil {
			next = m[1]
		}
	}
	require.Equal(t, 3, pages)
	require.Equal(t, []string{"Pat a", "Pat b", "Pat c", "Pat d", "Pat e"}, names)
}

func TestLoadDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "people.json")
	require.NoError(t, os.WriteFile(good, []byte(`[{"email":"zoe@example.com","displayName":"Zoé Roy","firstName":"Zoé","lastName":"Roy","timezone":"America/Montreal"}]`), 0o600))
	people, err := webextest.LoadDirectory(good)
	require.NoError(t, err)
	require.Equal(t, []webextest.Person{{Email: "zoe@example.com", DisplayName: "Zoé Roy", FirstName: "Zoé", LastName: "Roy", Timezone: "America/Montreal"}}, people)

	s := webextest.NewTestServer(t, webextest.Options{Directory: people})
	var out listPeople
	callJSON(t, "GET", s.APIURL()+"/people?displayName=zo", s.BotToken(), nil, &out)
	require.Len(t, out.Items, 1)
	require.Equal(t, "bot", func() string {
		var me struct{ Type string }
		callJSON(t, "GET", s.APIURL()+"/people/me", s.BotToken(), nil, &me)
		return me.Type
	}())

	for name, content := range map[string]string{
		"notjson.json": `{`, "bademail.json": `[{"email":"x"}]`, "badtz.json": `[{"email":"a@b.c","timezone":"Mars/Olympus"}]`,
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		_, err := webextest.LoadDirectory(p)
		require.Error(t, err, name)
	}
	_, err = webextest.LoadDirectory(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
}
