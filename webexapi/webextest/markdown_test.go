package webextest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relaisbot/relais/webexapi/webextest"
)

// TestMarkdownRendering: the fake renders what Webex renders, so that a test can tell a
// message that mentions everyone or makes a link from one that shows the same characters
// escaped.
func TestMarkdownRendering(t *testing.T) {
	t.Parallel()
	s := webextest.NewTestServer(t, webextest.Options{})
	post := func(md string) webextest.Message {
		var m webextest.Message
		callJSON(t, "POST", s.APIURL()+"/messages", s.BotToken(),
			map[string]string{"toPersonEmail": "bob.smith@example.com", "markdown": md}, &m)
		return m
	}

	live := post("<@all> [lien](http://exemple.invalid) **x** voir https://autre.invalid/a et www.trois.invalid")
	assert.Equal(t, []string{"all"}, live.MentionedGroups)
	assert.Equal(t, `<p><spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention> `+
		`<a href="http://exemple.invalid">lien</a> <strong>x</strong> voir `+
		`<a href="https://autre.invalid/a">https://autre.invalid/a</a> et `+
		`<a href="http://www.trois.invalid">www.trois.invalid</a></p>`, live.HTML)

	escaped := post("&lt;@all&gt; \\[lien\\](http:\u200b//exemple.invalid) \\*\\*x\\*\\* www\u200b.trois.invalid")
	assert.Empty(t, escaped.MentionedGroups)
	assert.Equal(t, "<p>&lt;@all&gt; [lien](http:\u200b//exemple.invalid) **x** www\u200b.trois.invalid</p>", escaped.HTML)

	person := post("<@personEmail:bob.smith@example.com|Bob> & co")
	assert.Empty(t, person.MentionedGroups)
	assert.Len(t, person.MentionedPeople, 1)
	assert.Contains(t, person.HTML, `">Bob</spark-mention> &amp; co</p>`)
}
