package conversations

import (
	"strings"
	"unicode"
)

// invisible reports whether r is a formatting character a reader cannot see (Unicode category
// Cf): bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), direction marks,
// zero-width spaces and joiners, the soft hyphen, the byte-order mark. In a name or a title
// they can make text read backwards or hide part of it, and so spoof a message.
func invisible(r rune) bool { return unicode.Is(unicode.Cf, r) }

// StripInvisible removes the invisible formatting characters from a name or a title typed by a
// person or read from Webex, before it is stored or shown.
func StripInvisible(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}
