package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/conversations"
	"github.com/relaisbot/relais/conversations/nlu"
	"github.com/relaisbot/relais/store"
	"github.com/relaisbot/relais/webexapi"
)

// execute carries out one effect of the dialogue and reports its result.
func (b *Bot) execute(ctx context.Context, e conversations.Effect, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	switch e.Kind {
	case conversations.ResolvePerson:
		return b.resolvePerson(ctx, e.Query, log)
	case conversations.CreateMeeting:
		if e.Meeting == nil {
			return conversations.Result{Kind: conversations.MeetingFailed, Err: &conversations.Failure{Kind: conversations.FailureOther, Detail: "no meeting request"}}
		}
		return b.createMeeting(ctx, *e.Meeting, t, s, log)
	case conversations.ListMeetings:
		return b.listMeetings(ctx, t)
	case conversations.CancelMeeting:
		if series, ok := b.seriesOf(ctx, e.Ref); ok { // one occurrence, or the whole series
			return b.cancelInSeries(ctx, e, series, t, log)
		}
		return b.cancelMeeting(ctx, e.Ref, t, log)
	case conversations.ResendHostKey:
		return b.resendHostKey(ctx, e.Ref, t, s, log)
	case conversations.ChangeMeeting:
		if e.Change == nil {
			return conversations.Result{Kind: conversations.MeetingChanged, Err: &conversations.Failure{Kind: conversations.FailureOther, Detail: "no change"}}
		}
		return b.changeMeeting(ctx, *e.Change, t, s, log)
	case conversations.EnsureAccount, conversations.DisconnectAccount:
		return b.executeAccount(ctx, e, t, s, log) // accounts.go
	default:
		log.Error().Str("effect", string(e.Kind)).Msg("unknown effect ignored")
		return conversations.Result{Kind: conversations.ResultKind(e.Kind), Err: &conversations.Failure{Kind: conversations.FailureOther}}
	}
}

// failureOf classifies a Webex error for the organizer.
func failureOf(err error) *conversations.Failure {
	f := &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}
	if errors.Is(err, errTooSoon) {
		f.Kind = conversations.FailureTooSoon
		return f
	}
	var ae *webexapi.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.StatusCode == 401 || ae.StatusCode == 403:
			f.Kind = conversations.FailureCredential
		case ae.StatusCode == 404:
			f.Kind = conversations.FailureNotFound
		case ae.StatusCode == 400 || ae.StatusCode == 409:
			f.Kind = conversations.FailureInvalid
			if mentionsPast(ae) {
				f.Kind = conversations.FailureTooSoon
			}
		}
	}
	return f
}

func mentionsPast(ae *webexapi.APIError) bool {
	all := strings.ToLower(ae.Message)
	for _, d := range ae.Errors {
		all += " " + strings.ToLower(d.Description)
	}
	return strings.Contains(all, "past") || strings.Contains(all, "start")
}

// resolvePerson looks a designate up in the People API: exact e-mail, else display-name prefix,
// else first name then last name; only people of the allowed domains (or the bot's
// organization), never bots.
func (b *Bot) resolvePerson(ctx context.Context, query string, log *zerolog.Logger) conversations.Result {
	res := conversations.Result{Kind: conversations.PeopleFound}
	query = strings.TrimSpace(query)
	if query == "" {
		return res
	}
	var found []webexapi.Person
	collect := func(opts *webexapi.PeopleListOptions, keep func(webexapi.Person) bool) error {
		page, err := b.webex.People.List(ctx, opts)
		if err != nil {
			return err
		}
		for _, p := range page.Items {
			if keep == nil || keep(p) {
				found = append(found, p)
			}
		}
		return nil
	}
	var err error
	isEmail := strings.Contains(query, "@")
	if isEmail {
		err = collect(&webexapi.PeopleListOptions{Email: query}, nil)
	} else {
		query = stripHonorific(query)
		err = collect(&webexapi.PeopleListOptions{DisplayName: query, Max: 20}, nil)
		if err == nil && len(found) == 0 {
			if first, last, ok := strings.Cut(query, " "); ok {
				last = strings.ToLower(strings.TrimSpace(last))
				err = collect(&webexapi.PeopleListOptions{DisplayName: first, Max: 50}, func(p webexapi.Person) bool {
					return strings.HasPrefix(strings.ToLower(p.LastName), last)
				})
			}
		}
	}
	if err != nil {
		log.Warn().Err(err).Msg("people lookup failed")
		res.Err = failureOf(err)
		return res
	}
	seen := map[string]bool{}
	outsiders := 0
	for _, p := range found {
		if p.ID == b.me.ID || (p.Type != "" && p.Type != "person") || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		b.profiles.put(p)
		if !b.designateAllowed(p) {
			outsiders++
			continue
		}
		res.People = append(res.People, personOf(p))
	}
	if isEmail && len(res.People) == 0 && (outsiders > 0 || !b.domainAllowed(query) || !b.cfg.DesignatesFromOtherOrgs) {
		// An address Webex does not know in the organization (lookups by e-mail only see
		// the organization), or outside the allowed domains: never send it a host key. (An
		// unknown address of an allowed domain may belong to another organization: accepted
		// only where the operator allows designates from other organizations.)
		res.Err = &conversations.Failure{Kind: conversations.FailureNotAllowed}
	}
	return res
}

