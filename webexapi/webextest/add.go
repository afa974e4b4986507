package webextest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// AddRequest is someone adding the bot to a group space (POST /_sim/add).
type AddRequest struct {
	// Room is the space's title; the space is made on first use, with By as its member.
	Room string `json:"room"`
	// By is the e-mail of the person who adds the bot (a directory person).
	By string `json:"by"`
}

// AddBot adds the bot to the group space r.Room, as r.By does in the Webex App, and notifies
// the bot as Webex does: a memberships/created webhook (data: the bot's membership, actorId:
// who added it) and an "add" activity on its websockets (actor: who added it, object: the bot).
// Adding the bot to a space it is already in changes nothing and notifies nobody. It returns
// the membership's REST id.
func (s *Server) AddBot(r AddRequest) (string, error) {
	if strings.TrimSpace(r.Room) == "" {
		return "", fmt.Errorf("add: no room: %w", ErrInvalidRequest)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state
	by := st.personByEmail(r.By)
	if by == nil || by.typ == "bot" || by.hidden {
		return "", fmt.Errorf("add by %q: %w", r.By, ErrUnknownPerson)
	}
	now := s.now()
	rm := st.groupRooms[r.Room]
	switch {
	case rm == nil:
		rm = st.newRoom(r.Room, "group", by, now, by)
		st.groupRooms[r.Room] = rm
	case !rm.hasMember(by):
		return "", fmt.Errorf("add: %s is not in « %s »: %w", r.By, r.Room, ErrInvalidRequest)
	}
	bot := st.bot
	id := restID(kindMembership, bot.uuid+":"+rm.uuid)
	if rm.hasMember(bot) {
		return id, nil
	}
	rm.members = append(rm.members, bot)
	if rm.joined == nil {
		rm.joined = map[*person]time.Time{}
	}
	rm.joined[bot] = now
	act := activityJSON{ID: newUUID(), ObjectType: "activity", Verb: "add", Actor: st.actor(by),
		Object:    objectJSON{ObjectType: "person", ID: bot.uuid, EmailAddress: bot.email, DisplayName: bot.displayName},
		Published: timeJSON(now), EncryptionKeyURL: "kms://fake.webex.com/keys/" + rm.uuid}
	s.pushActivityLocked(func(base string) activityJSON {
		a := act
		a.Target = target(rm, base)
		return a
	})
	data := webhookData{ID: id, RoomID: rm.id, RoomType: rm.typ, PersonID: bot.id, PersonEmail: bot.email,
		PersonDisplayName: bot.displayName, PersonOrgID: st.orgID, Created: timeJSON(now)}
	s.deliverLocked("memberships", "created", by, data, func(f filterMatch) bool {
		for k, vs := range f {
			switch k {
			case "roomId":
				if vs[0] != rm.id {
					return false
				}
			case "personId":
				if vs[0] != bot.id {
					return false
				}
			case "personEmail":
				if !strings.EqualFold(vs[0], bot.email) {
					return false
				}
			}
		}
		return true
	})
	return id, nil
}

func (s *Server) handleSimAdd(w http.ResponseWriter, r *http.Request) {
	var req AddRequest
	if !decodeBody(w, r, &req) {
		return
	}
	id, err := s.AddBot(req)
	if err != nil {
		writeSimError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"membershipId": id})
}
