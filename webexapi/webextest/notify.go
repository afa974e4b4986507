package webextest

// activityJSON is a Mercury conversation activity. Its content is opaque (Webex encrypts it):
// the client fetches the message over REST.
type activityJSON struct {
	ID               string      `json:"id"`
	ObjectType       string      `json:"objectType"`
	Verb             string      `json:"verb"`
	Actor            actorJSON   `json:"actor"`
	Object           objectJSON  `json:"object"`
	Target           targetJSON  `json:"target"`
	Parent           *parentJSON `json:"parent,omitempty"`
	Published        string      `json:"published"`
	EncryptionKeyURL string      `json:"encryptionKeyUrl"`
}

type actorJSON struct {
	ID           string `json:"id"`
	ObjectType   string `json:"objectType"`
	DisplayName  string `json:"displayName"`
	EmailAddress string `json:"emailAddress"`
	OrgID        string `json:"orgId"`
	Type         string `json:"type"`
}

type objectJSON struct {
	ID              string     `json:"id,omitempty"`
	ObjectType      string     `json:"objectType"`
	EmailAddress    string     `json:"emailAddress,omitempty"` // the person of an "add" activity
	DisplayName     string     `json:"displayName,omitempty"`
	Content         string     `json:"content,omitempty"`
	ContentCategory string     `json:"contentCategory,omitempty"`
	Files           *filesJSON `json:"files,omitempty"`
}

// filesJSON is a share activity's list of files (names and URLs encrypted, as in Webex).
type filesJSON struct {
	Items []fileJSON `json:"items"`
}

type fileJSON struct {
	ObjectType             string `json:"objectType"`
	DisplayName            string `json:"displayName"`
	URL                    string `json:"url"`
	MalwareQuarantineState string `json:"malwareQuarantineState"`
}

type targetJSON struct {
	ID         string   `json:"id"`
	ObjectType string   `json:"objectType"`
	URL        string   `json:"url"`
	Tags       []string `json:"tags"`
}

type parentJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// opaque is an encrypted-looking JWE placeholder.
func opaque() string {
	return "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.." + randomHex(12) + "." + randomHex(24) + "." + randomHex(16)
}

func (st *state) actor(p *person) actorJSON {
	typ := "PERSON"
	if p.typ == "bot" {
		typ = "BOT"
	}
	return actorJSON{ID: p.uuid, ObjectType: "person", DisplayName: p.displayName, EmailAddress: p.email, OrgID: st.orgID, Type: typ}
}

func target(rm *room, base string) targetJSON {
	tags := []string{}
	if rm.typ == "direct" {
		tags = []string{"ONE_ON_ONE"}
	}
	return targetJSON{ID: rm.uuid, ObjectType: "conversation", URL: base + "/conversation/api/v1/conversations/" + rm.uuid, Tags: tags}
}

// notifyMessageLocked tells the bot about a message it can see: a "post" activity on its
// websockets ("share", as Webex sends it, when the message has files) and messages/created on
// its webhooks.
func (s *Server) notifyMessageLocked(m *message) {
	act := activityJSON{ID: m.uuid, ObjectType: "activity", Verb: "post", Actor: s.state.actor(m.author),
		Object:    objectJSON{ObjectType: "comment", DisplayName: opaque()},
		Published: timeJSON(m.created), EncryptionKeyURL: "kms://fake.webex.com/keys/" + m.room.uuid}
	if len(m.files) > 0 {
		act.Verb = "share"
		act.Object = objectJSON{ObjectType: "content", ContentCategory: "documents", Files: &filesJSON{}}
		if m.text != "" {
			act.Object.DisplayName = opaque()
		}
		for range m.files {
			act.Object.Files.Items = append(act.Object.Files.Items, fileJSON{ObjectType: "file",
				DisplayName: opaque(), URL: opaque(), MalwareQuarantineState: "safe"})
		}
	}
	if m.parent != nil {
		act.Parent = &parentJSON{ID: m.parent.uuid, Type: "reply"}
	}
	s.pushActivityLocked(func(base string) activityJSON {
		a := act
		a.Target = target(m.room, base)
		return a
	})
	data := webhookData{ID: m.id, RoomID: m.room.id, RoomType: m.room.typ, PersonID: m.author.id,
		PersonEmail: m.author.email, Created: timeJSON(m.created)}
	if m.parent != nil {
		data.ParentID = m.parent.id
	}
	for _, p := range m.mentioned {
		data.MentionedPeople = append(data.MentionedPeople, p.id)
	}
	if len(m.attachments) > 0 {
		t := true
		data.HasAttachments = &t
	}
	s.deliverLocked("messages", "created", m.author, data, func(f filterMatch) bool { return f.matchMessage(m, s.state.bot) })
}

// notifyActionLocked tells the bot about a submission of one of its cards.
func (s *Server) notifyActionLocked(a *action) {
	act := activityJSON{ID: a.uuid, ObjectType: "activity", Verb: "cardAction", Actor: s.state.actor(a.person),
		Object:    objectJSON{ObjectType: "submit", Content: opaque()},
		Parent:    &parentJSON{ID: a.msg.uuid, Type: "cardAction"},
		Published: timeJSON(a.created), EncryptionKeyURL: "kms://fake.webex.com/keys/" + a.msg.room.uuid}
	s.pushActivityLocked(func(base string) activityJSON {
		c := act
		c.Target = target(a.msg.room, base)
		return c
	})
	data := webhookData{ID: a.id, Type: "submit", MessageID: a.msg.id, PersonID: a.person.id,
		RoomID: a.msg.room.id, Created: timeJSON(a.created)}
	s.deliverLocked("attachmentActions", "created", a.person, data, func(f filterMatch) bool { return f.matchAction(a) })
}

// notifyDeletedLocked tells the bot that m, which it could see, was deleted: a "delete"
// activity whose object is the message's activity (as the JS SDK reads it) on its websockets,
// and messages/deleted on its webhooks.
func (s *Server) notifyDeletedLocked(m *message, by *person) {
	now := s.now()
	act := activityJSON{ID: newUUID(), ObjectType: "activity", Verb: "delete", Actor: s.state.actor(by),
		Object:    objectJSON{ID: m.uuid, ObjectType: "activity"},
		Published: timeJSON(now), EncryptionKeyURL: "kms://fake.webex.com/keys/" + m.room.uuid}
	s.pushActivityLocked(func(base string) activityJSON {
		a := act
		a.Target = target(m.room, base)
		return a
	})
	data := webhookData{ID: m.id, RoomID: m.room.id, RoomType: m.room.typ, PersonID: by.id,
		PersonEmail: by.email, Created: timeJSON(m.created)}
	s.deliverLocked("messages", "deleted", by, data, func(f filterMatch) bool { return f.matchMessage(m, s.state.bot) })
}
