package webexapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"

	"github.com/relaisbot/relais/internal/backoff"
)

// Errors that end Listener.Run (compare with errors.Is).
var (
	// ErrInvalidToken: Webex rejects the bot token (revoked or wrong): /people/me answers 401,
	// or Mercury keeps closing with 4401.
	ErrInvalidToken = errors.New("webex bot token is invalid or revoked")
	// ErrMercuryRefused: Mercury closed with 4400 (bad request, e.g. a service-account
	// credential) or 4403 (not entitled); reconnecting would not help.
	ErrMercuryRefused = errors.New("mercury refused the connection")
	// ErrDeviceReplaced: Mercury closed with 4000: another connection took this device, most
	// likely another process using the same device name. Reconnecting would take it back, and
	// the two processes would take the socket from each other forever.
	ErrDeviceReplaced = errors.New("mercury: another process took this device (same device name?)")
)

// Mercury close codes (FACTS.md §6.2).
const (
	closeReplaced      = 4000
	closeBadRequest    = 4400
	closeNotAuthorized = 4401
	closeForbidden     = 4403
)

// State is a listener lifecycle step.
type State string

// Listener states, reported through WithOnState.
const (
	StateDeviceReused     State = "device_reused"
	StateDeviceRegistered State = "device_registered"
	StateDeviceDeleted    State = "device_deleted"
	StateConnecting       State = "connecting"
	StateConnected        State = "connected" // authorized and ready: events flow
	StateDisconnected     State = "disconnected"
	// StateError: something went wrong without ending the connection (a malformed frame that
	// was skipped, a device that could not be refreshed or deleted). An activity whose object is
	// gone (a deleted message, a space the bot left) is no error: it is skipped quietly.
	StateError   State = "error"
	StateStopped State = "stopped"
)

// StateChange is one lifecycle event of a Listener.
type StateChange struct {
	State State
	// Err is the reason for StateDisconnected, StateError and StateStopped (nil on a clean stop).
	Err error
	// Attempt counts consecutive failed connections (0 after one that delivered an event).
	Attempt int
	// Wait is the backoff before the next connection (StateDisconnected).
	Wait time.Duration
	// DeviceURL is the device in use.
	DeviceURL string
	Time      time.Time
}

// Backoff is a jittered exponential backoff with a cap.
type Backoff struct {
	// Base is the first wait (default 1 s); it doubles after each failure.
	Base time.Duration
	// Max caps one wait (default 32 s).
	Max time.Duration
}

// Wait returns the wait before reconnection attempt n (1-based): a random duration in [d/2, d]
// where d = min(Max, Base·2^(n-1)).
func (b Backoff) Wait(n int) time.Duration {
	base, maxWait := b.Base, b.Max
	if base <= 0 {
		base = time.Second
	}
	if maxWait <= 0 {
		maxWait = 32 * time.Second
	}
	return backoff.Policy{Base: base, Cap: maxWait, Jitter: true}.Delay(n)
}

type listenerOptions struct {
	devices      DevicesConfig
	deviceName   string
	deleteOnExit bool
	pingInterval time.Duration
	pongTimeout  time.Duration
	readyTimeout time.Duration
	writeTimeout time.Duration
	maxFrameSize int
	backoff      Backoff
	dialer       *websocket.Dialer
	log          zerolog.Logger
	onState      func(StateChange)
	sleep        func(ctx context.Context, d time.Duration) error
	now          func() time.Time
	max4401      int
	me           *Person
	acceptance   bool
	lookups      int
	lookupClient *Client
}

// ListenerOption configures a Listener.
type ListenerOption func(*listenerOptions)

// WithIdentity gives the listener the bot's identity (GET /people/me) when the caller already
// has it, saving a call at start-up.
func WithIdentity(me Person) ListenerOption {
	return func(o *listenerOptions) { p := me; o.me = &p }
}

// WithLookupWindow sets how many activities are turned into events at once (default 64). Each
// needs REST round trips; the window bounds the bot's throughput to about n events per round
// trip, so a bot that handles many conversations at once needs it as wide as its workers.
func WithLookupWindow(n int) ListenerOption {
	return func(o *listenerOptions) {
		if n > 0 {
			o.lookups = n
		}
	}
}