// honorifics are titles people put before a name: « Dre Gagnon », « M. Dupont ».
var honorifics = []string{"docteure ", "docteur ", "dre ", "dr ", "dre. ", "dr. ", "madame ", "monsieur ", "mme ", "mme. ", "m. ", "mrs. ", "mrs ", "mr. ", "mr ", "ms. ", "ms ", "prof. ", "pr "}

func stripHonorific(name string) string {
	lower := strings.ToLower(name)
	for _, h := range honorifics {
		if strings.HasPrefix(lower, h) && len(name) > len(h) {
			return strings.TrimSpace(name[len(h):])
		}
	}
	return name
}

// designateEmailAllowed is the last check before a host key is handed out (at creation, on a
// resend, in a reminder), against the settings of now: the designate is a person (never a
// bot), in an allowed domain, and in the bot's organization unless the operator allows others.
func (b *Bot) designateEmailAllowed(ctx context.Context, email string) (bool, error) {
	if strings.HasSuffix(strings.ToLower(email), "@webex.bot") {
		return false, nil
	}
	if len(b.cfg.AllowedDomains) > 0 && !b.domainAllowed(email) {
		return false, nil
	}
	if p, ok := b.profiles.byEmail(email); ok {
		return b.designateAllowed(p), nil
	}
	page, err := b.webex.People.List(ctx, &webexapi.PeopleListOptions{Email: email})
	if err != nil {
		return false, err
	}
	for _, p := range page.Items {
		if strings.EqualFold(p.Email(), email) {
			b.profiles.put(p)
			return b.designateAllowed(p), nil
		}
	}
	// Webex does not know the address in the organization (lookups by e-mail only see it):
	// acceptable only where the operator allows designates from other organizations.
	return len(b.cfg.AllowedDomains) > 0 && b.cfg.DesignatesFromOtherOrgs, nil
}

// designateAllowed says whether p may receive a host key: a person, not a bot (not even the
// bot itself); in the bot's organization when no domains are configured; else in an allowed
// domain and, unless the operator allows other organizations, in the bot's own.
func (b *Bot) designateAllowed(p webexapi.Person) bool {
	if p.ID == b.me.ID || (p.Type != "" && p.Type != "person") || strings.HasSuffix(strings.ToLower(p.Email()), "@webex.bot") {
		return false
	}
	sameOrg := p.OrgID != "" && p.OrgID == b.me.OrgID
	if len(b.cfg.AllowedDomains) == 0 {
		return sameOrg
	}
	return b.domainAllowed(p.Email()) && (sameOrg || b.cfg.DesignatesFromOtherOrgs)
}

// detailsOf turns a Webex meeting into what the dialogue and the messages show: the ledger's
// view, completed with what only Webex knows (link, number, password, host key, call-in).
func detailsOf(m *webexapi.Meeting, ledger store.Meeting) conversations.MeetingDetails {
	d := ledgerDetails(ledger)
	d.WebLink, d.MeetingNumber, d.Password, d.HostKey = m.WebLink, m.MeetingNumber, m.Password, m.HostKey
	d.AccessCode, d.SIPAddress = m.Telephony.AccessCode, m.SipAddress
	if m.Title != "" {
		d.Title = m.Title
	}
	if start, end := m.StartTime(), m.EndTime(); !start.IsZero() {
		d.Start, d.End = start, end
	}
	if d.TimeZone == "" {
		d.TimeZone = m.Timezone
	}
	d.Recurrence = m.Recurrence // a series: the designate is told its rule
	for _, c := range m.Telephony.CallInNumbers {
		d.CallIn = append(d.CallIn, conversations.CallIn{Label: c.Label, Number: c.CallInNumber})
	}
	return d
}

// designateOf is the designate as the ledger knows them; the first name is the display name's
// first word, for « Bonjour Marie, ».
func designateOf(m store.Meeting) conversations.Person {
	p := conversations.Person{Email: m.DesignateEmail, DisplayName: m.DesignateName}
	if first, _, ok := strings.Cut(m.DesignateName, " "); ok && !strings.Contains(m.DesignateName, "@") {
		p.FirstName = first
	}
	return p
}

func summaryOf(m store.Meeting) conversations.MeetingSummary {
	return conversations.MeetingSummary{
		Ref: m.ID, Title: m.Title, Start: m.Start, End: m.End, TimeZone: m.TimeZone,
		Designate: conversations.Person{Email: m.DesignateEmail, DisplayName: m.DesignateName},
	}
}

