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
// produce activities too. Frames not acked are replayed on the device's next connection.
//
// The control API, without authentication:
//
//	POST /_sim/say      {"from","text","room"?,"parentId"?,"mentions"?,"noMention"?} → {"messageId"}
//	POST /_sim/cards    {"from","messageId","inputs"} → {"actionId"}
//	POST /_sim/add      {"room","by"} → {"membershipId"}: the bot added to a group space
//	                    (memberships/created webhook, "add" activity on the websockets)
//	GET  /_sim/messages ?person=EMAIL | ?room=TITLE → the bot's messages there, oldest first
//	GET  /_sim/meetings → every meeting as GET returns it, with invitees and invitationsSent
//	GET  /_sim/emails   → the invitation e-mails recorded
//	POST /_sim/faults   {"latencyMs","rate429","retryAfterSeconds","rate5xx","status5xx","dropWebsocket"}
//	GET  /_sim/counts   → calls per "METHOD /v1/route-pattern"
//
// Faults apply to /v1/ calls only. Webhook retries wait Options.WebhookRetryDelay (doubling),
// so tests can make them immediate.
package webextest
