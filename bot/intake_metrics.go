package bot

import "github.com/prometheus/client_golang/prometheus"

// IntakeMetrics count what happens to events on their way in: activities the websocket listener
// could not read at once and the bot resolved later, and webhooks Webex disabled.
type IntakeMetrics struct {
	// Unresolved counts activities recorded unresolved (Webex did not answer their lookup).
	Unresolved prometheus.Counter
	// Resolutions counts the outcomes of resolving them: resolved, gone, given_up, retry.
	Resolutions *prometheus.CounterVec
	// WebhookReactivations counts webhooks found inactive and re-activated.
	WebhookReactivations prometheus.Counter
}

// registerIntakeMetrics creates the intake metrics on r.
func registerIntakeMetrics(r prometheus.Registerer) *IntakeMetrics {
	m := &IntakeMetrics{
		Unresolved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_intake_unresolved_total",
			Help: "Websocket activities Webex did not let the bot read at once, recorded to be resolved later.",
		}),
		Resolutions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_intake_resolutions_total",
			Help: "Attempts to resolve a recorded activity, by outcome (resolved, gone, retry, given_up).",
		}, []string{"outcome"}),
		WebhookReactivations: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_webhook_reactivations_total",
			Help: "Webhooks found inactive (Webex disables them after failed deliveries) and re-activated.",
		}),
	}
	r.MustRegister(m.Unresolved, m.Resolutions, m.WebhookReactivations)
	return m
}