func (b *Bot) listMeetings(ctx context.Context, t *turn) conversations.Result {
	res := conversations.Result{Kind: conversations.MeetingsListed}
	ms, err := b.store.ListUpcomingMeetings(ctx, t.organizer.Email(), b.now(), 20)
	if err != nil {
		res.Err = &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}
		return res
	}
	for _, m := range ms {
		res.Meetings = append(res.Meetings, summaryOf(m))
	}
	res.Meetings = b.withSeries(ctx, t, res.Meetings) // a series once, at its next occurrence
	return res
}

// ownMeeting returns a ledger meeting of the organizer, or a not-found failure.
func (b *Bot) ownMeeting(ctx context.Context, ref string, t *turn) (store.Meeting, *conversations.Failure) {
	m, err := b.store.GetMeeting(ctx, ref)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !strings.EqualFold(m.OrganizerEmail, t.organizer.Email())) {
		return store.Meeting{}, &conversations.Failure{Kind: conversations.FailureNotFound}
	}
	if err != nil {
		return store.Meeting{}, &conversations.Failure{Kind: conversations.FailureUnavailable, Detail: err.Error()}
	}
	if m.Status != store.MeetingCreated {
		return store.Meeting{}, &conversations.Failure{Kind: conversations.FailureNotFound, Detail: string(m.Status)}
	}
	return m, nil
}

// cancelMeeting deletes the Webex meeting, cancels its reminder and tells the designate.
func (b *Bot) cancelMeeting(ctx context.Context, ref string, t *turn, log *zerolog.Logger) conversations.Result {
	res := conversations.Result{Kind: conversations.MeetingCancelled}
	m, f := b.ownMeeting(ctx, ref, t)
	if f != nil {
		res.Err = f
		return res
	}
	err := b.meetings.Meetings.Delete(ctx, m.WebexMeetingID, &webexapi.MeetingDeleteOptions{HostEmail: m.OrganizerEmail, SendEmail: webexapi.Bool(true)})
	if err != nil && !webexapi.IsNotFound(err) {
		log.Error().Err(err).Str("meeting", m.ID).Msg("cannot cancel the meeting")
		res.Err, _ = b.meetingsFailure(ctx, m.OrganizerEmail, err, log)
		return res
	}
	details := ledgerDetails(m)
	// The cancellation, the reminder's and the notice's job are recorded in one transaction.
	cancelled := func(ctx context.Context, q store.Queries) error {
		if err := q.MarkMeetingCancelled(ctx, m.ID); err != nil {
			return err
		}
		return q.CancelReminder(ctx, m.ID)
	}
	b.sendJobOnce(ctx, kindCancelNotice, cancelledKey(m.ID), m, func(ctx context.Context) error {
		return b.sendText(ctx, m.DesignateEmail, conversations.CancelledNotice(nlu.Lang(m.Lang), details))
	}, log, cancelled)
	log.Info().Str("meeting", m.ID).Msg("meeting cancelled")
	res.Meeting = &details
	return res
}

// resendHostKey sends the designate their message again, with the host key fetched fresh.
func (b *Bot) resendHostKey(ctx context.Context, ref string, t *turn, s *secrets, log *zerolog.Logger) conversations.Result {
	res := conversations.Result{Kind: conversations.HostKeyResent}
	m, f := b.ownMeeting(ctx, ref, t)
	if f != nil {
		res.Err = f
		return res
	}
	// The settings may have changed since the meeting was created: check the designate again
	// before their key is fetched.
	if ok, err := b.designateEmailAllowed(ctx, m.DesignateEmail); err != nil {
		res.Err = failureOf(err)
		return res
	} else if !ok {
		log.Warn().Str("meeting", m.ID).Msg("resend refused: the designate is no longer allowed")
		res.Err = &conversations.Failure{Kind: conversations.FailureNotAllowed}
		return res
	}
	wm, err := b.meetings.Meetings.Get(ctx, m.WebexMeetingID, b.getCurrent(ctx, m)) // a series: its next occurrence's key
	if err != nil {
		res.Err, _ = b.meetingsFailure(ctx, m.OrganizerEmail, err, log)
		return res
	}
	details := detailsOf(wm, m)
	s.add(details.HostKey, details.Password)
	// Once per request: if the turn is replayed (its reply failed, the process stopped), the
	// designate does not get the message again.
	key := resendKey(m.ID, t.input.EventID)
	res.DesignateNotified = b.sendPayloadOnce(ctx, kindDesignate, key, jobPayload{MeetingID: m.ID, Resend: true}, func(ctx context.Context) error {
		return b.sendDesignate(ctx, nlu.Lang(m.Lang), details, b.now().Add(-clockSkew))
	}, log)
	res.Meeting = &details
	return res
}
