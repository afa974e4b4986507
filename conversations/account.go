package conversations

import (
	"strings"
	"time"

	"github.com/relaisbot/relais/conversations/nlu"
)

// The organizer's own Webex account (Config.OwnAccount, RELAIS_MEETINGS_AUTH=user). Every
// effect that calls Webex as the organizer (create, change, cancel, resend) first asks the bot
// to make sure their account is connected (EnsureAccount). When it is not, the effect waits in
// the state (StageAccount) while the organizer approves the code the bot gives them; the bot
// reports the approval (AccountConnected, from its poller) and the effect goes out unchanged,
// with the same idempotency key: the organizer does not repeat anything.

// StageAccount: an effect waits for the organizer's own Webex account (State.Account).
const StageAccount Stage = "account"

// Effects of the organizer's own account.
const (
	// EnsureAccount: make sure the organizer's account is connected and works → AccountReady,
	// or AccountNeeded with the code to connect it (sent privately in a group space, in
	// Effect.Lang). Its approval is reported later as AccountConnected or AccountFailed.
	EnsureAccount EffectKind = "ensureAccount"
	// DisconnectAccount: forget the organizer's tokens → AccountDisconnected.
	DisconnectAccount EffectKind = "disconnectAccount"
)

// Results of the organizer's own account.
const (
	AccountReady        ResultKind = "accountReady"        // EnsureAccount: connected and working
	AccountNeeded       ResultKind = "accountNeeded"       // EnsureAccount: Account holds the code (Err: could not start)
	AccountConnected    ResultKind = "accountConnected"    // the bot's poller: the organizer approved
	AccountFailed       ResultKind = "accountFailed"       // the bot's poller: Account.Outcome says why
	AccountDisconnected ResultKind = "accountDisconnected" // DisconnectAccount (Err: failed)
)

// FailureAccount: Webex refused the organizer's own account for the call (a permission
// missing or withdrawn); the bot forgot the connection, the next attempt asks for it again.
const FailureAccount FailureKind = "account"

// AccountOutcome is why a connection did not happen (AccountFailed).
type AccountOutcome string

// Account outcomes.
const (
	AccountWrongPerson AccountOutcome = "wrongPerson" // someone else approved the code
	AccountDenied      AccountOutcome = "denied"      // the organizer refused
	AccountExpired     AccountOutcome = "expired"     // the code expired unused
	AccountBroken      AccountOutcome = "failed"      // Webex refused for another reason
)

// AccountInfo is what the bot reports of the organizer's own account. URLComplete and
// UserCode are shown only in the organizer's 1:1 space.
type AccountInfo struct {
	// URL is the page where the code is typed; URLComplete opens it with the code filled in.
	URL         string    `json:"url,omitempty"`
	URLComplete string    `json:"urlComplete,omitempty"`
	UserCode    string    `json:"userCode,omitempty"`
	ExpiresAt   time.Time `json:"expiresAt,omitzero"`
	// Reconnect: the organizer's earlier connection stopped working (revoked or expired).
	Reconnect bool           `json:"reconnect,omitempty"`
	Outcome   AccountOutcome `json:"outcome,omitempty"`
	// Approver is who approved instead of the organizer (AccountWrongPerson).
	Approver string `json:"approver,omitempty"`
	// Lang is the organizer's language, for a result that reaches an ended dialogue.
	Lang nlu.Lang `json:"lang,omitempty"`
}

// AccountWait is the effect waiting for the organizer's account, and the stage it left.
type AccountWait struct {
	Effect Effect `json:"effect"`
	Stage  Stage  `json:"stage"`
}

// needsAccount reports whether an effect calls Webex as the organizer.
func needsAccount(k EffectKind) bool {
	switch k {
	case CreateMeeting, ChangeMeeting, CancelMeeting, ResendHostKey:
		return true
	}
	return false
}

// gateOnAccount holds back the step's first effect that needs the organizer's account until
// the bot says it is connected, unless this step answers exactly that.
func (d *dialogue) gateOnAccount() {
	if !d.cfg.OwnAccount || d.st.Stage == StageAccount {
		return
	}
	if r := d.in.Result; r != nil && (r.Kind == AccountReady || r.Kind == AccountConnected) {
		return
	}
	for i, e := range d.effects {
		if !needsAccount(e.Kind) {
			continue
		}
		d.st.Account = &AccountWait{Effect: e, Stage: d.st.Stage}
		d.st.Stage = StageAccount
		d.effects = append(d.effects[:i:i], Effect{Kind: EnsureAccount, Lang: d.lang(), Waiting: true})
		return
	}
}

