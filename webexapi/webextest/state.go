package webextest

import (
	"strings"
	"time"
	"unicode/utf8"
)

// state is everything a Server remembers; Server.mu guards it.
type state struct {
	closed bool

	people  []*person // directory order
	byUUID  map[string]*person
	byEmail map[string]*person // lower-cased e-mail
	// asciiEmails lists, by lower-cased e-mail, the people whose e-mail is ASCII, and
	// otherEmails the others, both in directory order: together they find every person whose
	// e-mail equals a given ASCII one under strings.EqualFold without a scan (see
	// peopleMatchingEmail).
	asciiEmails map[string][]*person
	otherEmails []*person
	bot         *person
	admin       *person // owner of the meetings token
	orgID       string

	rooms       map[string]*room // by uuid
	roomOrder   []*room
	directRooms map[string]*room // by pairKey
	groupRooms  map[string]*room // by title

	messages map[string]*message // by uuid; each room lists its own in order (room.msgs)
	actions  map[string]*action  // by uuid

	meetings     map[string]*meeting // by id
	meetingOrder []*meeting
	emails       []Email

	webhooks     map[string]*webhook // by uuid
	webhookOrder []*webhook

	devices     map[string]*device // by id
	deviceOrder []*device
	conns       map[*wsConn]struct{} // every open websocket, authorized or not
	ws          WebsocketCounts

	issuedTokens map[string]time.Time // meetings tokens from /v1/access_token → expiry (zero: never)
}

func (st *state) init(now time.Time, dir []Person) {
	st.byUUID = map[string]*person{}
	st.byEmail = map[string]*person{}
	st.asciiEmails = map[string][]*person{}
	st.rooms = map[string]*room{}
	st.directRooms = map[string]*room{}
	st.groupRooms = map[string]*room{}
	st.messages = map[string]*message{}
	st.actions = map[string]*action{}
	st.meetings = map[string]*meeting{}
	st.webhooks = map[string]*webhook{}
	st.devices = map[string]*device{}
	st.conns = map[*wsConn]struct{}{}
	st.issuedTokens = map[string]time.Time{}
	st.orgID = restID(kindOrg, newUUID())
	if dir == nil {
		dir = DefaultDirectory()
	}
	for _, p := range dir {
		if p.Email == "" || st.byEmail[strings.ToLower(p.Email)] != nil {
			continue
		}
		rec := st.addPerson(p, now)
		if rec.typ == "bot" && st.bot == nil {
			st.bot = rec
		}
	}
	if st.bot == nil {
		st.bot = st.addPerson(Person{Email: "relais@webex.bot", DisplayName: "Relais", FirstName: "Relais", Type: "bot"}, now)
	}
	st.admin = st.addPerson(Person{Email: "scheduler-admin@example.com", DisplayName: "Scheduling Admin",
		FirstName: "Scheduling", LastName: "Admin", Timezone: "America/Toronto"}, now)
	st.admin.hidden = true
}

func (st *state) addPerson(p Person, now time.Time) *person {
	typ := p.Type
	if typ == "" {
		typ = "person"
		if strings.HasSuffix(strings.ToLower(p.Email), "@webex.bot") {
			typ = "bot"
		}
	}
	display := p.DisplayName
	if display == "" {
		display = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	if display == "" {
		display = p.Email
	}
	rec := &person{uuid: newUUID(), email: p.Email, displayName: display, firstName: p.FirstName,
		lastName: p.LastName, timezone: p.Timezone, typ: typ, orgID: p.OrgID, created: now}
	rec.id = restID(kindPeople, rec.uuid)
	rec.ord = len(st.people)
	st.people = append(st.people, rec)
	if isASCII(p.Email) {
		key := strings.ToLower(p.Email)
		st.asciiEmails[key] = append(st.asciiEmails[key], rec)
	} else {
		st.otherEmails = append(st.otherEmails, rec)
	}
	st.byUUID[rec.uuid] = rec
	st.byEmail[strings.ToLower(p.Email)] = rec
	return rec
}

// personByID finds a person by REST id.
func (st *state) personByID(id string) *person {
	u, ok := parseID(id, kindPeople)
	if !ok {
		return nil
	}
	return st.byUUID[u]
}

func (st *state) personByEmail(email string) *person {
	return st.byEmail[strings.ToLower(strings.TrimSpace(email))]
}

// peopleMatchingEmail returns, in directory order, a list of people that holds every person
// whose e-mail equals email under strings.EqualFold (and maybe others: callers still compare).
// For an ASCII email (all real ones) that is the people with that e-mail in ASCII letters of
// either case, plus those with a non-ASCII e-mail (the Kelvin sign folds to k); otherwise it is
// the whole directory.
func (st *state) peopleMatchingEmail(email string) []*person {
	if !isASCII(email) {
		return st.people
	}
	same := st.asciiEmails[strings.ToLower(email)]
	if len(st.otherEmails) == 0 {
		return same
	}
	out := make([]*person, 0, len(same))
	i := 0
	for _, p := range st.otherEmails {
		if !strings.EqualFold(p.email, email) {
			continue
		}
		for i < len(same) && same[i].ord < p.ord {
			out = append(out, same[i])
			i++
		}
		out = append(out, p)
	}
	return append(out, same[i:]...)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// allConns lists every open websocket connection.
func (st *state) allConns() []*wsConn {
	out := make([]*wsConn, 0, len(st.conns))
	for c := range st.conns {
		out = append(out, c)
	}
	return out
}

// timeJSON renders a timestamp as Webex does (UTC, milliseconds).
func timeJSON(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
