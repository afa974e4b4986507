package nlu

import (
	"strconv"
	"strings"
	"time"
)

// numberWords are the numbers people write in words, French and English (after folding).
var numberWords = map[string]int{
	"un": 1, "une": 1, "one": 1, "a": 1, "an": 1,
	"deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4,
	"cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8, "eight": 8,
	"neuf": 9, "nine": 9, "dix": 10, "ten": 10, "onze": 11, "eleven": 11,
	"douze": 12, "twelve": 12, "treize": 13, "thirteen": 13, "quatorze": 14, "fourteen": 14,
	"quinze": 15, "fifteen": 15, "seize": 16, "sixteen": 16,
	"vingt": 20, "twenty": 20, "trente": 30, "thirty": 30,
	"quarante": 40, "forty": 40, "quarante-cinq": 45, "forty-five": 45, "forty five": 45,
	"cinquante": 50, "fifty": 50, "soixante": 60, "sixty": 60,
	"quatre-vingt-dix": 90, "quatre-vingts-dix": 90, "ninety": 90,
}

// numberWordsRe is the alternation of numberWords, longest first so that « quarante-cinq »
// is not read as « quarante ». It includes "a"/"an"; callers put it before a unit.
const numberWordsRe = `quatre-vingts?-dix|quarante-cinq|forty[- ]five|quarante|cinquante|soixante|` +
	`quatorze|thirteen|fourteen|fifteen|sixteen|eleven|twelve|twenty|thirty|forty|fifty|sixty|ninety|` +
	`treize|quinze|seize|vingt|trente|douze|onze|quatre|three|seven|eight|trois|deux|cinq|sept|huit|neuf|` +
	`four|five|nine|one|two|six|dix|ten|une|un|an|a`

// number reads digits or a number word; ok is false when it is neither.
func number(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, ok := numberWords[s]; ok {
		return n, true
	}
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// months maps month names and abbreviations, French and English, to months.
var months = map[string]time.Month{
	"janvier": 1, "janv": 1, "january": 1, "jan": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
	"mars": 3, "march": 3, "mar": 3,
	"avril": 4, "avr": 4, "april": 4, "apr": 4,
	"mai": 5, "may": 5,
	"juin": 6, "june": 6, "jun": 6,
	"juillet": 7, "juil": 7, "july": 7, "jul": 7,
	"aout": 8, "august": 8, "aug": 8,
	"septembre": 9, "sept": 9, "september": 9, "sep": 9,
	"octobre": 10, "october": 10, "oct": 10,
	"novembre": 11, "november": 11, "nov": 11,
	"decembre": 12, "december": 12, "dec": 12,
}

const monthsRe = `janvier|janv|january|jan|fevrier|fevr|fev|february|feb|mars|march|mar|avril|avr|april|apr|` +
	`mai|may|juin|june|jun|juillet|juil|july|jul|aout|august|aug|septembre|september|sept|sep|` +
	`octobre|october|oct|novembre|november|nov|decembre|december|dec`

// weekdays maps weekday names, French and English, to weekdays.
var weekdays = map[string]time.Weekday{
	"dimanche": time.Sunday, "sunday": time.Sunday,
	"lundi": time.Monday, "monday": time.Monday,
	"mardi": time.Tuesday, "tuesday": time.Tuesday,
	"mercredi": time.Wednesday, "wednesday": time.Wednesday,
	"jeudi": time.Thursday, "thursday": time.Thursday,
	"vendredi": time.Friday, "friday": time.Friday,
	"samedi": time.Saturday, "saturday": time.Saturday,
}

const weekdaysRe = `dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi|` +
	`sunday|monday|tuesday|wednesday|thursday|friday|saturday`

// ordinals are the ordinal words accepted as a choice (« la deuxième », "the second one").
var ordinals = map[string]int{
	"premier": 1, "premiere": 1, "first": 1,
	"deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3, "third": 3,
	"quatrieme": 4, "fourth": 4, "cinquieme": 5, "fifth": 5, "sixieme": 6, "sixth": 6,
	"septieme": 7, "seventh": 7, "huitieme": 8, "eighth": 8, "neuvieme": 9, "ninth": 9,
	"dixieme": 10, "tenth": 10,
}

const ordinalsRe = `premiere|premier|first|deuxieme|seconde|second|troisieme|third|quatrieme|fourth|` +
	`cinquieme|fifth|sixieme|sixth|septieme|seventh|huitieme|eighth|neuvieme|ninth|dixieme|tenth`
