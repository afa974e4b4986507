package webextest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// webhook is a registration.
type webhook struct {
	uuid, id                         string
	name, targetURL, resource, event string
	filter, secret, status           string
	owner                            *person
	created                          time.Time
	failures                         int // deliveries in a row whose every attempt failed

	queue   [][]byte // envelopes waiting for delivery, oldest first
	sending bool     // a goroutine is delivering the queue
}

// webhookJSON is the spec's Webhook.
type webhookJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter,omitempty"`
	Secret    string `json:"secret,omitempty"`
	Status    string `json:"status"`
	Created   string `json:"created"`
	OrgID     string `json:"orgId"`
	CreatedBy string `json:"createdBy"`
	AppID     string `json:"appId"`
	OwnedBy   string `json:"ownedBy"`
}

func (st *state) webhookJSON(h *webhook) webhookJSON {
	return webhookJSON{ID: h.id, Name: h.name, TargetURL: h.targetURL, Resource: h.resource, Event: h.event,
		Filter: h.filter, Secret: h.secret, Status: h.status, Created: timeJSON(h.created), OrgID: st.orgID,
		CreatedBy: h.owner.id, AppID: restID("APPLICATION", "fake-app"), OwnedBy: "creator"}
}

// webhookData is an envelope's data: a message's or an attachment action's summary.
type webhookData struct {
	ID          string `json:"id"`
	Type        string `json:"type,omitempty"`
	MessageID   string `json:"messageId,omitempty"`
	RoomID      string `json:"roomId,omitempty"`
	RoomType    string `json:"roomType,omitempty"`
	PersonID    string `json:"personId,omitempty"`
	PersonEmail string `json:"personEmail,omitempty"`
	// PersonDisplayName and PersonOrgID: memberships only.
	PersonDisplayName string   `json:"personDisplayName,omitempty"`
	PersonOrgID       string   `json:"personOrgId,omitempty"`
	ParentID          string   `json:"parentId,omitempty"`
	MentionedPeople   []string `json:"mentionedPeople,omitempty"`
	HasAttachments    *bool    `json:"hasAttachments,omitempty"`
	Created           string   `json:"created"`
}

// webhookEnvelope is what a webhook's targetUrl receives.
type webhookEnvelope struct {
	webhookJSON
	Secret  string      `json:"secret,omitempty"` // shadows the embedded one: never sent
	ActorID string      `json:"actorId"`
	Data    webhookData `json:"data"`
}

var webhookResources = []string{"messages", "attachmentActions", "memberships", "rooms", "meetings", "all"}
var webhookEvents = []string{"created", "updated", "deleted", "started", "ended", "joined", "left", "all"}

// webhookRequest is the create/update body.
type webhookRequest struct {
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter"`
	Secret    string `json:"secret"`
	Status    string `json:"status"`
	OwnedBy   string `json:"ownedBy"`
}

func validTarget(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

func (st *state) webhookByID(id string, owner *person) *webhook {
	u, ok := parseID(id, kindWebhook)
	if !ok {
		return nil
	}
	h := st.webhooks[u]
	if h == nil || h.owner != owner {
		return nil
	}
	return h
}

func (s *Server) handleWebhookList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePage(w, r.URL.Query(), 100, 1000)
	if !ok {
		return
	}
	s.mu.Lock()
	items := []webhookJSON{}
	for _, h := range s.state.webhookOrder {
		if h.owner == p.person {
			items = append(items, s.state.webhookJSON(h))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"items": applyPage(pg, w, r, s.baseURL(r), items)})
}

func (s *Server) handleWebhookCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req webhookRequest
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.Name == "" || req.TargetURL == "" || req.Resource == "" || req.Event == "":
		writeError(w, http.StatusBadRequest, msgBadRequest, "name, targetUrl, resource and event are required.")
		return
	case !validTarget(req.TargetURL):
		writeError(w, http.StatusBadRequest, msgBadRequest, "targetUrl must be an http or https URL.")
		return
	case !slices.Contains(webhookResources, req.Resource):
		writeError(w, http.StatusBadRequest, msgBadRequest, "Unknown resource "+req.Resource+".")
		return
	case !slices.Contains(webhookEvents, req.Event):
		writeError(w, http.StatusBadRequest, msgBadRequest, "Unknown event "+req.Event+".")
		return
	}
	if _, err := url.ParseQuery(req.Filter); err != nil {
		writeError(w, http.StatusBadRequest, msgBadRequest, "Invalid filter.")
		return
	}
	s.mu.Lock()
	h := &webhook{uuid: newUUID(), name: req.Name, targetURL: req.TargetURL, resource: req.Resource, event: req.Event,
		filter: req.Filter, secret: req.Secret, status: "active", owner: p.person, created: s.now()}
	h.id = restID(kindWebhook, h.uuid)
	s.state.webhooks[h.uuid] = h
	s.state.webhookOrder = append(s.state.webhookOrder, h)
	body := s.state.webhookJSON(h)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleWebhookGet(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.state.webhookByID(r.PathValue("id"), p.person)
	if h == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s.state.webhookJSON(h))
}

