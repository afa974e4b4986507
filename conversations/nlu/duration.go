package nlu

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minuteWords are the minutes that may follow « une heure » (« une heure trente »).
const minuteWordsRe = `quarante-cinq|trente|quinze|vingt`

// reDuration is a length, optionally after what introduces it; after « dans » / "in" it is
// relative to now (« dans 2 heures », "in 30 minutes").
var (
	reDurationPre = regexp.MustCompile(`^(pendant|durant|duree\s+de|duree|dure|pour|de|d'|for|during|lasting|dans|in)\b\s*:?\s*`)
	durationPre   = oneOf("pendant", "durant", "duree", "dure", "pour", "de", "d", "for", "during", "lasting", "dans", "in")
	durationFirst = either(isDigit, inMap(numberWords), oneOf("half", "quarter"))
)

var reDuration = anchor(`(?:`+
	`(?P<hmh>\d{1,3})\s*h\s*(?P<hmm>\d{1,2})(?:\s*(?:min|minutes|mn))?\b`+
	`|(?P<h>\d{1,3}(?:[.,]\d{1,2})?)[\s-]*(?:heures?|hours?|hrs?|hr|h)\b(?P<hhalf>\s+(?:et\s+demie?|and\s+a\s+half))?`+
	`|(?P<m>\d{1,4})[\s-]*(?:minutes?|mins?|mn|m)\b`+
	`|(?P<half>(?:une\s+|a\s+)?demi[- ]heure|half\s+an\s+hour|(?:a\s+)?half[- ]hour)`+
	`|(?P<quarter>(?:un|a|one)\s+quart\s+d'heure|(?:a\s+)?quarter(?:\s+of\s+an\s+|[- ])hour)`+
	`|(?P<tq>trois\s+quarts\s+d'heure|three\s+quarters\s+of\s+an\s+hour)`+
	`|(?P<wh>[a-z]+(?:-[a-z]+)*)\s+(?:heures?|hours?)\b(?:\s+(?P<wext>et\s+demie?|et\s+quart|and\s+a\s+half|and\s+a\s+quarter)\b|\s+(?P<wm>`+minuteWordsRe+`)(?:\s+minutes?)?\b)?`+
	`|(?P<wmin>[a-z]+(?:-[a-z]+)*)\s+minutes?\b`+
	`)`,
	durationFirst)

// lengthWords introduce nothing but a length (« pendant 6 h »), unlike « de » or « pour ».
var lengthWords = map[string]bool{"pendant": true, "durant": true, "duree": true, "dure": true, "during": true, "lasting": true}

// maxDuration bounds any length read, so that arithmetic never overflows.
const maxDuration = 400 * 24 * time.Hour

// findDurations reads a length and a relative start (« dans 2 heures »). The relative start
// is returned as an instant, rounded to the minute.
func findDurations(m *message, now time.Time) (length time.Duration, relative time.Time) {
	next := 0
	for _, t := range m.words {
		if t.a < next || m.s[t.a] == blank || !durationFirst(t.w) && !durationPre(t.w) {
			continue
		}
		pos, pre := t.a, ""
		if l := reDurationPre.FindSubmatchIndex(m.at(pos)); l != nil {
			pre, pos = string(m.s[pos+l[2]:pos+l[3]]), pos+l[1]
		}
		l := reDuration.re.FindSubmatchIndex(m.at(pos))
		if l == nil || l[1] == 0 {
			continue
		}
		sub := submatches(m.at(pos), l)
		g := func(name string) string { return sub[reDuration.re.SubexpIndex(name)] }
		d, ok := readDuration(g)
		if !ok || d <= 0 || d > maxDuration {
			continue
		}
		if (g("h") != "" || g("hmh") != "") && d >= 5*time.Hour && !lengthWords[pre] && pre != "dans" && pre != "in" {
			continue // « de 14 h », « pour 14 h 30 »: a time of day, not a length
		}
		if pre == "dans" || pre == "in" {
			if !relative.IsZero() {
				continue
			}
			relative = now.Add(d).Round(time.Minute)
		} else {
			if length != 0 {
				continue
			}
			length = d
		}
		next = pos + l[1]
		m.clear(t.a, next)
	}
	return length, relative
}

func readDuration(g func(string) string) (time.Duration, bool) {
	minutes := 0.0
	switch {
	case g("hmh") != "":
		h, mi := atoi(g("hmh")), atoi(g("hmm"))
		if mi > 59 {
			return 0, false
		}
		minutes = float64(h*60 + mi)
	case g("h") != "":
		h, err := strconv.ParseFloat(strings.Replace(g("h"), ",", ".", 1), 64)
		if err != nil {
			return 0, false
		}
		minutes = h * 60
		if g("hhalf") != "" {
			minutes += 30
		}
	case g("m") != "":
		minutes = float64(atoi(g("m")))
	case g("wh") != "":
		n, ok := numberWords[g("wh")]
		if !ok {
			return 0, false
		}
		minutes = float64(n * 60)
		switch ext := g("wext"); {
		case strings.Contains(ext, "quart") || strings.Contains(ext, "quarter"):
			minutes += 15
		case ext != "":
			minutes += 30
		}
		if w := g("wm"); w != "" {
			n, _ := number(strings.Replace(w, " ", "-", 1))
			minutes += float64(n)
		}
	case g("half") != "":
		minutes = 30
	case g("wmin") != "":
		n, ok := numberWords[g("wmin")]
		if !ok {
			return 0, false
		}
		minutes = float64(n)
	case g("quarter") != "":
		minutes = 15
	case g("tq") != "":
		minutes = 45
	default:
		return 0, false
	}
	if math.IsNaN(minutes) || minutes <= 0 || minutes > maxDuration.Minutes() {
		return 0, false
	}
	return time.Duration(math.Round(minutes)) * time.Minute, true
}
