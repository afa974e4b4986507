package nlu

import (
	"bytes"
	"regexp"
)

// Go's regexp has no DFA: an unanchored search costs the length of the text times the size of
// the pattern. The large patterns (dates, times, lengths) are therefore compiled anchored and
// tried only at the word starts that can begin a match, on a bounded window: parsing a message
// costs microseconds, and the cost stays linear in its length.

// window is the most text one anchored match may span.
const window = 64

// anchored is a pattern tried only where its first word allows it.
type anchored struct {
	re    *regexp.Regexp
	first func(w string) bool
}

func anchor(expr string, first func(w string) bool) anchored {
	return anchored{re: regexp.MustCompile(`^(?:` + expr + `)`), first: first}
}

// findAll returns up to n non-overlapping matches in m as absolute submatch indexes.
func (a anchored) findAll(m *message, n int) [][]int {
	var out [][]int
	next := 0 // first byte not yet consumed by a match
	for _, t := range m.words {
		if len(out) >= n {
			break
		}
		if t.a < next || m.s[t.a] == blank || !a.first(t.w) {
			continue
		}
		if loc := a.re.FindSubmatchIndex(m.at(t.a)); loc != nil && loc[1] > 0 {
			for k := range loc {
				if loc[k] >= 0 {
					loc[k] += t.a
				}
			}
			out = append(out, loc)
			next = loc[1]
		}
	}
	return out
}

func (a anchored) find(m *message) []int {
	if all := a.findAll(m, 1); len(all) > 0 {
		return all[0]
	}
	return nil
}

// token is a word of the normalized text: letters, digits and inner hyphens.
type token struct {
	a, b int
	w    string
}

// tokenize lists the words of s once, so that each pattern looks them up cheaply.
func tokenize(s []byte) []token {
	str := string(s)
	var out []token
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
			j++
		}
		out = append(out, token{i, j, str[i:j]})
		i = j
	}
	return out
}

// at is the text from pos on, bounded to a window that ends at a word boundary.
func (m *message) at(pos int) []byte {
	end := min(len(m.s), pos+window)
	for end < len(m.s) && isAlnum(m.s[end]) {
		end++
	}
	return m.s[pos:end]
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

func isDigit(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

// oneOf is a first-word test from a list of words.
func oneOf(words ...string) func(string) bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return func(w string) bool { return set[w] }
}

// either combines first-word tests.
func either(tests ...func(string) bool) func(string) bool {
	return func(w string) bool {
		for _, t := range tests {
			if t(w) {
				return true
			}
		}
		return false
	}
}

func inMap[V any](m map[string]V) func(string) bool {
	return func(w string) bool { _, ok := m[w]; return ok }
}

// containsAny reports whether s holds one of the literals (a cheap filter before a pattern).
func containsAny(s []byte, literals ...string) bool {
	for _, l := range literals {
		if bytes.Contains(s, []byte(l)) {
			return true
		}
	}
	return false
}
