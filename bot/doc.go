// Package bot wires Relais together: events from webexapi go through the router (ignore itself
// and other bots, strip the mention, access control) to ordered per-conversation processing; the
// dialogue's effects are executed against Webex and recorded in the store.
package bot
