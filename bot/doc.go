// Package bot wires Relais together: events from webexapi go through the router (ignore itself
// and other bots, strip the mention, access control) to ordered per-conversation processing; the
// dialogue's effects are executed against Webex and recorded in the store.
//
// To read it in one sitting, follow an event:
//
//   - router.go: an event taken in (Submit, accept) and its lane (laneKey);
//   - event_life.go: its life, from received to done, and the exactly-once rules;
//   - turn.go: one turn of the dialogue (turnOf, converse) and its replies;
//   - effects.go: the dialogue's effects; meeting_attempt.go: the meeting, created once;
//   - actonce.go: a call with an effect is never repeated blind;
//   - jobs.go: every durable job kind (payload, lane, runner) and the outbox poller;
//     sends.go: the designate's messages and notices, sent once through it; lease.go: the
//     lease that keeps one handler at a time; sweep.go: the intents a crash left pending;
//   - intake_retry.go and catchup.go: what Webex could not give at once, or never sent;
//   - clock.go: the one clock; internal/backoff: the one backoff.
package bot
