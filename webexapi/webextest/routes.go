package webextest

import "net/http"

// routes builds the fake's handler: /v1/ REST (behind fault injection and call counting), the
// catalog, WDM, Mercury, the conversation service and /_sim/.
func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("POST /v1/access_token", s.handleAccessToken)
	api.HandleFunc("GET /v1/people/me", s.handlePeopleMe)
	api.HandleFunc("GET /v1/people/{id}", s.handlePersonGet)
	api.HandleFunc("GET /v1/people", s.handlePeopleList)
	api.HandleFunc("GET /v1/rooms", s.handleRoomList)
	api.HandleFunc("GET /v1/rooms/{id}", s.handleRoomGet)
	api.HandleFunc("GET /v1/memberships", s.handleMembershipList)
	api.HandleFunc("POST /v1/messages", s.handleMessageCreate)
	api.HandleFunc("GET /v1/messages", s.handleMessageList)
	api.HandleFunc("GET /v1/messages/direct", s.handleMessageDirect)
	api.HandleFunc("GET /v1/messages/{id}", s.handleMessageGet)
	api.HandleFunc("DELETE /v1/messages/{id}", s.handleMessageDelete)
	api.HandleFunc("POST /v1/attachment/actions", s.handleActionCreate)
	api.HandleFunc("GET /v1/attachment/actions/{id}", s.handleActionGet)
	api.HandleFunc("GET /v1/webhooks", s.handleWebhookList)
	api.HandleFunc("POST /v1/webhooks", s.handleWebhookCreate)
	api.HandleFunc("GET /v1/webhooks/{id}", s.handleWebhookGet)
	api.HandleFunc("PUT /v1/webhooks/{id}", s.handleWebhookUpdate)
	api.HandleFunc("DELETE /v1/webhooks/{id}", s.handleWebhookDelete)
	api.HandleFunc("POST /v1/meetings", s.handleMeetingCreate)
	api.HandleFunc("GET /v1/meetings", s.handleMeetingList)
	api.HandleFunc("GET /v1/meetings/{id}", s.handleMeetingGet)
	api.HandleFunc("PATCH /v1/meetings/{id}", s.handleMeetingPatch)
	api.HandleFunc("PUT /v1/meetings/{id}", s.handleMeetingPatch)
	api.HandleFunc("DELETE /v1/meetings/{id}", s.handleMeetingDelete)
	api.HandleFunc("/v1/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, msgNotFound, "No such API.")
	})

	mux := http.NewServeMux()
	mux.Handle("/v1/", s.apiMiddleware(api))
	mux.HandleFunc("GET /u2c/api/v1/catalog", s.handleCatalog)
	mux.HandleFunc("GET /wdm/api/v1/devices", s.handleDeviceList)
	mux.HandleFunc("POST /wdm/api/v1/devices", s.handleDeviceCreate)
	mux.HandleFunc("GET /wdm/api/v1/devices/{id}", s.handleDeviceGet)
	mux.HandleFunc("PUT /wdm/api/v1/devices/{id}", s.handleDeviceUpdate)
	mux.HandleFunc("DELETE /wdm/api/v1/devices/{id}", s.handleDeviceDelete)
	mux.HandleFunc("GET /mercury/v1/apps/wx2/registrations/{id}/messages", s.handleMercury)
	mux.HandleFunc("GET /conversation/api/v1/messages/{id}", s.conversationFaults(s.handleConversationMessage))
	mux.HandleFunc("GET /conversation/api/v1/attachment/actions/{id}", s.conversationFaults(s.handleConversationAction))
	mux.HandleFunc("POST /_sim/say", s.handleSimSay)
	mux.HandleFunc("POST /_sim/cards", s.handleSimCard)
	mux.HandleFunc("POST /_sim/delete", s.handleSimDelete)
	mux.HandleFunc("GET /_sim/messages", s.handleSimMessages)
	mux.HandleFunc("GET /_sim/meetings", s.handleSimMeetings)
	mux.HandleFunc("GET /_sim/emails", s.handleSimEmails)
	mux.HandleFunc("POST /_sim/faults", s.handleSimFaults)
	mux.HandleFunc("GET /_sim/faults", s.handleSimFaultsGet)
	mux.HandleFunc("GET /_sim/counts", s.handleSimCounts)
	return mux
}
