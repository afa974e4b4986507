// Package webexapi is Relais's typed Webex client: a REST client over resty with a service per
// resource (people, messages, rooms, memberships, attachment actions, webhooks, meetings,
// devices), typed errors, retries that honour Retry-After, pagination and token sources; and the
// event intake: the Mercury websocket listener and the signed webhook receiver, which both
// produce the same typed Events.
//
// It knows nothing of conversations or storage, and logs only through the zerolog.Logger it is
// given (none by default).
package webexapi
