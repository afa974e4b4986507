package conversations

import (
	"strconv"
	"strings"
)

func trimSpace(s string) string { return strings.TrimSpace(s) }

// accents maps the accented letters of French (and a few neighbours) to their base letter.
var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a",
	"ç", "c",
	"é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u",
	"ÿ", "y", "ñ", "n", "œ", "oe", "æ", "ae",
)

// fold lowers a text, strips its accents and collapses its spaces, for lenient name matching.
func fold(s string) string {
	return accents.Replace(strings.Join(strings.Fields(strings.ToLower(s)), " "))
}

// parseNumber reads a bare number answer: « 2 », « 2. », « #2 », « n° 2 ».
func parseNumber(text string) (int, error) {
	s := strings.TrimSpace(text)
	s = strings.TrimPrefix(s, "n°")
	s = strings.TrimPrefix(s, "no.")
	return strconv.Atoi(strings.Trim(s, " .)#"))
}
