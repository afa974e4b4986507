package webexapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// verbAdd is the activity of someone added to a conversation (Webex's "add" verb, whose object
// is the person added). Relais consumes only its own additions: the greeting of a new space.
// The shape (actor: who added, object: {objectType "person", id, emailAddress}, target: the
// conversation) follows the conversation service's activity model (webex-js-sdk's
// conversation.add); no real capture of it was found (UNVERIFIED), so a shape that differs is
// simply not consumed and the memberships/created webhook remains the documented path.
const verbAdd = "add"

// maxMembershipScan bounds the bot's memberships read to find the space of an "add" activity.
const maxMembershipScan = 1000

// membershipEvent turns an "add" activity that adds the bot into an EventMembershipCreated. The
// activity names the space by its conversation uuid only: its REST id (and the membership's, the
// same id as the memberships/created webhook's) comes from the bot's own memberships.
func (l *Listener) membershipEvent(ctx context.Context, s *session, a *mercuryActv) (Event, bool, error) {
	var obj struct {
		ObjectType   string `json:"objectType"`
		ID           string `json:"id"`
		EmailAddress string `json:"emailAddress"`
	}
	if len(a.Object) == 0 || json.Unmarshal(a.Object, &obj) != nil || obj.ObjectType != "person" {
		return Event{}, false, nil
	}
	self := (s.meUUID != "" && strings.EqualFold(obj.ID, s.meUUID)) ||
		(s.me != nil && obj.EmailAddress != "" && strings.EqualFold(obj.EmailAddress, s.me.Email()))
	if !self || (s.meUUID != "" && strings.EqualFold(a.Actor.ID, s.meUUID)) {
		return Event{}, false, nil // someone else added, or the bot made the space itself
	}
	n := 0
	for m, err := range l.c.Memberships.All(ctx, nil) { // without a room: the bot's own memberships
		if err != nil {
			return Event{}, false, fmt.Errorf("find the space of activity %s: %w", a.ID, err)
		}
		if strings.EqualFold(uuidFromRESTID(m.RoomID), a.Target.ID) {
			roomType := m.RoomType
			if roomType == "" {
				roomType = roomTypeOf(a.Target.Tags)
			}
			return Event{Kind: EventMembershipCreated, Source: SourceWebsocket, ID: m.ID, RoomID: m.RoomID,
				RoomType: roomType, PersonEmail: a.Actor.EmailAddress, MemberID: m.PersonID,
				MemberEmail: m.PersonEmail, Created: parseTime(a.Published)}, true, nil
		}
		if n++; n >= maxMembershipScan {
			break
		}
	}
	return Event{}, false, nil
}