// WithLookupClient sets the client that reads each activity's REST id and object (default: the
// listener's own client). Give it a retry policy that waits little (a short Retry-After at most):
// an activity Webex does not answer for at once is handed over unresolved, for the consumer to
// record and retry itself, rather than hold its frame unacked.
func WithLookupClient(c *Client) ListenerOption {
	return func(o *listenerOptions) { o.lookupClient = c }
}

// WithAcceptance makes the listener acknowledge a frame only once the consumer has reported, with
// Event.Accept, that it recorded the event; an error from the consumer ends the connection so that
// Webex replays the frame.
func WithAcceptance() ListenerOption { return func(o *listenerOptions) { o.acceptance = true } }

// WithCatalogURL sets the U2C catalog used to find the device service (default DefaultCatalogURL).
func WithCatalogURL(u string) ListenerOption {
	return func(o *listenerOptions) { o.devices.CatalogURL = u }
}

// WithDeviceServiceURL sets the device service (WDM) root directly, skipping the catalog.
func WithDeviceServiceURL(u string) ListenerOption {
	return func(o *listenerOptions) { o.devices.ServiceURL = u }
}

// WithDeviceName sets the device name reused across restarts (default DefaultDeviceName).
func WithDeviceName(name string) ListenerOption {
	return func(o *listenerOptions) { o.deviceName = name }
}

// WithDeleteDeviceOnExit deletes the device when Run returns (default false: keep it for the
// next start, which reuses it).
func WithDeleteDeviceOnExit(del bool) ListenerOption {
	return func(o *listenerOptions) { o.deleteOnExit = del }
}

// WithPingInterval sets how often a JSON ping is sent (default 15 s).
func WithPingInterval(d time.Duration) ListenerOption {
	return func(o *listenerOptions) { o.pingInterval = d }
}

// WithPongTimeout sets how long a ping may stay unanswered before the connection is declared
// dead and replaced (default 14 s).
func WithPongTimeout(d time.Duration) ListenerOption {
	return func(o *listenerOptions) { o.pongTimeout = d }
}

// WithReadyTimeout sets how long to wait for Mercury's readiness frame after authorizing
// (default 30 s).
func WithReadyTimeout(d time.Duration) ListenerOption {
	return func(o *listenerOptions) { o.readyTimeout = d }
}

// WithMaxFrameSize caps one inbound frame (default DefaultMaxFrameSize).
func WithMaxFrameSize(n int) ListenerOption { return func(o *listenerOptions) { o.maxFrameSize = n } }

// WithReconnectBackoff sets the reconnection backoff (default 1 s doubling up to 32 s).
func WithReconnectBackoff(b Backoff) ListenerOption {
	return func(o *listenerOptions) { o.backoff = b }
}

// WithWebsocketDialer sets the websocket dialer. The default honours HTTPS_PROXY
// (http.ProxyFromEnvironment) and has a 30 s handshake timeout.
func WithWebsocketDialer(d *websocket.Dialer) ListenerOption {
	return func(o *listenerOptions) { o.dialer = d }
}

// WithListenerLogger sets the logger (default zerolog.Nop()). Tokens are never logged.
func WithListenerLogger(l zerolog.Logger) ListenerOption {
	return func(o *listenerOptions) { o.log = l }
}

// WithOnState registers a lifecycle callback (logs, readiness, metrics). It is called from the
// listener's goroutines and must not block for long.
func WithOnState(f func(StateChange)) ListenerOption {
	return func(o *listenerOptions) { o.onState = f }
}

// WithListenerSleep replaces the wait between reconnections (tests record waits without
// sleeping). It must return ctx.Err() if ctx ends first.
func WithListenerSleep(sleep func(ctx context.Context, d time.Duration) error) ListenerOption {
	return func(o *listenerOptions) { o.sleep = sleep }
}

// Listener receives Webex events over the Mercury websocket: no public URL needed. Create it
// with NewListener and call Run.
//
// Delivery is at least once: a frame is acked only after its event was handed to the consumer,
// and Webex replays unacked frames after a reconnect, so the consumer de-duplicates by Event.ID
// (the design keeps that dedup in the consumer, next to the persistent processed-event store).
type Listener struct {
	c       *Client
	lookups *Client // reads activities (WithLookupClient)
	devices *Devices
	o       listenerOptions

	mu     sync.Mutex
	me     *Person // the bot, fetched once per Listener
	meUUID string

	clusters clusterCache
}

