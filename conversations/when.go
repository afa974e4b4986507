package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

var (
	frDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frMonths = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
)

// formatDay names a day: « mardi 23 juin 2026 », « mercredi 1er juillet 2026 »,
// "Tuesday, June 23, 2026".
func formatDay(l nlu.Lang, t time.Time) string {
	if l == nlu.English {
		return t.Format("Monday, January 2, 2006")
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", frDays[t.Weekday()], day, frMonths[t.Month()], t.Year())
}

// formatClock gives a time of day: « 14 h 30 », « 9 h 00 », "2:30 PM".
func formatClock(l nlu.Lang, t time.Time) string {
	if l == nlu.English {
		return t.Format("3:04 PM")
	}
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// formatRange gives a meeting's day, time range and zone, in the zone named zone:
// « mardi 23 juin 2026, de 11 h 00 à 12 h 00 (heure de l'Est) ». When the clocks change during
// the meeting, or a time is one the clocks show twice (the hour repeated in autumn), each time
// says which one it is: « de 1 h 00 (heure avancée de l'Est, UTC−4) à 1 h 00 (heure normale de
// l'Est, UTC−5) », "from 1:00 AM (Eastern Daylight Time, UTC−4) to 1:00 AM (Eastern Standard
// Time, UTC−5)".
func formatRange(l nlu.Lang, start, end time.Time, zone string) string {
	loc, name := location(zone, "UTC")
	start, end = start.In(loc), end.In(loc)
	sy, sm, sd := start.Date()
	ey, em, ed := end.Date()
	sameDay := sy == ey && sm == em && sd == ed
	_, startOff := start.Zone()
	_, endOff := end.Zone()
	if startOff != endOff || repeatedClock(start) || repeatedClock(end) {
		from := formatClock(l, start) + " (" + exactZoneName(l, name, start) + ")"
		to := formatClock(l, end) + " (" + exactZoneName(l, name, end) + ")"
		switch {
		case l == nlu.English && sameDay:
			return fmt.Sprintf("%s, from %s to %s", formatDay(l, start), from, to)
		case l == nlu.English:
			return fmt.Sprintf("from %s, %s to %s, %s", formatDay(l, start), from, formatDay(l, end), to)
		case sameDay:
			return fmt.Sprintf("%s, de %s à %s", formatDay(l, start), from, to)
		default:
			return fmt.Sprintf("du %s à %s au %s à %s", formatDay(l, start), from, formatDay(l, end), to)
		}
	}
	zn := zoneName(l, name, start)
	if l == nlu.English {
		if sameDay {
			return fmt.Sprintf("%s, from %s to %s (%s)", formatDay(l, start), formatClock(l, start), formatClock(l, end), zn)
		}
		return fmt.Sprintf("from %s, %s to %s, %s (%s)", formatDay(l, start), formatClock(l, start),
			formatDay(l, end), formatClock(l, end), zn)
	}
	if sameDay {
		return fmt.Sprintf("%s, de %s à %s (%s)", formatDay(l, start), formatClock(l, start), formatClock(l, end), zn)
	}
	return fmt.Sprintf("du %s à %s au %s à %s (%s)", formatDay(l, start), formatClock(l, start),
		formatDay(l, end), formatClock(l, end), zn)
}

// repeatedClock reports whether the clocks of t's zone show t's time of day twice that day (the
// hour repeated when they go back in autumn), so that « 1 h 30 » alone does not say which.
func repeatedClock(t time.Time) bool {
	_, off := t.Zone()
	for _, d := range []time.Duration{-time.Hour, -30 * time.Minute, 30 * time.Minute, time.Hour} {
		u := t.Add(d)
		_, uOff := u.Zone()
		if uOff != off && u.Hour() == t.Hour() && u.Minute() == t.Minute() {
			return true
		}
	}
	return false
}

// exactZoneName names the zone at t without ambiguity, with its offset: « heure avancée de
// l'Est, UTC−4 », « heure normale de l'Est, UTC−5 », "Eastern Daylight Time, UTC−4"; other zones
// as zoneName does (« fuseau Europe/Paris, UTC+2 »).
func exactZoneName(l nlu.Lang, zone string, t time.Time) string {
	n, ok := knownZones[zone]
	if !ok {
		return zoneName(l, zone, t)
	}
	var s string
	switch {
	case l == nlu.English && t.IsDST():
		s = strings.Replace(n.enDST, " Time", " Daylight Time", 1)
	case l == nlu.English:
		s = n.enStd
	case t.IsDST():
		s = strings.Replace(n.frDST, "heure ", "heure avancée ", 1)
	default:
		s = n.frStd
	}
	return s + ", " + utcOffset(t)
}

// formatDuration gives a length: « 1 h », « 1 h 30 », « 45 min », "1 h 30 min".
func formatDuration(l nlu.Lang, d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0 && m == 1:
		return "1 minute"
	case h == 0:
		return fmt.Sprintf("%d minutes", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	case l == nlu.English:
		return fmt.Sprintf("%d h %d min", h, m)
	default:
		return fmt.Sprintf("%d h %02d", h, m)
	}
}

// zoneNames holds the usual names of North American zones: French summer, French winter,
// English summer, English winter.
type zoneNames struct{ frDST, frStd, enDST, enStd string }

var (
	eastern  = zoneNames{"heure de l'Est", "heure normale de l'Est", "Eastern Time", "Eastern Standard Time"}
	central  = zoneNames{"heure du Centre", "heure normale du Centre", "Central Time", "Central Standard Time"}
	mountain = zoneNames{"heure des Rocheuses", "heure normale des Rocheuses", "Mountain Time", "Mountain Standard Time"}
	pacific  = zoneNames{"heure du Pacifique", "heure normale du Pacifique", "Pacific Time", "Pacific Standard Time"}
	atlantic = zoneNames{"heure de l'Atlantique", "heure normale de l'Atlantique", "Atlantic Time", "Atlantic Standard Time"}
	newfound = zoneNames{"heure de Terre-Neuve", "heure normale de Terre-Neuve", "Newfoundland Time", "Newfoundland Standard Time"}

	knownZones = map[string]zoneNames{
		"America/Toronto": eastern, "America/Montreal": eastern, "America/New_York": eastern,
		"America/Detroit": eastern, "America/Nipigon": eastern, "America/Thunder_Bay": eastern,
		"America/Iqaluit": eastern, "America/Indiana/Indianapolis": eastern, "America/Kentucky/Louisville": eastern,
		"US/Eastern": eastern, "Canada/Eastern": eastern, "EST5EDT": eastern,
		"America/Winnipeg": central, "America/Chicago": central, "America/Rainy_River": central,
		"America/Rankin_Inlet": central, "America/Resolute": central, "US/Central": central, "Canada/Central": central,
		"America/Regina": central, "America/Swift_Current": central,
		"America/Edmonton": mountain, "America/Denver": mountain, "America/Yellowknife": mountain,
		"America/Cambridge_Bay": mountain, "America/Phoenix": mountain, "US/Mountain": mountain, "Canada/Mountain": mountain,
		"America/Vancouver": pacific, "America/Los_Angeles": pacific, "US/Pacific": pacific, "Canada/Pacific": pacific,
		"America/Halifax": atlantic, "America/Moncton": atlantic, "America/Glace_Bay": atlantic,
		"America/Goose_Bay": atlantic, "Canada/Atlantic": atlantic,
		"America/St_Johns": newfound, "Canada/Newfoundland": newfound,
	}
)

// zoneName names the zone at instant t: « heure de l'Est » in summer, « heure normale de l'Est »
// in winter; other zones by their IANA name and offset: « fuseau Europe/Paris, UTC+2 ».
func zoneName(l nlu.Lang, zone string, t time.Time) string {
	if n, ok := knownZones[zone]; ok {
		switch {
		case l == nlu.English && t.IsDST():
			return n.enDST
		case l == nlu.English:
			return n.enStd
		case t.IsDST():
			return n.frDST
		default:
			return n.frStd
		}
	}
	utc := utcOffset(t)
	if zone == "UTC" || zone == "Etc/UTC" {
		return "UTC"
	}
	if l == nlu.English {
		return zone + " time, " + utc
	}
	return "fuseau " + zone + ", " + utc
}

// utcOffset writes t's offset: « UTC−4 », « UTC+5:30 », « UTC ».
func utcOffset(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	utc := "UTC" + sign + fmt.Sprint(off/3600)
	if m := off % 3600 / 60; m != 0 {
		utc += fmt.Sprintf(":%02d", m)
	}
	return utc
}
