package conversations

// Found trying Relais as a new organizer would: what a correction at the summary cannot mean
// is said, and the summary shown stays as it was instead of being forgotten.
func init() {
	scenarios = append(scenarios,
		scenario{
			name: "fr_impossible_corrections_keep_the_summary", now: monday,
			lines: []line{
				say("programme une rencontre pour Marie Tremblay demain à 14 h"),
				say("hier à 10 h"),
				say("25 h"),
				say("pour moi"),
				say("dans 5 minutes"),
				say("oui"),
			},
		},
		scenario{
			name: "en_impossible_corrections_keep_the_summary", now: monday,
			lines: []line{
				say("schedule a meeting for Marie Tremblay tomorrow at 2pm"),
				say("yesterday at 10am"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_series_day_corrected_at_the_summary", now: "2026-12-06T10:58:00-05:00",
			lines: []line{
				say("programme une rencontre pour Jean Dupont chaque mardi à 10 h pendant 6 semaines"),
				say("plutôt jeudi"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_series_too_long_becomes_one_meeting_said_so", now: monday,
			lines: []line{
				say("programme une rencontre pour Jean Dupont chaque jour à 9 h pendant 10 ans"),
				say("chaque jour à 9 h pendant 2 semaines"),
				say("oui"),
			},
		},
		scenario{
			name: "fr_hand_over_to_self", now: monday,
			lines: []line{
				say("donne la rencontre 1 à moi"),
				say("hand meeting 1 over to me"),
				say("annuler"),
			},
		},
		scenario{
			name: "fr_change_impossible_correction_keeps_the_move", now: monday,
			lines: []line{
				say("déplace la rencontre 1 à jeudi 15 h"),
				say("hier à 10 h"),
				say("oui"),
			},
		},
	)
}