// NewListener returns a Listener that uses client (a bot-token client) for the device service,
// the identity of the bot and the REST lookups of each activity.
func NewListener(client *Client, opts ...ListenerOption) *Listener {
	o := listenerOptions{
		deviceName:   DefaultDeviceName,
		pingInterval: 15 * time.Second,
		pongTimeout:  14 * time.Second,
		readyTimeout: 30 * time.Second,
		writeTimeout: 10 * time.Second,
		maxFrameSize: DefaultMaxFrameSize,
		log:          zerolog.Nop(),
		sleep:        sleepCtx,
		now:          time.Now,
		max4401:      3,
		lookups:      defaultLookupWindow,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.dialer == nil {
		o.dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 30 * time.Second}
	}
	if o.maxFrameSize <= 0 {
		o.maxFrameSize = DefaultMaxFrameSize
	}
	l := &Listener{c: client, lookups: client, devices: NewDevices(client, o.devices), o: o}
	if o.lookupClient != nil {
		l.lookups = o.lookupClient
	}
	if o.me != nil {
		l.me, l.meUUID = o.me, uuidFromRESTID(o.me.ID)
	}
	return l
}

func (l *Listener) emit(sc StateChange) {
	sc.Time = l.o.now()
	ev := l.o.log.Debug()
	if sc.Err != nil {
		ev = l.o.log.Info().Err(sc.Err)
	}
	ev.Str("state", string(sc.State)).Int("attempt", sc.Attempt).Dur("wait", sc.Wait).Msg("webex listener")
	if l.o.onState != nil {
		l.o.onState(sc)
	}
}

// session is what one Run keeps across connections.
type session struct {
	out    chan<- Event
	me     *Person
	meUUID string
	dev    *Device
	token  string // the token of the last authorization frame
	gone   string // URL of a device whose websocket answered 404
}

