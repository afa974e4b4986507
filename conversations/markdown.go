package conversations

import (
	"strings"
	"unicode"
)

// Escape makes a text typed by a person (a title, a name) show literally in a Webex markdown
// message or an Adaptive Card TextBlock: emphasis, code and link brackets are backslash-escaped
// (without « [ » no link can form, so parentheses stay as they are), a leading « # », « - » or
// « 1. » cannot start a heading or a list, « < », « > »
// and entity-like « & » become entities (so « <@all> » mentions nobody), and "://" and "www."
// get an invisible break so that no link is created. Line breaks become spaces; control and
// invisible formatting characters (bidi overrides, zero-width characters) are dropped.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	lead := len(s) - len(strings.TrimLeft(s, " "))
	listDot := -1 // « 1. » at the start would make a list
	if j := lead + len(s[lead:]) - len(strings.TrimLeft(s[lead:], "0123456789")); j > lead {
		listDot = j
	}
	for i, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			if looksLikeEntity(s[i+1:]) {
				b.WriteString("&amp;")
			} else {
				b.WriteByte('&')
			}
		case r == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteString(":\u200b")
		case r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteString("\u200b.")
		case strings.ContainsRune("\\`*_[]~", r) || (i == lead && r == '#') ||
			(i == lead && strings.ContainsRune("-+=", r) && (i+1 == len(s) || s[i+1] == ' ')) ||
			(i == listDot && (r == '.' || r == ')')):
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r) || invisible(r):
			// dropped: control characters, and the invisible formatting characters that can
			// make a name or a title read backwards (bidi overrides) or hide a part of it
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// looksLikeEntity reports whether s (what follows a « & ») starts like an HTML entity.
func looksLikeEntity(s string) bool {
	for i, r := range s {
		if r == ';' {
			return i > 0
		}
		if !(r == '#' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') || i > 32 {
			return false
		}
	}
	return false
}

// esc is Escape, short for the catalog.
func esc(s string) string { return Escape(s) }
