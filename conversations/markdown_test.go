package conversations

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Suivi de projet":              "Suivi de projet",
		"Jean-Pierre L'Heureux":        "Jean-Pierre L'Heureux",
		"Bilan (T2) : 50 % atteint !":  "Bilan (T2) : 50 % atteint !",
		"<@all>":                       "&lt;@all&gt;",
		"<@personEmail:a@b.c|A>":       "&lt;@personEmail:a@b.c|A&gt;",
		"[lien](http://x.invalid)":     `\[lien\](http:` + "\u200b" + `//x.invalid)`,
		"**gras** _it_ `code` ~barré~": `\*\*gras\*\* \_it\_ \` + "`" + `code\` + "`" + ` \~barré\~`,
		"# titre":                      `\# titre`,
		"- puce":                       `\- puce`,
		"1. premier":                   `1\. premier`,
		"R&D":                          "R&D",
		"&lt;b&gt;":                    "&amp;lt;b&amp;gt;",
		"ligne 1\nligne 2":             "ligne 1 ligne 2",
		"voir www.exemple.ca":          "voir www\u200b.exemple.ca",
		`a\b`:                          `a\\b`,
	} {
		assert.Equal(t, want, Escape(in), "%q", in)
	}
	// No input can smuggle a tag, a mention or a link through.
	for _, in := range []string{"<@all>", "x<@all>y", "[a](b)", "![img](http://a.b/c.png)", "<https://a.b>", "<script>"} {
		out := Escape(in)
		assert.NotContains(t, out, "<", in)
		assert.False(t, strings.Contains(out, "](") && !strings.Contains(out, `\]`), in)
	}
}
