// Package webextest is a fake Webex: REST under /v1/, device registration, the Mercury
// websocket, webhook delivery, and meetings with host keys, all in memory, with fault injection
// and a control API under /_sim/. It follows Webex's documented behaviour and the OpenAPI
// contract. Tests, `relais demo` and `relais fake-webex` use it. Instances share nothing.
//
// Start one in a test with NewTestServer, or serve New(opts).Handler() yourself and call
// SetURL. Two tokens exist: the bot's (type "bot" on /v1/people/me, 403 on every
// /v1/meetings call) and a meetings token with admin scheduling rights (hostEmail accepted);
// POST /v1/access_token issues more meetings tokens from the refresh token.
//
// People act through Say and SubmitCard (or POST /_sim/say): in a 1:1 space the bot is told
// of every message, in a group space only of those that mention it, on its websockets
// (conversation.activity frames whose content is opaque: resolve the REST id through the
// conversation URL) and on its webhooks (signed with X-Spark-Signature). The bot's own posts
// produce activities too (verb "post"; "share" when the message has files, as in Webex). By
// default, frames not acked are replayed on the device's next connection; the replay fault can
// withhold that.
//
// The control API, without authentication:
//
//	POST /_sim/say      {"from","text","room"?,"parentId"?,"mentions"?,"noMention"?,"files"?} → {"messageId"}
//	POST /_sim/cards    {"from","messageId","inputs"} → {"actionId"}
//	POST /_sim/delete   {"messageId"} → 204: the author deletes it (a later fetch is a 404; the bot
//	                    gets a "delete" activity and messages/deleted if it could see it)
//	POST /_sim/add      {"room","by"} → {"membershipId"}: the bot added to a group space
//	                    (memberships/created webhook, "add" activity on the websockets)
//	GET  /_sim/messages ?person=EMAIL | ?room=TITLE → the bot's messages there, oldest first
//	GET  /_sim/meetings → every meeting as GET returns it, with invitees and invitationsSent
//	GET  /_sim/emails   → the invitation e-mails recorded
//	POST /_sim/faults   Faults as JSON → the faults in force (an unknown field or value is a 400
//	                    naming it; the body replaces every fault, {} clears them)
//	GET  /_sim/faults   → the faults in force, defaults written out
//	GET  /_sim/counts   → calls per "METHOD /v1/route-pattern", plus "websocketConnections"
//	                    (accepted since start) and "conversationLookups"
//	GET  /_sim/authorizations → {"items":[{"userCode","flow","scope","expiresAt"}]}: user
//	                    authorizations of the integration waiting for the user (oauth.go)
//	POST /_sim/approve  {"userCode","as"} → {"redirect"}: the person approves (code flow: the
//	                    redirect with code and state)
//	POST /_sim/deny     {"userCode"} → {"redirect"}: the user refuses
//	POST /_sim/revoke   {"email"} → {"revoked"}: an administrator revokes the person's grants
//	GET  /_sim/tokens   → {"items":[{"kind","token","personEmail","scope","expiresAt"}],"codes"}:
//	                    every user token, device code and authorization code issued (leak checks)
//
// The Webex Integration (IntegrationClientID, IntegrationClientSecret) gets user tokens by the
// device grant (POST /v1/device/authorize, /v1/device/token: 428 pending, slow_down, expired_token,
// access_denied) or the authorization-code flow with PKCE (GET /v1/authorize, POST
// /v1/access_token), refreshed with rotation. A user token acts as its person: meetings need
// meeting:schedules_read/write (else 403) and are hosted by that person; /people/me needs
// spark:people_read. SlowDown makes a pending device authorization answer slow_down, as a loaded
// Webex may; SetOAuthLifetimes shortens the codes' and tokens' lives.
//
// The faults (see Faults; each is off at zero, so the fake is kind by default):
//
//	latencyMs, rate429 + retryAfterSeconds, rate5xx + status5xx   before /v1/ calls act
//	actThenFailRate (+ actThenFailMode "drop")                    after POST/PUT/PATCH/DELETE acted
//	conversationRate429 + conversationRetryAfterSeconds,
//	conversationRate5xx                                           on the activity lookups
//	replay "all"|"none", replayWindowSeconds                      unacked frames on reconnection
//	webhookRetries                                                redeliveries of a failed webhook
//	dropWebsocket                                                 cut every websocket once (not kept)
//
// Webhook retries wait Options.WebhookRetryDelay (doubling), so tests can make them immediate.
package webextest