// accountCommand recognizes « connecte mon compte » ("connect") and « déconnecte mon compte »
// ("disconnect").
func accountCommand(text string) string {
	s := fold(text)
	if len(s) > 60 || !(strings.Contains(s, "compte") || strings.Contains(s, "account")) {
		return ""
	}
	switch {
	case strings.Contains(s, "deconnect") || strings.Contains(s, "disconnect") || strings.Contains(s, "debranche"):
		return "disconnect"
	case strings.Contains(s, "connect") || strings.Contains(s, "branche") || strings.Contains(s, "link"):
		return "connect"
	}
	return ""
}

// onAccountMessage handles the account commands, and any message while an effect waits for
// the account. It reports whether it handled the message.
func (d *dialogue) onAccountMessage(text string) bool {
	cmd := accountCommand(text)
	if cmd == "" && d.st.Stage != StageAccount {
		return false
	}
	if cmd != "" && !d.st.Active() {
		d.st.Lang = nlu.French
		if strings.Contains(fold(text), "account") {
			d.st.Lang = nlu.English
		}
	}
	l := d.lang()
	if cmd != "" && !d.cfg.OwnAccount {
		d.say(msgAccountNotUsed(l))
		return true
	}
	switch cmd {
	case "connect":
		d.emit(Effect{Kind: EnsureAccount, Lang: l, Waiting: d.st.Stage == StageAccount})
		return true
	case "disconnect":
		if d.st.Stage == StageAccount {
			d.reset()
		}
		d.emit(Effect{Kind: DisconnectAccount, Lang: l})
		return true
	}
	u := d.u
	switch {
	case u.Intent == nlu.IntentAbort || u.Intent == nlu.IntentDeny || (u.Intent == nlu.IntentCancel && u.Number == 0):
		d.abandon()
	case u.Intent == nlu.IntentHelp:
		d.say(msgHelp(l), msgAccountWaiting(l))
	default:
		// Connected meanwhile (the approval's news was lost with a replica that stopped)?
		// Then the request goes on; otherwise the same code again, or a new one.
		d.emit(Effect{Kind: EnsureAccount, Lang: l, Waiting: true})
	}
	return true
}

// onAccountResult handles what the bot reports of the organizer's account.
func (d *dialogue) onAccountResult(r Result) {
	if r.Account != nil && r.Account.Lang != "" && !d.st.Active() {
		d.st.Lang = r.Account.Lang
	}
	l := d.lang()
	waiting := d.st.Stage == StageAccount && d.st.Account != nil
	switch r.Kind {
	case AccountReady:
		if waiting {
			d.resumeAfterAccount()
			return
		}
		d.say(msgAccountAlready(l))
	case AccountNeeded:
		if r.Err != nil || r.Account == nil {
			d.say(msgAccountUnavailable(l))
			if waiting {
				d.giveUpOnAccount()
			}
			return
		}
		if d.in.Group {
			d.say(msgAccountPrivately(l))
			return
		}
		d.say(ConnectMessage(l, *r.Account, d.now, waiting))
	case AccountConnected:
		d.say(msgAccountConnected(l, waiting))
		if waiting {
			d.resumeAfterAccount()
		}
	case AccountFailed:
		info := AccountInfo{Outcome: AccountBroken}
		if r.Account != nil {
			info = *r.Account
		}
		retry := ""
		if waiting {
			retry = d.st.Account.Effect.Kind.retryHint()
			d.giveUpOnAccount()
		}
		d.say(msgAccountFailed(l, info, retry))
	case AccountDisconnected:
		if r.Err != nil {
			d.say(msgDisconnectFailed(l))
			return
		}
		d.say(msgDisconnected(l))
	}
}

// retryHint names how the organizer tries again after a failed connection: "confirm" (a
// meeting still to create: « oui » sends a new code) or "" (ask again).
func (k EffectKind) retryHint() string {
	if k == CreateMeeting {
		return "confirm"
	}
	return ""
}

// resumeAfterAccount sends the effect that waited for the account.
func (d *dialogue) resumeAfterAccount() {
	w := d.st.Account
	d.st.Account = nil
	d.st.Stage = w.Stage
	d.emit(w.Effect)
}

// giveUpOnAccount drops the waiting effect: a meeting to create goes back to its summary, so
// that « oui » tries again; anything else ends.
func (d *dialogue) giveUpOnAccount() {
	w := d.st.Account
	d.st.Account = nil
	if w.Effect.Kind == CreateMeeting {
		d.st.Stage = StageConfirm
		d.st.Pending = nil
		return
	}
	d.reset()
}
