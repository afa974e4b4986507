package bot

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are Relais's Prometheus metrics, on a registry of their own (no global state).
type Metrics struct {
	Registry *prometheus.Registry

	EventsReceived   *prometheus.CounterVec // by source
	EventsDuplicate  prometheus.Counter
	EventsIgnored    *prometheus.CounterVec // by reason
	Dialogues        *prometheus.CounterVec // by outcome
	MeetingsCreated  prometheus.Counter
	DesignateSent    prometheus.Counter
	RemindersSent    prometheus.Counter
	WebexCalls       *prometheus.CounterVec // by endpoint, status
	WebexRetries     *prometheus.CounterVec // by endpoint, status (429/5xx answers, retried by the client)
	WebsocketEvents  *prometheus.CounterVec // by state (connected, disconnected…)
	Reconnects       prometheus.Counter
	HandlingDuration prometheus.Histogram
	Overhead         prometheus.Histogram
	Panics           prometheus.Counter
	Intake           *IntakeMetrics
	// WebhookBadSignatures counts webhook requests refused for a missing or bad signature.
	WebhookBadSignatures prometheus.Counter
}

// NewMetrics registers Relais's metrics and the Go and process collectors on a new registry.
// outboxDepth, when not nil, is sampled at each scrape.
func NewMetrics(outboxDepth func() float64) *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		EventsReceived: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_events_received_total", Help: "Webex events received, by source (websocket, webhook).",
		}, []string{"source"}),
		EventsDuplicate: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_events_duplicate_total", Help: "Webex events dropped because they were already processed.",
		}),
		EventsIgnored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_events_ignored_total", Help: "Webex events ignored, by reason (self, bot, not_allowed, empty, rate_limited, queue_full, stale).",
		}, []string{"reason"}),
		Dialogues: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_dialogues_total", Help: "Dialogues ended, by outcome (scheduled, abandoned, expired, failed).",
		}, []string{"outcome"}),
		MeetingsCreated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_meetings_created_total", Help: "Webex meetings created for a designate.",
		}),
		DesignateSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_designate_messages_sent_total", Help: "1:1 messages with the host key sent to designates.",
		}),
		RemindersSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_reminders_sent_total", Help: "Reminders sent to designates.",
		}),
		WebexCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_webex_calls_total", Help: "HTTP calls to Webex, by endpoint and status.",
		}, []string{"endpoint", "status"}),
		WebexRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_webex_retryable_answers_total", Help: "Webex answers that call for a retry (429, 502, 503, 504), by endpoint and status.",
		}, []string{"endpoint", "status"}),
		WebsocketEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_websocket_transitions_total", Help: "Websocket lifecycle transitions (connecting, connected, disconnected); reconnects are connecting minus one.",
		}, []string{"state"}),
		Reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_websocket_reconnects_total", Help: "Websocket connections re-established after the first.",
		}),
		HandlingDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "relais_event_handling_seconds", Help: "Time to handle one event, Webex calls included.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		Overhead: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "relais_event_overhead_seconds",
			Help:    "Relais's own time per event: from its arrival to handled, minus the time spent in Webex calls.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}),
		Panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_handler_panics_total", Help: "Handler panics recovered.",
		}),
		WebhookBadSignatures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_webhook_bad_signatures_total", Help: "Webhook requests refused for a missing or bad signature (someone who is not Webex, or a wrong secret).",
		}),
	}
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.EventsReceived, m.EventsDuplicate, m.EventsIgnored, m.Dialogues, m.MeetingsCreated, m.DesignateSent,
		m.RemindersSent, m.WebexCalls, m.WebexRetries, m.WebsocketEvents, m.Reconnects, m.HandlingDuration, m.Overhead, m.Panics, m.WebhookBadSignatures)
	m.Intake = registerIntakeMetrics(r)
	if outboxDepth != nil {
		r.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "relais_outbox_depth", Help: "Sends and jobs waiting in the outbox.",
		}, outboxDepth))
	}
	return m
}

// idSegment matches path segments that are ids (base64 Webex ids, uuids, hex meeting ids).
var idSegment = regexp.MustCompile(`^[A-Za-z0-9_=-]{20,}$`)

// endpointOf turns a request into a low-cardinality endpoint label: "GET /v1/messages/{id}".
func endpointOf(r *http.Request) string {
	parts := strings.Split(r.URL.Path, "/")
	for i, p := range parts {
		if idSegment.MatchString(p) {
			parts[i] = "{id}"
		}
	}
	return r.Method + " " + strings.Join(parts, "/")
}

// RoundTripper counts every HTTP call made through it by endpoint and status.
func (m *Metrics) RoundTripper(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		ep := endpointOf(r)
		status := "error"
		if err == nil {
			status = strconv.Itoa(resp.StatusCode)
			if tr, ok := r.Context().Value(trackingKey{}).(*tracking); ok {
				tr.add(resp.Header.Get("Trackingid"))
			}
			switch resp.StatusCode {
			case 429, 502, 503, 504:
				m.WebexRetries.WithLabelValues(ep, status).Inc()
			}
		}
		m.WebexCalls.WithLabelValues(ep, status).Inc()
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// observe records the handling time of one event.
func (m *Metrics) observe(start time.Time, now time.Time) {
	m.HandlingDuration.Observe(now.Sub(start).Seconds())
}

// tracking collects the Trackingid of every Webex answer received while handling one event, for
// its log line (Webex support asks for them).
type tracking struct {
	mu  sync.Mutex
	ids []string
}

type trackingKey struct{}

func withTracking(ctx context.Context) (context.Context, *tracking) {
	tr := &tracking{}
	return context.WithValue(ctx, trackingKey{}, tr), tr
}

func (t *tracking) add(id string) {
	if id == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.ids) < 16 {
		t.ids = append(t.ids, id)
	}
}

func (t *tracking) list() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.ids...)
}
