package webextest

import (
	"html"
	"strings"
)

// groupMentionAll is how Webex shows an « <@all> » mention in a message's html.
const groupMentionAll = `<spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention>`

// inlineHTML renders the markdown Webex renders inline in a message without a mention of a
// person: backslash escapes, « <@all> » (reported through all), links « [text](url) »,
// autolinks (http://, https://, www.) and « **bold** ». Entities such as « &lt; » stay
// entities; everything else is escaped. It is enough to tell whether text a person typed would
// mention everyone, make a link or change the emphasis once Webex shows it.
func inlineHTML(md string, all *bool) string {
	var b strings.Builder
	for i := 0; i < len(md); {
		rest := md[i:]
		switch {
		case rest[0] == '\\' && len(rest) > 1 && strings.IndexByte("\\`*_{}[]()#+-.!<>~|&", rest[1]) >= 0:
			b.WriteString(html.EscapeString(rest[1:2]))
			i += 2
		case len(rest) >= 6 && strings.EqualFold(rest[:6], "<@all>"):
			b.WriteString(groupMentionAll)
			*all = true
			i += 6
		case strings.HasPrefix(rest, "**"):
			end := strings.Index(rest[2:], "**")
			if end <= 0 {
				b.WriteString("**")
				i += 2
				continue
			}
			b.WriteString("<strong>" + inlineHTML(rest[2:2+end], all) + "</strong>")
			i += 2 + end + 2
		case rest[0] == '[':
			text, url, n := link(rest)
			if n == 0 {
				b.WriteString("[")
				i++
				continue
			}
			b.WriteString(`<a href="` + html.EscapeString(url) + `">` + inlineHTML(text, all) + "</a>")
			i += n
		case autolinkAt(md, i):
			n := strings.IndexAny(rest, " \t\n<")
			if n < 0 {
				n = len(rest)
			}
			url := rest[:n]
			if hasPrefixFold(url, "www.") {
				url = "http://" + url
			}
			b.WriteString(`<a href="` + html.EscapeString(url) + `">` + html.EscapeString(rest[:n]) + "</a>")
			i += n
		case rest[0] == '&' && entityLen(rest) > 0:
			n := entityLen(rest)
			b.WriteString(rest[:n])
			i += n
		default:
			b.WriteString(html.EscapeString(rest[:1]))
			i++
		}
	}
	return b.String()
}

// link reads « [text](url) » at the start of s; n is 0 when s does not start with one.
func link(s string) (text, url string, n int) {
	close := strings.Index(s, "](")
	if close < 0 {
		return "", "", 0
	}
	end := strings.IndexByte(s[close+2:], ')')
	if end < 0 {
		return "", "", 0
	}
	return s[1:close], s[close+2 : close+2+end], close + 2 + end + 1
}

// autolinkAt reports whether a bare URL starts at md[i] (at the start of a word).
func autolinkAt(md string, i int) bool {
	if i > 0 && !strings.ContainsRune(" \t\n(", rune(md[i-1])) {
		return false
	}
	rest := md[i:]
	return hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://") || hasPrefixFold(rest, "www.")
}

// hasPrefixFold is strings.HasPrefix without regard to case. It looks at len(prefix) bytes
// only: lowering the whole rest at every word made rendering a message quadratic in its length.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// entityLen is the length of the HTML entity (« &lt; », « &#39; ») at the start of s, or 0.
func entityLen(s string) int {
	for i := 1; i < len(s) && i < 34; i++ {
		c := s[i]
		switch {
		case c == ';':
			if i == 1 {
				return 0
			}
			return i + 1
		case c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		default:
			return 0
		}
	}
	return 0
}
