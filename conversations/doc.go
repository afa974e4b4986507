// Package conversations is the scheduling dialogue as state-as-data and a pure transition
// (state, input, now → state, replies, effects), with the message catalog in French and English.
// It does no I/O, reads no clock and never calls Webex.
package conversations
