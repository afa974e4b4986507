package bot

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// catchUpMetrics count the catch-up's work (relais_catchup_*).
type catchUpMetrics struct {
	runs     *prometheus.CounterVec // by trigger, outcome
	spaces   prometheus.Counter
	messages *prometheus.CounterVec // by outcome: recovered (handed over), known (recorded already)
	// greetings counts the group spaces joined while the intake missed it, handed over to be
	// greeted.
	greetings prometheus.Counter
	duration  prometheus.Histogram
}

func newCatchUpMetrics(reg *prometheus.Registry) *catchUpMetrics {
	m := &catchUpMetrics{
		runs: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_catchup_runs_total", Help: "Catch-ups of missed messages, by trigger (startup, reconnect, intake_failure, webhook_reactivated, periodic) and outcome (ok, error).",
		}, []string{"trigger", "outcome"})),
		spaces: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_catchup_spaces_total", Help: "Spaces whose messages a catch-up read.",
		})),
		messages: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "relais_catchup_messages_total", Help: "Messages a catch-up found, by outcome: recovered (missed by the intake, handled now) or known (recorded already).",
		}, []string{"outcome"})),
		greetings: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "relais_catchup_greetings_total", Help: "Group spaces the bot was added to without the intake seeing it, found by a catch-up and handed over to be greeted.",
		})),
		duration: register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "relais_catchup_duration_seconds", Help: "Time of one catch-up, Webex calls included.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60},
		})),
	}
	return m
}

// register registers c on reg, or returns the collector already registered under its name (a
// second bot on the same metrics).
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}