// handleWebhookUpdate serves PUT /v1/webhooks/{id}: name and targetUrl are required; secret
// and status (active re-enables a disabled webhook) are optional.
func (s *Server) handleWebhookUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req webhookRequest
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.Name == "" || req.TargetURL == "":
		writeError(w, http.StatusBadRequest, msgBadRequest, "name and targetUrl are required.")
		return
	case !validTarget(req.TargetURL):
		writeError(w, http.StatusBadRequest, msgBadRequest, "targetUrl must be an http or https URL.")
		return
	case req.Status != "" && req.Status != "active" && req.Status != "inactive":
		writeError(w, http.StatusBadRequest, msgBadRequest, "status must be active or inactive.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.state.webhookByID(r.PathValue("id"), p.person)
	if h == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	h.name, h.targetURL = req.Name, req.TargetURL
	if req.Secret != "" {
		h.secret = req.Secret
	}
	if req.Status != "" {
		h.status = req.Status
		if req.Status == "active" {
			h.failures = 0
		}
	}
	writeJSON(w, http.StatusOK, s.state.webhookJSON(h))
}

func (s *Server) handleWebhookDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.state.webhookByID(r.PathValue("id"), p.person)
	if h == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	delete(s.state.webhooks, h.uuid)
	s.state.webhookOrder = slices.DeleteFunc(s.state.webhookOrder, func(x *webhook) bool { return x == h })
	w.Header().Set("Trackingid", trackingID())
	w.WriteHeader(http.StatusNoContent)
}

// filterMatch is a parsed webhook filter.
type filterMatch url.Values

func (f filterMatch) matchMessage(m *message, bot *person) bool {
	for k, vs := range f {
		v := vs[0]
		ok := true
		switch k {
		case "roomId":
			ok = v == m.room.id
		case "roomType":
			ok = v == m.room.typ
		case "personId":
			ok = v == m.author.id
		case "personEmail":
			ok = strings.EqualFold(v, m.author.email)
		case "mentionedPeople":
			ok = (v == "me" || v == bot.id) && m.mentions(bot)
		case "hasAttachments":
			ok = (v == "true") == (len(m.attachments) > 0)
		case "hasFiles":
			ok = (v == "true") == (len(m.files) > 0)
		}
		if !ok {
			return false
		}
	}
	return true
}

func (f filterMatch) matchAction(a *action) bool {
	for k, vs := range f {
		v := vs[0]
		ok := true
		switch k {
		case "roomId":
			ok = v == a.msg.room.id
		case "messageId":
			ok = v == a.msg.id
		case "personId":
			ok = v == a.person.id
		}
		if !ok {
			return false
		}
	}
	return true
}

// deliverLocked queues an event ("created", "deleted") of resource for every active webhook of
// the bot whose filter matches. Each webhook's queue is delivered in order by a goroutine owned
// by the Server.
func (s *Server) deliverLocked(resource, event string, actor *person, data webhookData, match func(filterMatch) bool) {
	for _, h := range s.state.webhookOrder {
		if h.owner != s.state.bot || h.status != "active" ||
			(h.resource != resource && h.resource != "all") || (h.event != event && h.event != "all") {
			continue
		}
		q, _ := url.ParseQuery(h.filter)
		if !match(filterMatch(q)) {
			continue
		}
		env := webhookEnvelope{webhookJSON: s.state.webhookJSON(h), ActorID: actor.id, Data: data}
		env.Resource, env.Event = resource, event
		body, err := json.Marshal(env)
		if err != nil || s.state.closed {
			continue
		}
		h.queue = append(h.queue, body)
		if !h.sending {
			h.sending = true
			s.wg.Add(1)
			go s.drain(h)
		}
	}
}

// drain delivers h's queue in order, one envelope at a time (retries included), then ends.
func (s *Server) drain(h *webhook) {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		if len(h.queue) == 0 || s.ctx.Err() != nil {
			h.sending = false
			h.queue = nil
			s.mu.Unlock()
			return
		}
		body := h.queue[0]
		h.queue = h.queue[1:]
		target, secret, active := h.targetURL, h.secret, h.status == "active"
		s.mu.Unlock()
		if active {
			s.deliver(h, target, secret, body)
		}
	}
}

// deliver tries one delivery with retries (Options.WebhookAttempts, or the webhookRetries
// fault) and records its outcome.
func (s *Server) deliver(h *webhook, target, secret string, body []byte) {
	delay := s.opts.WebhookRetryDelay
	attempts := s.opts.WebhookAttempts
	if r := s.currentFaults().WebhookRetries; r != nil {
		attempts = *r + 1
	}
	for attempt := 1; ; attempt++ {
		if s.post(target, secret, body) {
			s.mu.Lock()
			h.failures = 0
			s.mu.Unlock()
			return
		}
		if attempt >= attempts {
			break
		}
		t := time.NewTimer(delay)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		delay *= 2
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h.failures++
	if h.failures >= s.opts.WebhookDisableAfter && h.status == "active" {
		h.status = "disabled"
		s.log.Info().Str("webhook", h.name).Msg("webhook disabled after repeated delivery failures")
	}
}

// post sends body once; it reports a 2xx answer.
func (s *Server) post(target, secret string, body []byte) bool {
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Webex-Webhook-Fake/1.0")
	req.Header.Set("Trackingid", trackingID())
	if secret != "" {
		req.Header.Set("X-Spark-Signature", Sign(secret, body))
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}

// Sign is the X-Spark-Signature of body: hex(HMAC-SHA1(secret, body)).
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