// Run registers (or reuses) the device, connects and delivers events to out until ctx ends or a
// fatal error (ErrInvalidToken, ErrMercuryRefused, ErrDeviceReplaced) happens. It reconnects on its own with a
// jittered, capped exponential backoff. It returns ctx.Err() after ctx ends. Events are sent
// with select on ctx, so a consumer that stops reading does not leak Run.
func (l *Listener) Run(ctx context.Context, out chan<- Event) (err error) {
	if out == nil {
		return errors.New("webex listener: nil event channel")
	}
	s := &session{out: out}
	defer func() {
		// A device another process took is theirs now: deleting it would cut them off.
		if s.dev != nil && l.o.deleteOnExit && !errors.Is(err, ErrDeviceReplaced) {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if derr := l.devices.Delete(dctx, s.dev.URL); derr == nil {
				l.emit(StateChange{State: StateDeviceDeleted, DeviceURL: s.dev.URL})
			} else {
				l.emit(StateChange{State: StateError, Err: derr, DeviceURL: s.dev.URL})
			}
			cancel()
		}
		if errors.Is(err, ctx.Err()) {
			l.emit(StateChange{State: StateStopped})
		} else {
			l.emit(StateChange{State: StateStopped, Err: err})
		}
	}()

	failures := 0 // consecutive failed connections
	wait := func(reason error) error {
		failures++
		d := l.o.backoff.Wait(failures)
		devURL := ""
		if s.dev != nil {
			devURL = s.dev.URL
		}
		l.emit(StateChange{State: StateDisconnected, Err: reason, Attempt: failures, Wait: d, DeviceURL: devURL})
		return l.o.sleep(ctx, d)
	}
	unauthorized := 0 // consecutive 4401s
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.me == nil {
			if err := l.identify(ctx, s); err != nil {
				if errors.Is(err, ErrInvalidToken) || ctx.Err() != nil {
					return err
				}
				if werr := wait(err); werr != nil {
					return werr
				}
				continue
			}
		}
		if s.dev == nil {
			if err := l.ensureDevice(ctx, s); err != nil {
				if IsUnauthorized(err) {
					return fmt.Errorf("webex listener: %w: %w", ErrInvalidToken, err)
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if werr := wait(err); werr != nil {
					return werr
				}
				continue
			}
		}
		outcome, err := l.runConn(ctx, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if outcome.delivered {
			failures = 0
		}
		var ce *websocket.CloseError
		switch {
		case errors.As(err, &ce) && ce.Code == closeReplaced:
			l.o.log.Error().Str("device", s.dev.URL).Str("deviceName", l.o.deviceName).
				Msg("mercury closed with 4000 (replaced): another process uses this device; not reconnecting. Give each process its own device name (RELAIS_DEVICE_NAME)")
			return fmt.Errorf("webex listener: %w: %w", ErrDeviceReplaced, err)
		case errors.As(err, &ce) && (ce.Code == closeBadRequest || ce.Code == closeForbidden):
			return fmt.Errorf("webex listener: %w: %w", ErrMercuryRefused, err)
		case errors.As(err, &ce) && ce.Code == closeNotAuthorized, errors.Is(err, errHandshakeUnauthorized):
			unauthorized++
			if fatal := l.reauthorize(ctx, s, unauthorized); fatal != nil {
				return fatal
			}
		case errors.As(err, &ce) && ce.Code == websocket.CloseNoStatusReceived:
			// Mercury's clients refresh the device after a close without a status (FACTS.md §6.2).
			unauthorized = 0
			l.refreshDevice(ctx, s)
		case errors.Is(err, errDeviceGone):
			unauthorized = 0
			s.gone, s.dev = s.dev.URL, nil // re-register below
		default:
			if outcome.ready {
				unauthorized = 0
			}
		}
		if werr := wait(err); werr != nil {
			return werr
		}
	}
}

// identify fetches the bot's identity once per Listener.
func (l *Listener) identify(ctx context.Context, s *session) error {
	l.mu.Lock()
	me, meUUID := l.me, l.meUUID
	l.mu.Unlock()
	if me != nil {
		s.me, s.meUUID = me, meUUID
		return nil
	}
	me, err := l.c.People.Me(ctx)
	if err != nil {
		if IsUnauthorized(err) {
			return fmt.Errorf("webex listener: %w: %w", ErrInvalidToken, err)
		}
		return fmt.Errorf("webex listener: identify bot: %w", err)
	}
	s.me = me
	s.meUUID = uuidFromRESTID(me.ID)
	l.mu.Lock()
	l.me, l.meUUID = s.me, s.meUUID
	l.mu.Unlock()
	return nil
}

// ensureDevice finds or registers the device.
func (l *Listener) ensureDevice(ctx context.Context, s *session) error {
	req := NewDeviceRequest(l.o.deviceName)
	dev, reused, err := l.devices.Ensure(ctx, req)
	if err != nil {
		return err
	}
	if reused && dev.URL == s.gone {
		// Still listed, but its websocket is gone: replace it rather than loop on it.
		if derr := l.devices.Delete(ctx, dev.URL); derr != nil && !IsNotFound(derr) {
			l.emit(StateChange{State: StateError, Err: derr, DeviceURL: dev.URL})
		}
		if dev, err = l.devices.Create(ctx, req); err != nil {
			return err
		}
		reused = false
	}
	s.gone = ""
	s.dev = dev
	st := StateDeviceRegistered
	if reused {
		st = StateDeviceReused
	}
	l.emit(StateChange{State: st, DeviceURL: dev.URL})
	return nil
}

// refreshDevice re-sends the device registration (PUT); a device WDM no longer knows is
// registered again on the next loop.
func (l *Listener) refreshDevice(ctx context.Context, s *session) {
	dev, err := l.devices.Refresh(ctx, s.dev.URL, NewDeviceRequest(l.o.deviceName))
	switch {
	case err == nil:
		s.dev = dev
	case IsNotFound(err):
		s.gone, s.dev = s.dev.URL, nil
	default:
		l.emit(StateChange{State: StateError, Err: err, DeviceURL: s.dev.URL})
	}
}

// reauthorize handles a 4401: the token is invalidated (a refreshing source fetches a new one);
// if Webex rejects the token over REST too, or 4401 repeats, the error is fatal.
func (l *Listener) reauthorize(ctx context.Context, s *session, count int) error {
	if inv, ok := l.c.tokens.(Invalidator); ok && s.token != "" {
		inv.Invalidate(s.token)
	}
	if _, err := l.c.People.Me(ctx); IsUnauthorized(err) {
		return fmt.Errorf("webex listener: %w: %w", ErrInvalidToken, err)
	}
	if count >= l.o.max4401 {
		return fmt.Errorf("webex listener: %w: mercury answered 4401 %d times in a row", ErrInvalidToken, count)
	}
	return nil
}
