package webextest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// room is a space: "direct" (1:1) or "group".
type room struct {
	uuid, id     string
	title, typ   string
	members      []*person
	creator      *person
	created      time.Time
	lastActivity time.Time
	// joined is when a member joined after the space was made (POST /_sim/add); the others
	// joined with it.
	joined map[*person]time.Time
	msgs   []*message // every message posted in the space, deleted ones included, oldest first
}

func (rm *room) hasMember(p *person) bool { return slices.Contains(rm.members, p) }

// joinedAt is when p's membership was made: the membership's created.
func (rm *room) joinedAt(p *person) time.Time {
	if at, ok := rm.joined[p]; ok {
		return at
	}
	return rm.created
}

// roomJSON is the spec's Room.
type roomJSON struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Type         string `json:"type"`
	IsLocked     bool   `json:"isLocked"`
	LastActivity string `json:"lastActivity"`
	CreatorID    string `json:"creatorId"`
	Created      string `json:"created"`
	OwnerID      string `json:"ownerId,omitempty"`
	IsPublic     bool   `json:"isPublic"`
	IsReadOnly   bool   `json:"isReadOnly"`
}

// roomJSON renders rm as seen by viewer (a direct space is titled with the other person).
func (st *state) roomJSON(rm *room, viewer *person) roomJSON {
	title := rm.title
	if rm.typ == "direct" {
		for _, m := range rm.members {
			if m != viewer {
				title = m.displayName
			}
		}
	}
	return roomJSON{ID: rm.id, Title: title, Type: rm.typ, LastActivity: timeJSON(rm.lastActivity),
		CreatorID: rm.creator.id, Created: timeJSON(rm.created)}
}

func pairKey(a, b *person) string {
	if a.uuid > b.uuid {
		a, b = b, a
	}
	return a.uuid + "|" + b.uuid
}

func (st *state) newRoom(title, typ string, creator *person, now time.Time, members ...*person) *room {
	rm := &room{uuid: newUUID(), title: title, typ: typ, members: members, creator: creator, created: now, lastActivity: now}
	rm.id = restID(kindRoom, rm.uuid)
	st.rooms[rm.uuid] = rm
	st.roomOrder = append(st.roomOrder, rm)
	return rm
}

// directRoom returns the 1:1 space of a and b, creating it on first use.
func (st *state) directRoom(a, b *person, now time.Time) *room {
	if rm := st.directRooms[pairKey(a, b)]; rm != nil {
		return rm
	}
	rm := st.newRoom(b.displayName, "direct", a, now, a, b)
	st.directRooms[pairKey(a, b)] = rm
	return rm
}

// groupRoom returns the group space with that title, creating it with creator and the bot as
// members; creator joins it if not yet a member.
func (st *state) groupRoom(title string, creator *person, now time.Time) *room {
	rm := st.groupRooms[title]
	if rm == nil {
		rm = st.newRoom(title, "group", creator, now, creator, st.bot)
		st.groupRooms[title] = rm
	}
	if !rm.hasMember(creator) {
		rm.members = append(rm.members, creator)
	}
	return rm
}

func (st *state) roomByID(id string) *room {
	u, ok := parseID(id, kindRoom)
	if !ok {
		return nil
	}
	return st.rooms[u]
}

func (s *Server) handleRoomGet(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.state.roomByID(r.PathValue("id"))
	if rm == nil || !rm.hasMember(p.person) {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s.state.roomJSON(rm, p.person))
}

// roomSorts are GET /v1/rooms's sortBy orders: by id, or most recent first by last activity
// or creation; without sortBy, the order the spaces were created in.
var roomSorts = map[string]func(a, b *room) int{
	"":             nil,
	"id":           func(a, b *room) int { return strings.Compare(a.id, b.id) },
	"lastactivity": func(a, b *room) int { return b.lastActivity.Compare(a.lastActivity) },
	"created":      func(a, b *room) int { return b.created.Compare(a.created) },
}

func (s *Server) handleRoomList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	pg, ok := parsePage(w, q, 100, 1000)
	if !ok {
		return
	}
	order, ok := roomSorts[q.Get("sortBy")]
	if !ok {
		writeError(w, http.StatusBadRequest, msgBadRequest, "sortBy must be id, lastactivity or created.")
		return
	}
	s.mu.Lock()
	var rooms []*room
	for _, rm := range s.state.roomOrder {
		if rm.hasMember(p.person) && (q.Get("type") == "" || q.Get("type") == rm.typ) {
			rooms = append(rooms, rm)
		}
	}
	if order != nil {
		slices.SortStableFunc(rooms, order)
	}
	items := make([]roomJSON, 0, len(rooms))
	for _, rm := range rooms {
		items = append(items, s.state.roomJSON(rm, p.person))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": applyPage(pg, w, r, s.baseURL(r), items)})
}

// membershipJSON is the spec's Membership.
type membershipJSON struct {
	ID                string `json:"id"`
	RoomID            string `json:"roomId"`
	PersonID          string `json:"personId"`
	PersonEmail       string `json:"personEmail"`
	PersonDisplayName string `json:"personDisplayName"`
	PersonOrgID       string `json:"personOrgId"`
	IsModerator       bool   `json:"isModerator"`
	IsMonitor         bool   `json:"isMonitor"`
	IsRoomHidden      bool   `json:"isRoomHidden"`
	RoomType          string `json:"roomType"`
	Created           string `json:"created"`
}

// handleMembershipList serves GET /v1/memberships?roomId=&personId=&personEmail=.
func (s *Server) handleMembershipList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	pg, ok := parsePage(w, q, 100, 1000)
	if !ok {
		return
	}
	s.mu.Lock()
	var rooms []*room
	if id := q.Get("roomId"); id != "" {
		rm := s.state.roomByID(id)
		if rm == nil || !rm.hasMember(p.person) {
			s.mu.Unlock()
			writeError(w, http.StatusNotFound, msgNotFound)
			return
		}
		rooms = []*room{rm}
	} else {
		for _, rm := range s.state.roomOrder {
			if rm.hasMember(p.person) {
				rooms = append(rooms, rm)
			}
		}
	}
	items := []membershipJSON{}
	for _, rm := range rooms {
		for _, m := range rm.members {
			if id := q.Get("personId"); id != "" && id != m.id {
				continue
			}
			if e := q.Get("personEmail"); e != "" && !equalFoldTrim(e, m.email) {
				continue
			}
			if q.Get("roomId") == "" && m != p.person && q.Get("personId") == "" && q.Get("personEmail") == "" {
				continue // without roomId Webex lists the caller's own memberships
			}
			items = append(items, membershipJSON{ID: restID(kindMembership, m.uuid+":"+rm.uuid), RoomID: rm.id,
				PersonID: m.id, PersonEmail: m.email, PersonDisplayName: m.displayName, PersonOrgID: s.state.orgID,
				RoomType: rm.typ, Created: timeJSON(rm.joinedAt(m))})
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": applyPage(pg, w, r, s.baseURL(r), items)})
}
