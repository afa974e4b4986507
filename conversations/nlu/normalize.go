package nlu

import (
	"unicode"
	"unicode/utf8"
)

// maxScan is how many bytes of a message are read. Requests are a sentence or two; the cap
// keeps the cost of a pasted novel bounded (every pass is linear on at most this much).
const maxScan = 1000

// blank replaces text already understood, so that later passes do not read it twice
// (a date inside a title, "pour" in « pour demain »). It matches neither \s nor a word.
const blank = 0x01

// message is one message in two forms: orig as written (capped), and s, lower-cased with
// French accents folded, typographic apostrophes and dashes made ASCII and every kind of
// space made a plain space. off maps each byte of s to the byte of orig it came from, so that
// names and titles are returned as written.
type message struct {
	orig string
	s    []byte
	off  []int
	// words are the words of s as first read (blanking does not move them).
	words []token
	// french is the language guess; « a » is « à » only in French ("a 1h meeting").
	french bool
	// accented counts letters written with an accent: a hint that the message is French.
	accented int
}

func newMessage(text string) *message {
	if len(text) > maxScan {
		cut := maxScan
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	m := &message{orig: text, s: make([]byte, 0, len(text)), off: make([]int, 0, len(text)+1)}
	var buf [utf8.UTFMax]byte
	for i, r := range text {
		f := fold(r)
		if f != unicode.ToLower(r) && f < utf8.RuneSelf && unicode.IsLetter(r) {
			m.accented++
		}
		if f < utf8.RuneSelf {
			m.s = append(m.s, byte(f))
			m.off = append(m.off, i)
			continue
		}
		n := utf8.EncodeRune(buf[:], f)
		for _, b := range buf[:n] {
			m.s = append(m.s, b)
			m.off = append(m.off, i)
		}
	}
	m.off = append(m.off, len(text))
	m.words = tokenize(m.s)
	return m
}

// fold maps one rune to its normalized form, keeping one rune for one rune.
func fold(r rune) rune {
	switch r {
	case 'à', 'â', 'ä', 'á', 'À', 'Â', 'Ä', 'Á':
		return 'a'
	case 'ç', 'Ç':
		return 'c'
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e'
	case 'î', 'ï', 'í', 'Î', 'Ï', 'Í':
		return 'i'
	case 'ô', 'ö', 'ó', 'Ô', 'Ö', 'Ó':
		return 'o'
	case 'ù', 'û', 'ü', 'ú', 'Ù', 'Û', 'Ü', 'Ú':
		return 'u'
	case 'ÿ', 'Ÿ':
		return 'y'
	case 'ñ', 'Ñ':
		return 'n'
	case '’', '‘', 'ʼ', '`', '´':
		return '\''
	case '‐', '‑', '‒', '–', '—', '−':
		return '-'
	case utf8.RuneError, blank:
		return ' '
	}
	if unicode.IsSpace(r) || r == '\u202f' || r == '\u2009' || r == '\u200b' {
		return ' '
	}
	if unicode.IsControl(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// text returns the original text behind s[a:b].
func (m *message) text(a, b int) string {
	return m.orig[m.off[a]:m.off[b]]
}

// clear blanks s[a:b] once it has been understood.
func (m *message) clear(a, b int) {
	for i := a; i < b; i++ {
		m.s[i] = blank
	}
}

// prevWord is the word that ends right before s[i] (spaces skipped, blanks stop the search).
func (m *message) prevWord(i int) string {
	j := i
	for j > 0 && m.s[j-1] == ' ' {
		j--
	}
	k := j
	for k > 0 && isWordByte(m.s[k-1]) {
		k--
	}
	return string(m.s[k:j])
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '\'' || b == '-' || b >= utf8.RuneSelf
}
