package webextest

import (
	"net/http"
	"strings"
	"time"
)

// maxDevices is how many registrations one user may hold before WDM refuses more.
const maxDevices = 100

// device is a WDM device registration; it owns the queue of activity frames not yet acked.
type device struct {
	id, base                                                     string
	owner                                                        *person
	name, deviceName, deviceType, localizedModel, model, sysName string
	sysVersion                                                   string
	created, modified                                            time.Time
	deleted                                                      bool

	seq     int64
	pending []frame // sent or waiting, not acked, oldest first
	conn    *wsConn // the current connection, nil when none
}

// frame is one server→client websocket frame kept until acked.
type frame struct {
	id   string
	body []byte
	at   time.Time // when it was queued (injected clock)
}

// maxPending bounds the replay queue of a device (Webex replays only recent activity).
const maxPending = 10000

// deviceJSON is WDM's device object.
type deviceJSON struct {
	URL              string            `json:"url"`
	WebSocketURL     string            `json:"webSocketUrl"`
	Name             string            `json:"name"`
	DeviceName       string            `json:"deviceName"`
	DeviceType       string            `json:"deviceType"`
	LocalizedModel   string            `json:"localizedModel"`
	Model            string            `json:"model"`
	SystemName       string            `json:"systemName"`
	SystemVersion    string            `json:"systemVersion"`
	UserID           string            `json:"userId"`
	CreationTime     string            `json:"creationTime"`
	ModificationTime string            `json:"modificationTime"`
	Services         map[string]string `json:"services"`
}

// deviceRequest is the registration body.
type deviceRequest struct {
	DeviceName     string `json:"deviceName"`
	DeviceType     string `json:"deviceType"`
	LocalizedModel string `json:"localizedModel"`
	Model          string `json:"model"`
	Name           string `json:"name"`
	SystemName     string `json:"systemName"`
	SystemVersion  string `json:"systemVersion"`
}

func (d *device) json() deviceJSON {
	ws := "ws" + strings.TrimPrefix(d.base, "http") + "/mercury/v1/apps/wx2/registrations/" + d.id + "/messages"
	return deviceJSON{URL: d.base + "/wdm/api/v1/devices/" + d.id, WebSocketURL: ws, Name: d.name,
		DeviceName: d.deviceName, DeviceType: d.deviceType, LocalizedModel: d.localizedModel, Model: d.model,
		SystemName: d.sysName, SystemVersion: d.sysVersion, UserID: d.owner.uuid,
		CreationTime: timeJSON(d.created), ModificationTime: timeJSON(d.modified),
		Services: map[string]string{"conversationServiceUrl": d.base + "/conversation/api/v1", "wdmServiceUrl": d.base + "/wdm/api/v1"}}
}

func (d *device) apply(req deviceRequest, now time.Time) {
	d.name, d.deviceName, d.deviceType = req.Name, req.DeviceName, req.DeviceType
	d.localizedModel, d.model, d.sysName, d.sysVersion = req.LocalizedModel, req.Model, req.SystemName, req.SystemVersion
	d.modified = now
}

// handleCatalog serves GET /u2c/api/v1/catalog?format=hostmap.
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authenticate(w, r); !ok {
		return
	}
	base := s.baseURL(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"serviceLinks": map[string]string{
			"wdm":          base + "/wdm/api/v1",
			"conversation": base + "/conversation/api/v1",
			"hydra":        base + "/v1/",
			"u2c":          base + "/u2c/api/v1",
		},
		"format": "hostmap",
	})
}

func (s *Server) handleDeviceList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []deviceJSON{}
	for _, d := range s.state.deviceOrder {
		if !d.deleted && d.owner == p.person {
			out = append(out, d.json())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": out})
}

func (s *Server) handleDeviceCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req deviceRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.DeviceType == "" || req.Name == "" {
		writeError(w, http.StatusBadRequest, msgBadRequest, "deviceType and name are required.")
		return
	}
	base := s.baseURL(r) // before the lock: URL() takes it too
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.state.deviceOrder {
		if !d.deleted && d.owner == p.person {
			n++
		}
	}
	if n >= maxDevices {
		writeError(w, http.StatusForbidden, "User has excessive device registrations")
		return
	}
	now := s.now()
	d := &device{id: newUUID(), base: base, owner: p.person, created: now}
	d.apply(req, now)
	s.state.devices[d.id] = d
	s.state.deviceOrder = append(s.state.deviceOrder, d)
	writeJSON(w, http.StatusOK, d.json())
}

// deviceFor finds the caller's live device named in the path; it writes a 404 otherwise.
func (s *Server) deviceFor(w http.ResponseWriter, r *http.Request, p principal) *device {
	d := s.state.devices[r.PathValue("id")]
	if d == nil || d.deleted || d.owner != p.person {
		writeError(w, http.StatusNotFound, msgNotFound)
		return nil
	}
	return d
}

func (s *Server) handleDeviceGet(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.deviceFor(w, r, p); d != nil {
		writeJSON(w, http.StatusOK, d.json())
	}
}

func (s *Server) handleDeviceUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var req deviceRequest
	if !decodeBody(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deviceFor(w, r, p)
	if d == nil {
		return
	}
	if req.Name == "" {
		req.Name = d.name
	}
	if req.DeviceType == "" {
		req.DeviceType = d.deviceType
	}
	d.apply(req, s.now())
	writeJSON(w, http.StatusOK, d.json())
}

func (s *Server) handleDeviceDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	d := s.deviceFor(w, r, p)
	var c *wsConn
	if d != nil {
		d.deleted = true
		d.pending = nil
		c, d.conn = d.conn, nil
	}
	s.mu.Unlock()
	if d == nil {
		return
	}
	if c != nil {
		c.kill()
	}
	w.Header().Set("Trackingid", trackingID())
	w.WriteHeader(http.StatusNoContent)
}

// handleConversationMessage serves the conversation service's
// GET /conversation/api/v1/messages/{uuid}: the activity id → the REST message.
func (s *Server) handleConversationMessage(w http.ResponseWriter, r *http.Request) {
	s.serveMessage(w, r, func(uuid string) *message { return s.state.messages[uuid] })
}

// handleConversationAction serves GET /conversation/api/v1/attachment/actions/{uuid}.
func (s *Server) handleConversationAction(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.state.actions[r.PathValue("id")]
	if a == nil || !a.msg.room.hasMember(p.person) {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	writeJSON(w, http.StatusOK, a.json())
}
